package dev.finetune4j.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.Arm;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CaptureTest {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String V1 = "ft:gpt-4o-mini-2024-07-18:acme:ava:v1aaaaaa";
    static final Duration WAIT = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock();
    private final EchoChatProvider provider = new EchoChatProvider();
    private FineTuning ft;

    private FineTuning start(VersionStore store) {
        ft = FineTuning.builder().store(store).clock(clock).provider(provider).build();
        ft.createAssistant("ava", "openai", BASE);
        return ft;
    }

    @AfterEach
    void tearDown() {
        if (ft != null) {
            ft.close();
        }
    }

    private static List<Capture> all(Captures captures, String assistant) {
        try (Stream<Capture> s = captures.find(CaptureQuery.all(assistant))) {
            return s.toList();
        }
    }

    @Test
    void chat_withCaptureOn_storesTheConversationTheAnswerAndWhatAnsweredIt() {
        start(VersionStores.inMemory(clock));
        Assistant ava = ft.assistant("ava");
        ava.importModel("openai", V1, BASE, null);
        ava.activate(1, Change.SYSTEM);
        ava.createPrompt("You are Ava.", List.of(Example.of(Message.user("hey"), Message.assistant("Hey!"))), null);
        ava.activatePrompt(1, Change.SYSTEM);
        Captures captures = ft.captures();
        captures.enable("ava", CapturePolicy.builder().build());

        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            ChatResponse r = router.chat(ChatRequest.builder("ava").user("first").message(Message.assistant("ok"))
                    .user("call the shop").tool(ToolDefinition.of("lookup", null, null)).build());
            assertThat(captures.flush(WAIT)).isTrue();

            Capture c = captures.find(r.callId()).orElseThrow();
            // what the application sent, not the system prompt and few-shot turns the router added
            assertThat(c.messages()).containsExactly(Message.user("first"), Message.assistant("ok"),
                    Message.user("call the shop"));
            assertThat(c.tools()).containsExactly(ToolDefinition.of("lookup", null, null));
            assertThat(c.answer()).isEqualTo(V1 + " says: call the shop");
            assertThat(c.toolCalls()).isEqualTo(r.toolCalls());
            assertThat(c.servedBy()).isEqualTo(r.servedBy());
            assertThat(c.servedBy().modelVersion()).isEqualTo(1);
            assertThat(c.servedBy().promptVersion()).isEqualTo(1);
            assertThat(c.servedBy().arm()).isEqualTo(Arm.ACTIVE);
            assertThat(c.usage()).isEqualTo(new Usage(10, 5));
            assertThat(c.cost()).isEqualTo(r.cost());
            assertThat(c.latency().isNegative()).isFalse();
            assertThat(c.time()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(c.feedback()).isEmpty();
            assertThat(captures.stats().written()).isEqualTo(1);
        }
    }

    @Test
    void chat_withCaptureOff_writesNothing_andEveryResponseStillHasItsOwnCallId() {
        VersionStore store = VersionStores.inMemory(clock);
        start(store);
        Set<String> ids = new HashSet<>();
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            for (int i = 0; i < 20; i++) {
                ids.add(router.chat(ChatRequest.of("ava", "hi " + i)).callId());
            }
        }
        assertThat(ft.captures().flush(WAIT)).isTrue();

        assertThat(ids).hasSize(20).allMatch(id -> id.matches("c[0-9a-f]{28}"));
        assertThat(store.list(ft.tenant(), "capture-segments", null, 10).keys()).isEmpty();
        assertThat(ft.captures().stats()).isEqualTo(new CaptureStats(0, 0, 0, 0, 0));
    }

    @Test
    void capture_isPerAssistant_andStopsWhenDisabled() {
        start(VersionStores.inMemory(clock));
        ft.createAssistant("bob", "openai", BASE);
        Captures captures = ft.captures();
        captures.enable("ava", CapturePolicy.builder().build());
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            router.chat(ChatRequest.of("ava", "one"));
            router.chat(ChatRequest.of("bob", "not captured"));
            captures.flush(WAIT);
            captures.disable("ava");
            router.chat(ChatRequest.of("ava", "after disable"));
        }
        captures.flush(WAIT);

        assertThat(all(captures, "ava")).extracting(c -> c.messages().get(0).content().orElseThrow())
                .containsExactly("one");
        assertThat(all(captures, "bob")).isEmpty();
        assertThat(captures.policy("ava")).isEmpty();
        assertThatThrownBy(() -> captures.enable("nobody", CapturePolicy.builder().build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nobody");
    }

    @Test
    void streamedCalls_areCapturedWithTheWholeAnswer() {
        start(VersionStores.inMemory(clock));
        ft.captures().enable("ava", CapturePolicy.builder().build());
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            ChatResponse r = router.chatStream(ChatRequest.of("ava", "stream me"), text -> { });
            ft.captures().flush(WAIT);

            assertThat(ft.captures().find(r.callId()).orElseThrow().answer()).isEqualTo(BASE + " says: stream me");
        }
    }

    @Test
    void redaction_isAppliedBeforeAnythingIsWritten_noPersonalDataInTheFileStoresBytes(@TempDir Path dir)
            throws IOException {
        Redactor emails = text -> text.replaceAll("[\\w.]+@[\\w.]+", "[email]");
        start(VersionStores.file(dir, clock));
        ft.captures().enable("ava", CapturePolicy.builder().redactor(emails).build());
        String callId;
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            router.chat(ChatRequest.builder("ava").message(Message.user("I am bob.smith@example.com").withName(
                    "bob.smith@example.com")).build());
            callId = router.chat(ChatRequest.of("ava", "call bob.smith@example.com")).callId();
        }
        ft.captures().flush(WAIT);
        Capture c = ft.captures().feedback(callId, Feedback.down().withCorrection("Mail bob.smith@example.com back")
                .withNote("bob.smith@example.com complained"));
        ft.close();

        assertThat(c.messages()).containsExactly(Message.user("call [email]"));
        assertThat(c.answer()).isEqualTo(BASE + " says: call [email]");
        assertThat(c.toolCalls().get(0).arguments()).isEqualTo("{\"q\":\"call [email]\"}");
        assertThat(c.feedback().orElseThrow().correction()).contains("Mail [email] back");
        assertThat(c.feedback().orElseThrow().note()).contains("[email] complained");
        // the application's text reached the provider, but not one byte of it reached the store
        assertThat(provider.calls.get(0).messages().get(0).content()).contains("I am bob.smith@example.com");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).isNotEmpty();
        long holdingRedacted = 0;
        for (Path f : files) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(bytes).as(f.toString()).doesNotContain("bob.smith").doesNotContain("example.com");
            if (bytes.contains("[email]")) {
                holdingRedacted++;
            }
        }
        assertThat(holdingRedacted).as("files holding the redacted texts").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRedactorThatThrows_losesTheCapture_neverTheCall_andNeverWritesTheText() {
        VersionStore store = VersionStores.inMemory(clock);
        start(store);
        ft.captures().enable("ava", CapturePolicy.builder().redactor(text -> {
            throw new IllegalStateException("redaction service down");
        }).build());
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            assertThat(router.chat(ChatRequest.of("ava", "secret")).content()).isEqualTo(BASE + " says: secret");
        }
        ft.captures().flush(WAIT);

        assertThat(ft.captures().stats().failed()).isEqualTo(1);
        assertThat(ft.captures().stats().written()).isZero();
        assertThat(store.list(ft.tenant(), "capture-segments", null, 10).keys()).isEmpty();
    }

    @Test
    void sizeLimit_skipsAndCountsOversizedCaptures() {
        start(VersionStores.inMemory(clock));
        ft.captures().enable("ava", CapturePolicy.builder().maxRecordBytes(1024).build());
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            router.chat(ChatRequest.of("ava", "x".repeat(2000)));
            router.chat(ChatRequest.of("ava", "small"));
        }
        ft.captures().flush(WAIT);

        assertThat(ft.captures().stats().oversized()).isEqualTo(1);
        assertThat(all(ft.captures(), "ava")).hasSize(1);
        assertThatThrownBy(() -> CapturePolicy.builder().maxRecordBytes(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024").hasMessageContaining("10");
    }

    @Test
    void sampling_capturesAboutTheShareAsked() {
        start(VersionStores.inMemory(clock));
        ft.captures().enable("ava", CapturePolicy.builder().sampling(0.25).build());
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            for (int i = 0; i < 800; i++) {
                router.chat(ChatRequest.of("ava", "n" + i));
            }
        }
        ft.captures().flush(WAIT);

        // binomial(800, 0.25): mean 200, sd 12; the bounds are 8 sd away
        assertThat(ft.captures().stats().written()).isBetween(100L, 300L);
        assertThatThrownBy(() -> CapturePolicy.builder().sampling(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 0.0");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)   // a guard against a hang, not a timing assertion
    void aStoreThatStopsAnswering_failsOrHoldsNoChatCall_andTheOverflowIsCountedAsDropped() throws Exception {
        GatedStore store = new GatedStore(VersionStores.inMemory(clock));
        start(store);
        ft.captures().enable("ava", CapturePolicy.builder().build());
        int calls = 12_000;
        List<ChatResponse> answers = new ArrayList<>();
        store.shut();
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            answers.add(router.chat(ChatRequest.of("ava", "first")));
            assertThat(store.blocked.await(60, TimeUnit.SECONDS)).as("the writer reached the closed gate").isTrue();
            // the writer is stuck in the store: every later call must still return, none may fail
            for (int i = 1; i < calls; i++) {
                answers.add(router.chat(ChatRequest.of("ava", "n" + i)));
            }
        }
        CaptureStats stuck = ft.captures().stats();
        store.open();
        assertThat(ft.captures().flush(WAIT)).isTrue();
        CaptureStats done = ft.captures().stats();

        assertThat(answers).hasSize(calls).allMatch(a -> a.content().startsWith(BASE + " says: "));
        assertThat(stuck.pending()).isEqualTo(8192);   // the queue is full ...
        assertThat(stuck.dropped()).isEqualTo(calls - 1 - 8192);   // ... and everything beyond it was dropped
        assertThat(done.written() + done.dropped()).isEqualTo(calls);
        assertThat(done.written()).isEqualTo(1 + 8192);
        assertThat(all(ft.captures(), "ava")).hasSize(1 + 8192);
    }

    @Test
    void closingFineTuning_writesWhatIsStillQueued() {
        VersionStore store = VersionStores.inMemory(clock);
        start(store);
        ft.captures().enable("ava", CapturePolicy.builder().build());
        ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults());
        for (int i = 0; i < 50; i++) {
            router.chat(ChatRequest.of("ava", "n" + i));
        }
        ft.close();

        try (FineTuning again = FineTuning.builder().store(store).clock(clock).provider(provider).build()) {
            assertThat(all(again.captures(), "ava")).hasSize(50);
        }
    }
}
