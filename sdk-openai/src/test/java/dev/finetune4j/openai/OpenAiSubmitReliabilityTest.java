package dev.finetune4j.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.store.VersionStores;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reliability test: the core's {@code submit} with this provider against an OpenAI
 * whose job creates fail in transit, before or after the job exists, many times at random, must end
 * with exactly one remote job per submission.
 */
class OpenAiSubmitReliabilityTest {

    private static final JobsEmulator EMULATOR = new JobsEmulator();

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(EMULATOR)).build();

    private static final int SUBMISSIONS = 30;

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();
    private FineTuning ft;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        EMULATOR.reset();
        wm.stubFor(any(urlPathMatching("/v1/.*")).willReturn(aResponse().withTransformers(JobsEmulator.NAME)));
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, time).build());
        ft = FineTuning.builder().store(VersionStores.inMemory(time)).clock(time).sleeper(time).provider(openai)
                .build();
        ft.createAssistant("avatar-42", "openai", "gpt-4o-mini-2024-07-18");
        ft.dataset("avatar-42/main").append(IntStream.range(0, 12).mapToObj(i -> Example.of(
                Message.system("You are Ava."), Message.user("question " + i), Message.assistant("answer " + i)))
                .toList(), null);
    }

    private Set<String> jobIds() {
        return ft.jobs().list("avatar-42").stream().map(FineTuneJob::id).collect(Collectors.toSet());
    }

    @Test
    void createsDroppedInTransitAtRandomPoints_leaveExactlyOneRemoteJobPerSubmission() {
        Random random = new Random(20261121L);
        JobsEmulator.Create[] before = {JobsEmulator.Create.RESET_BEFORE_STORING,
            JobsEmulator.Create.EMPTY_BEFORE_STORING};
        JobsEmulator.Create[] after = {JobsEmulator.Create.RESET_AFTER_STORING,
            JobsEmulator.Create.EMPTY_AFTER_STORING, JobsEmulator.Create.ERROR_500_AFTER_STORING};
        int lostBeforeStoring = 0;
        int plannedFailures = 0;
        int uploads = -1;

        for (int i = 0; i < SUBMISSIONS; i++) {
            // Up to two creates lost before the job exists, then maybe one lost after it does (a
            // create after that would never be sent: the job is found by its tag instead).
            int failing = random.nextInt(3);
            for (int f = 0; f < failing; f++) {
                EMULATOR.nextCreates.add(before[random.nextInt(before.length)]);
            }
            lostBeforeStoring += failing;
            if (random.nextBoolean()) {
                EMULATOR.nextCreates.add(after[random.nextInt(after.length)]);
                failing++;
            }
            plannedFailures += failing;
            Set<String> known = jobIds();

            try {
                // again: every submission of this one intent is meant to be a job of its own.
                ft.jobs().submit(FineTuneSpec.builder("avatar-42", "main").again(true).build());
            } catch (FineTuneException expected) {
                // The create failed and its job was not found; refreshing it below tries again.
            }
            Set<String> added = new HashSet<>(jobIds());
            added.removeAll(known);
            assertThat(added).as("submission %d recorded one job", i).hasSize(1);
            String id = added.iterator().next();
            for (int resumes = 0; ft.jobs().job(id).remoteId().isEmpty(); resumes++) {
                assertThat(resumes).as("resumes of submission %d", i).isLessThanOrEqualTo(failing);
                try {
                    // Reconciles this job as resume() would (look for the tag, create only if absent).
                    ft.jobs().job(id).refresh();
                } catch (FineTuneException expected) {
                    // Another scripted failure; the next resume tries again.
                }
            }

            List<String> remote = EMULATOR.jobsTagged(id);
            assertThat(remote).as("remote jobs tagged %s (submission %d)", id, i).hasSize(1);
            assertThat(ft.jobs().job(id).remoteId()).contains(remote.get(0));
            assertThat(EMULATOR.nextCreates).as("every scripted failure happened").isEmpty();
            int files = wm.findAll(postRequestedFor(urlEqualTo("/v1/files"))).size();
            if (uploads < 0) {
                uploads = files;
            }
            assertThat(files).as("the dataset version is uploaded once").isEqualTo(uploads);
        }

        assertThat(EMULATOR.jobs).hasSize(SUBMISSIONS);
        assertThat(EMULATOR.failedCreates).hasSize(plannedFailures);
        assertThat(plannedFailures).isGreaterThan(SUBMISSIONS);
        assertThat(EMULATOR.failedCreates).as("every kind of failure happened").contains(before).contains(after);
        wm.verify(SUBMISSIONS + lostBeforeStoring, postRequestedFor(urlEqualTo("/v1/fine_tuning/jobs")));
    }
}
