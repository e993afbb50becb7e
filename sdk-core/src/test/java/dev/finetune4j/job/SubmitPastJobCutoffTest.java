package dev.finetune4j.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.JobsEndedException;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.lifecycle.LifecycleKind;
import dev.finetune4j.lifecycle.LifecycleTable;
import dev.finetune4j.lifecycle.SourceQuality;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import dev.finetune4j.testing.TestRules;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A job to a provider past its job cutoff is refused before anything is recorded or uploaded. */
class SubmitPastJobCutoffTest {

    static final URI SOURCE = URI.create("https://example.org/openai-ends-fine-tuning");

    private final ManualClock clock = new ManualClock();   // 2026-11-21
    private final VersionStore store = VersionStores.inMemory(clock);
    private final FakeProvider openai = new FakeProvider("openai", false, TestRules.OPENAI);
    private FineTuning ft;

    @BeforeEach
    void setUp() {
        LifecycleTable table = LifecycleTable.builder().put(LifecycleEvent.builder("openai", "*",
                LifecycleKind.JOBS_END).date(LocalDate.parse("2027-01-06"))
                .source(SOURCE, LocalDate.parse("2026-12-04"), SourceQuality.SECONDARY).build()).build();
        ft = FineTuning.builder().store(store).clock(clock).sleeper(clock::advance).provider(openai)
                .lifecycleTable(table).build();
        ft.createAssistant("avatar-42", "openai", "gpt-4o-mini-2024-07-18");
        ft.dataset("avatar-42/main").append(IntStream.range(0, 60).mapToObj(i -> Example.of(
                Message.user("question number " + i), Message.assistant("answer number " + i))).toList(), null);
    }

    @Test
    void submit_afterTheCutoff_isRefusedWithDateAndSource_beforeAnyUpload() {
        clock.advance(Duration.ofDays(47));   // 2027-01-07

        assertThatThrownBy(() -> ft.jobs().submit(FineTuneSpec.builder("avatar-42", "main").build()))
                .isInstanceOfSatisfying(JobsEndedException.class, e -> {
                    assertThat(e.date()).isEqualTo(LocalDate.parse("2027-01-06"));
                    assertThat(e.source()).isEqualTo(SOURCE.toString());
                    assertThat(e.provider()).isEqualTo("openai");
                    assertThat(e.getMessage()).startsWith("openai takes no new fine-tuning jobs for "
                            + "gpt-4o-mini-2024-07-18 since 2027-01-06 (today is 2027-01-07; source: " + SOURCE
                            + ", secondary, checked 2026-12-04); nothing was uploaded.");
                });
        assertThat(openai.uploads.get()).isZero();
        assertThat(openai.calls.get()).isZero();
        assertThat(ft.jobs().list("avatar-42")).as("no job recorded").isEmpty();
    }

    @Test
    void submit_theDayBeforeTheCutoff_goesThrough() {
        clock.advance(Duration.ofDays(45));   // 2027-01-05: the cutoff is tomorrow

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("avatar-42", "main").build());

        assertThat(job.remoteId()).isPresent();
        assertThat(openai.uploads.get()).isEqualTo(1);
    }

    @Test
    void aHostOverride_removingTheCutoff_letsTheJobThrough() {
        LifecycleTable none = ft.lifecycle().table().toBuilder()
                .remove("openai", "*", LifecycleKind.JOBS_END).build();
        FineTuning ours = FineTuning.builder().store(store).clock(clock).sleeper(clock::advance).provider(openai)
                .lifecycleTable(none).build();
        clock.advance(Duration.ofDays(60));

        assertThat(ours.jobs().submit(FineTuneSpec.builder("avatar-42", "main").build()).remoteId()).isPresent();
    }
}
