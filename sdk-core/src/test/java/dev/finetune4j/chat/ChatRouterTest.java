package dev.finetune4j.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.ServerException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Fallback;
import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatRouterTest {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String V1 = "ft:gpt-4o-mini-2024-07-18:acme:ava:v1aaaaaa";
    static final String V2 = "ft:gpt-4o-mini-2024-07-18:acme:ava:v2bbbbbb";


    private final ManualClock clock = new ManualClock();
    private final VersionStore store = VersionStores.inMemory(clock);
    private final FakeChatProvider provider = new FakeChatProvider();
    private FineTuning ft;
    private Assistant ava;
    private ChatRouter router;

    @BeforeEach
    void setUp() {
        ft = FineTuning.builder().store(store).clock(clock).provider(provider).build();
        ava = ft.createAssistant("ava", "openai", BASE);
        ava.importModel("openai", V1, BASE, null);
        ava.importModel("openai", V2, BASE, null);
        router = ft.chatRouter(ChatRouter.Options.defaults());
    }

    private ChatResponse ask(String subject) {
        return router.chat(ChatRequest.builder("ava").user("hi").subject(subject).build());
    }

    @Test
    void chat_withoutActiveVersion_usesTheBaseModel() {
        ChatResponse r = ask("u1");

        assertThat(r.content()).isEqualTo("answer from " + BASE);
        assertThat(r.servedBy()).isEqualTo(new ServedBy("ava", 0, 0, "openai", BASE, Arm.ACTIVE, false, ""));
    }

    @Test
    void chat_usesTheActiveVersion_withTheActivePromptAndItsFewShots_beforeTheConversation() {
        ava.activate(1, Change.SYSTEM);
        ava.createPrompt("You are Ava.", List.of(Example.of(Message.system("ignored"), Message.user("hey"),
                Message.assistant("Hey! Ready?"))), null);
        ava.activatePrompt(1, Change.SYSTEM);

        ChatResponse r = router.chat(ChatRequest.builder("ava").user("first").message(Message.assistant("ok"))
                .user("second").temperature(0.2).maxTokens(50).build());

        assertThat(r.servedBy().modelVersion()).isEqualTo(1);
        assertThat(r.servedBy().promptVersion()).isEqualTo(1);
        assertThat(r.servedBy().providerModelId()).isEqualTo(V1);
        var call = provider.calls.get(provider.calls.size() - 1);
        assertThat(call.model()).isEqualTo(V1);
        assertThat(call.messages()).containsExactly(Message.system("You are Ava."), Message.user("hey"),
                Message.assistant("Hey! Ready?"), Message.user("first"), Message.assistant("ok"), Message.user("second"));
        assertThat(call.options()).isEqualTo(ChatOptions.builder().temperature(0.2).maxTokens(50).build());
    }

    @Test
    void activationInThisJvm_takesEffectOnTheNextCall_andOtherProcessesWithinTheRefreshInterval() {
        ava.activate(1, Change.SYSTEM);
        assertThat(ask("u").servedBy().modelVersion()).isEqualTo(1);

        ava.activate(2, Change.SYSTEM);
        assertThat(ask("u").servedBy().modelVersion()).isEqualTo(2);

        FineTuning otherProcess = FineTuning.builder().store(store).clock(clock).provider(provider).build();
        otherProcess.assistant("ava").activate(1, Change.SYSTEM);
        assertThat(ask("u").servedBy().modelVersion()).as("cached").isEqualTo(2);
        clock.advance(Duration.ofSeconds(6));
        assertThat(ask("u").servedBy().modelVersion()).isEqualTo(1);
    }

    @Test
    void goneModel_fallsBackToTheBaseModel_andItsCircuitOpensThenRecovers() {
        ava.activate(2, Change.SYSTEM);
        provider.gone.add(V2);

        ChatResponse r = ask("u");

        assertThat(r.content()).isEqualTo("answer from " + BASE);
        assertThat(r.servedBy().fallback()).isTrue();
        assertThat(r.servedBy().modelVersion()).isZero();
        assertThat(r.servedBy().fallbackReason()).isEqualTo(V2 + " model not found (404)");
        ask("u");
        ask("u");
        assertThat(provider.callsTo(V2)).isEqualTo(3);

        ChatResponse open = ask("u");
        assertThat(open.servedBy().fallbackReason()).isEqualTo("circuit open for " + V2);
        assertThat(provider.callsTo(V2)).as("not called while open").isEqualTo(3);

        provider.gone.remove(V2);
        clock.advance(Duration.ofSeconds(31));
        ChatResponse recovered = ask("u");
        assertThat(recovered.servedBy().fallback()).isFalse();
        assertThat(recovered.servedBy().modelVersion()).isEqualTo(2);
    }

    @Test
    void theOnlyTarget_isStillTriedWithItsCircuitOpen() {
        provider.failing.add(BASE);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> ask("u")).isInstanceOf(ServerException.class);
        }
        provider.failing.remove(BASE);

        assertThat(ask("u").content()).isEqualTo("answer from " + BASE);
        assertThat(provider.callsTo(BASE)).isEqualTo(4);
    }

    @Test
    void canary_sharesAreStickyPerSubject_andWithinTwoPercent() {
        ava.activate(1, Change.SYSTEM);
        ava.setCandidate(2, 10, Change.SYSTEM);
        int candidate = 0;
        List<Integer> firstArm = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int v = ask("user-" + i).servedBy().modelVersion();
            firstArm.add(v);
            if (v == 2) {
                candidate++;
            }
        }
        for (int i = 0; i < 10_000; i += 7) {
            ChatResponse again = ask("user-" + i);
            assertThat(again.servedBy().modelVersion()).isEqualTo(firstArm.get(i));
            assertThat(again.servedBy().arm()).isEqualTo(firstArm.get(i) == 2 ? Arm.CANDIDATE : Arm.ACTIVE);
        }
        assertThat(candidate).isBetween(800, 1200);
    }

    @Test
    void pinning_testsAVersionWithoutActivatingIt() {
        ava.activate(1, Change.SYSTEM);

        ChatResponse pinned = router.chat(ChatRequest.builder("ava").user("hi").pinModelVersion(2).build());
        ChatResponse base = router.chat(ChatRequest.builder("ava").user("hi").pinBaseModel().build());

        assertThat(pinned.servedBy().modelVersion()).isEqualTo(2);
        assertThat(pinned.servedBy().arm()).isEqualTo(Arm.PINNED);
        assertThat(base.servedBy().providerModelId()).isEqualTo(BASE);
        assertThat(ava.selection().activeModelVersion()).hasValue(1);
    }

    @Test
    void shadow_sendsACopyToTheCandidate_andTheCallerGetsTheActiveAnswer() throws Exception {
        ava.activate(1, Change.SYSTEM);
        ava.setCandidate(2, 50, Change.SYSTEM);
        CountDownLatch heard = new CountDownLatch(1);
        AtomicReference<ChatResponse> shadow = new AtomicReference<>();
        ChatRouter shadowRouter = ft.chatRouter(ChatRouter.Options.defaults().withShadow((q, p, s, e) -> {
            shadow.set(s);
            heard.countDown();
        }));

        ChatResponse r = shadowRouter.chat(ChatRequest.builder("ava").user("hi").subject("anyone").build());

        assertThat(r.servedBy().modelVersion()).isEqualTo(1);
        assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(shadow.get().servedBy().modelVersion()).isEqualTo(2);
        assertThat(shadow.get().servedBy().arm()).isEqualTo(Arm.CANDIDATE);
    }

    @Test
    void streaming_deliversPieces_fallsBackBeforeTheFirst_andFailsAfterIt() {
        ava.activate(1, Change.SYSTEM);
        List<String> pieces = new ArrayList<>();

        ChatResponse r = router.chatStream(ChatRequest.of("ava", "hi"), pieces::add);
        assertThat(pieces).containsExactly("answer ", "from ", V1);
        assertThat(r.content()).isEqualTo("answer from " + V1);
        assertThat(r.usage()).isEqualTo(new Usage(1000, 500));

        provider.failAfterDeltas.put(V1, 0);
        pieces.clear();
        ChatResponse fallback = router.chatStream(ChatRequest.of("ava", "hi"), pieces::add);
        assertThat(fallback.servedBy().fallback()).isTrue();
        assertThat(pieces).containsExactly("answer ", "from ", BASE);

        provider.failAfterDeltas.put(V1, 1);
        assertThatThrownBy(() -> router.chatStream(ChatRequest.of("ava", "hi"), p -> { }))
                .isInstanceOf(ServerException.class).hasMessage("stream broke");
    }

    @Test
    void usage_andCost_areReportedPerVersion() {
        ava.activate(1, Change.SYSTEM);
        List<ServedBy> heard = new ArrayList<>();
        ChatRouter withListener = ft.chatRouter(ChatRouter.Options.defaults()
                .withUsageListener((s, u, r) -> heard.add(s)));

        ChatResponse fineTuned = withListener.chat(ChatRequest.of("ava", "hi"));
        ChatResponse base = withListener.chat(ChatRequest.builder("ava").user("hi").pinBaseModel().build());

        assertThat(fineTuned.cost()).contains(Money.usd("0.0009"));   // 1000 x 0.30 + 500 x 1.20 per million
        assertThat(base.cost()).contains(Money.usd("0.00045"));       // 1000 x 0.15 + 500 x 0.60 per million
        assertThat(heard).extracting(ServedBy::modelVersion).containsExactly(1, 0);
    }

    @Test
    void activationsDuringLoad_failNoCall() throws Exception {
        ava.activate(1, Change.SYSTEM);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            pool.submit(() -> {
                while (!stop.get()) {
                    try {
                        int v = ask("x").servedBy().modelVersion();
                        if (v != 1 && v != 2) {
                            failures.add(new AssertionError("served by " + v));
                        }
                        ok.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            });
        }
        for (int i = 0; i < 200; i++) {
            ava.activate(i % 2 == 0 ? 2 : 1, Change.SYSTEM);
        }
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(failures).isEmpty();
        assertThat(ok.get()).isPositive();
    }

    @Test
    void deleteWithProviderModel_deletesItAtTheProvider_andTheRouterFallsBackIfAnyoneStillPinsIt() {
        ava.activate(2, Change.SYSTEM);

        dev.finetune4j.assistant.DeletionReport report = ava.delete(2, true, Change.by("alice", "gone"));

        assertThat(report.providerModelDeleted()).isTrue();
        assertThat(report.providerOutcome()).isEqualTo("deleted " + V2 + " at openai");
        assertThat(provider.gone).contains(V2);
        assertThat(ask("u").servedBy().modelVersion()).as("deactivated first").isZero();

        FineTuning noProviders = FineTuning.builder().store(store).clock(clock).build();
        dev.finetune4j.assistant.DeletionReport kept = noProviders.assistant("ava").delete(1, true, Change.SYSTEM);
        assertThat(kept.providerModelDeleted()).isFalse();
        assertThat(kept.providerOutcome()).isEqualTo("kept: no provider 'openai' is configured to delete " + V1);
    }

    @Test
    void aModelTheProviderCallsInvalid_fallsBackToTheBaseModel() {
        ava.activate(2, Change.SYSTEM);
        provider.invalid.add(V2);

        ChatResponse r = ask("u");

        assertThat(r.servedBy().fallback()).isTrue();
        assertThat(r.servedBy().fallbackReason()).isEqualTo(V2 + " model refused as invalid (400)");
    }

    @Test
    void fallbackChain_goneModels_moveToTheNextEntryInOrder_withoutFailingTheCaller() {
        java.time.LocalDate lastDay = java.time.LocalDate.parse("2026-12-31");
        ava.activate(2, List.of(Fallback.until(1, lastDay), Fallback.baseModel()), Change.SYSTEM);
        provider.gone.add(V2);

        ChatResponse toSource = ask("u");
        assertThat(toSource.content()).isEqualTo("answer from " + V1);
        assertThat(toSource.servedBy().modelVersion()).isEqualTo(1);
        assertThat(toSource.servedBy().fallback()).isTrue();
        assertThat(toSource.servedBy().fallbackReason()).isEqualTo(V2 + " model not found (404)");

        provider.gone.add(V1);
        ChatResponse toBase = ask("u");
        assertThat(toBase.content()).isEqualTo("answer from " + BASE);
        assertThat(toBase.servedBy().fallbackReason())
                .isEqualTo(V2 + " model not found (404); " + V1 + " model not found (404)");
    }

    @Test
    void fallbackEntry_pastItsLastDay_isNotCalled() {
        ava.activate(2, List.of(Fallback.until(1, java.time.LocalDate.parse("2026-11-21")), Fallback.baseModel()),
                Change.SYSTEM);
        provider.gone.add(V2);
        clock.advance(Duration.ofDays(1));

        ChatResponse r = ask("u");

        assertThat(r.servedBy().modelVersion()).isZero();
        assertThat(provider.callsTo(V1)).isZero();
    }

    @Test
    void fallbackChain_withoutTheBaseModel_failsWithTheLastEntrysError_whenEveryEntryIsGone() {
        ava.activate(2, List.of(Fallback.to(1)), Change.SYSTEM);
        provider.gone.add(V2);
        provider.gone.add(V1);

        assertThatThrownBy(() -> ask("u")).isInstanceOf(dev.finetune4j.NotFoundException.class);
        assertThat(provider.callsTo(V1)).isEqualTo(1);
        assertThat(provider.callsTo(BASE)).isZero();
    }
}
