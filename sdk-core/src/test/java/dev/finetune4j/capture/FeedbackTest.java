package dev.finetune4j.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedbackTest {

    private final ManualClock clock = new ManualClock();
    private final VersionStore store = VersionStores.inMemory(clock);
    private FineTuning ft;
    private ChatRouter router;
    private Captures captures;

    @BeforeEach
    void setUp() {
        ft = FineTuning.builder().store(store).clock(clock).provider(new EchoChatProvider()).build();
        ft.createAssistant("ava", "openai", CaptureTest.BASE);
        captures = ft.captures();
        captures.enable("ava", CapturePolicy.builder().build());
        router = ft.chatRouter(ChatRouter.Options.defaults());
    }

    @AfterEach
    void tearDown() {
        ft.close();
    }

    @Test
    void feedback_rightAfterTheCall_isAttachedToItsCapture_andTheLatestReplacesEarlierOnes() {
        String callId = router.chat(ChatRequest.of("ava", "what is 2+2")).callId();

        // no flush: feedback waits for the capture to be written
        Capture rated = captures.feedback(callId, Feedback.down().withNote("wrong"));
        clock.advance(Duration.ofMinutes(5));
        captures.feedback(callId, Feedback.down().withCorrection("4").withTag("topic", "math"));

        assertThat(rated.feedback()).contains(Feedback.down().withNote("wrong"));
        Capture c = captures.find(callId).orElseThrow();
        assertThat(c.feedback()).contains(Feedback.down().withCorrection("4").withTag("topic", "math"));
        // every revision is kept, as for every record of the store
        try (Stream<?> history = store.history(new StoreKey(ft.tenant(), "capture-feedback", "ava/" + callId))) {
            assertThat(history).hasSize(2);
        }
    }

    @Test
    void aScore_isStoredAndReadBack() {
        String callId = router.chat(ChatRequest.of("ava", "hi")).callId();

        captures.feedback(callId, Feedback.score(0.75));

        Feedback f = captures.find(callId).orElseThrow().feedback().orElseThrow();
        assertThat(f.score()).hasValue(0.75);
        assertThat(f.rating()).isEmpty();
        assertThat(f.positive()).isTrue();
    }

    @Test
    void feedback_onACallThatWasNotCaptured_isNotFound_andNothingIsStored() {
        captures.disable("ava");
        String callId = router.chat(ChatRequest.of("ava", "not captured")).callId();

        assertThatThrownBy(() -> captures.feedback(callId, Feedback.up())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(callId).hasMessageContaining("not sampled");
        assertThat(store.list(ft.tenant(), "capture-feedback", null, 10).keys()).isEmpty();
    }

    @Test
    void badInput_isRejectedWithTheValueAndWhatWouldBeRight() {
        assertThatThrownBy(() -> captures.feedback("42", Feedback.up())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'42' is not a call id").hasMessageContaining("28 hex digits");
        assertThatThrownBy(() -> Feedback.score(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 to 1, was 1.5");
        assertThatThrownBy(() -> Feedback.up().withCorrection(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Feedback.up().withCorrection("secret text").withNote("private").toString())
                .doesNotContain("secret").doesNotContain("private");
        assertThat(Feedback.up().withTag("topic", "x").tags()).isEqualTo(Map.of("topic", "x"));
    }
}
