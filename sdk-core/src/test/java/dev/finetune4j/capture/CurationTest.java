package dev.finetune4j.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.policy.RetrainAdvice;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CurationTest {

    private final ManualClock clock = new ManualClock();
    private FineTuning ft;
    private Assistant ava;
    private ChatRouter router;
    private Captures captures;

    @BeforeEach
    void setUp() {
        ft = FineTuning.builder().store(VersionStores.inMemory(clock)).clock(clock).provider(new EchoChatProvider())
                .build();
        ava = ft.createAssistant("ava", "openai", CaptureTest.BASE);
        ava.createPrompt("You are Ava.", List.of(Example.of(Message.user("hey"), Message.assistant("Hey!"))), null);
        ava.activatePrompt(1, Change.SYSTEM);
        captures = ft.captures();
        captures.enable("ava", CapturePolicy.builder().build());
        router = ft.chatRouter(ChatRouter.Options.defaults());
    }

    @AfterEach
    void tearDown() {
        ft.close();
    }

    private String ask(String text) {
        return router.chat(ChatRequest.of("ava", text)).callId();
    }

    private static List<Example> examples(Dataset ds, DatasetVersion v) {
        try (Stream<Example> s = ds.examples(v)) {
            return s.toList();
        }
    }

    @Test
    void curate_trainsOnApprovedAndCorrectedAnswers_withTheRoutersSystemPrompt_andProvenanceTags() {
        String good = ask("good question");
        String wrong = ask("tricky question");
        String rejected = ask("bad question");
        ask("never rated");
        captures.feedback(good, Feedback.up().withTag("topic", "faq"));
        captures.feedback(wrong, Feedback.down().withCorrection("The right answer."));
        captures.feedback(rejected, Feedback.down());
        Dataset ds = ft.dataset("ava", "prod");

        CurationResult r = captures.curate(CaptureQuery.builder("ava").withFeedback().build(), ds,
                ImportOptions.defaults(), "rated production calls");

        assertThat(r.selected()).isEqualTo(3);
        assertThat(r.rejected()).isEqualTo(1);
        assertThat(r.appended().added()).isEqualTo(2);
        DatasetVersion v1 = r.appended().version().orElseThrow();
        assertThat(v1.note()).contains("rated production calls");
        List<Example> examples = examples(ds, v1);
        // the system prompt the router sent comes first; the prompt's few-shot turns do not
        assertThat(examples).extracting(Example::messages).containsExactlyInAnyOrder(
                List.of(Message.system("You are Ava."), Message.user("good question"),
                        Message.assistant(CaptureTest.BASE + " says: good question")),
                List.of(Message.system("You are Ava."), Message.user("tricky question"),
                        Message.assistant("The right answer.")));
        Example corrected = examples.stream().filter(e -> e.tags().get("call_id").equals(wrong)).findFirst()
                .orElseThrow();
        assertThat(corrected.tags()).containsAllEntriesOf(Map.of("source", "capture", "rating", "down",
                "corrected", "true"));
        Example approved = examples.stream().filter(e -> e.tags().get("call_id").equals(good)).findFirst()
                .orElseThrow();
        assertThat(approved.tags()).containsAllEntriesOf(Map.of("source", "capture", "rating", "up", "topic", "faq"));
    }

    @Test
    void curatingTheSameCapturesAgain_isDeduplicatedLikeAnyImport() {
        captures.feedback(ask("one"), Feedback.up());
        captures.feedback(ask("two"), Feedback.score(0.9));
        Dataset ds = ft.dataset("ava", "prod");
        CaptureQuery rated = CaptureQuery.builder("ava").withFeedback().build();
        captures.curate(rated, ds, ImportOptions.defaults(), null);

        CurationResult again = captures.curate(rated, ds, ImportOptions.defaults(), null);

        assertThat(again.appended().created()).isFalse();
        assertThat(again.appended().duplicates()).isEqualTo(2);
        assertThat(ds.history()).hasSize(1);
    }

    @Test
    void retrainAdvice_countsCuratedExamples() {
        Dataset ds = ft.dataset("ava", "prod");
        List<Example> seed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seed.add(Example.of(Message.user("seed " + i), Message.assistant("answer " + i)));
        }
        DatasetVersion trained = ds.append(seed, "hand-written").version().orElseThrow();
        for (int i = 0; i < 5; i++) {
            captures.feedback(ask("production " + i), Feedback.up());
        }

        DatasetVersion now = captures.curate(CaptureQuery.builder("ava").rating(Rating.UP).build(), ds,
                ImportOptions.defaults(), null).appended().version().orElseThrow();
        RetrainAdvice advice = ds.retrainAdvice(trained, now, ft.trainingPolicy(), false);

        assertThat(now.number()).isEqualTo(2);
        assertThat(advice.newExamples()).isEqualTo(5);
        assertThat(advice.examplesNow()).isEqualTo(15);
    }

    @Test
    void queries_selectByTimeRangeModelVersionCorrectionAndTags() {
        Instant start = clock.instant();
        String early = ask("early");
        clock.advance(Duration.ofHours(2));
        ava.importModel("openai", "ft:gpt-4o-mini-2024-07-18:acme:ava:v1aaaaaa", CaptureTest.BASE, null);
        ava.activate(1, Change.SYSTEM);
        String late = ask("late");
        captures.feedback(early, Feedback.up().withTag("topic", "a"));
        captures.feedback(late, Feedback.down().withCorrection("fixed").withTag("topic", "b"));

        assertThat(ids(CaptureQuery.builder("ava").from(start.plus(Duration.ofHours(1))).build())).containsExactly(late);
        assertThat(ids(CaptureQuery.builder("ava").to(start.plus(Duration.ofHours(1))).build())).containsExactly(early);
        assertThat(ids(CaptureQuery.builder("ava").modelVersion(1).build())).containsExactly(late);
        assertThat(ids(CaptureQuery.builder("ava").modelVersion(0).build())).containsExactly(early);
        assertThat(ids(CaptureQuery.builder("ava").corrected(true).build())).containsExactly(late);
        assertThat(ids(CaptureQuery.builder("ava").corrected(false).build())).containsExactly(early);
        assertThat(ids(CaptureQuery.builder("ava").tag("topic", "a").build())).containsExactly(early);
        assertThat(ids(CaptureQuery.builder("ava").rating(Rating.DOWN).build())).containsExactly(late);
        assertThatThrownBy(() -> CaptureQuery.builder("ava").from(start).to(start).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must be before");
    }

    private List<String> ids(CaptureQuery q) {
        try (Stream<Capture> s = captures.find(q)) {
            return s.map(Capture::callId).toList();
        }
    }

    @Test
    void curate_intoAnotherAssistantsDataset_isRefused() {
        ft.createAssistant("bob", "openai", CaptureTest.BASE);

        assertThatThrownBy(() -> captures.curate(CaptureQuery.all("ava"), ft.dataset("bob", "prod"),
                ImportOptions.defaults(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bob/prod' belongs to assistant 'bob'");
    }
}
