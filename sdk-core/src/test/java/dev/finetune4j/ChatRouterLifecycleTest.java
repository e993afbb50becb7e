package dev.finetune4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.Arm;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.eval.EvalSpec;
import dev.finetune4j.eval.EvalTarget;
import dev.finetune4j.eval.Scorers;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.StubProvider;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a router leaves behind: nothing once closed (no selection subscriber, no registration in its
 * {@code FineTuning}, no thread), nothing once collected, and a shadow pool that stays bounded.
 */
class ChatRouterLifecycleTest {

    static final String BASE = "gpt-4o-mini-2024-07-18";
    static final String V1 = "ft:gpt-4o-mini-2024-07-18:acme:ava:v1aaaaaa";
    static final String V2 = "ft:gpt-4o-mini-2024-07-18:acme:ava:v2bbbbbb";

    /** Answers "answer from MODEL"; calls to the candidate wait for {@link #releaseCandidate} when it is armed. */
    static final class Provider extends StubProvider {
        volatile CountDownLatch candidateGate = new CountDownLatch(0);
        final CountDownLatch releaseCandidate = new CountDownLatch(1);
        final AtomicInteger candidateCalls = new AtomicInteger();

        Provider() {
            super("openai");
        }

        @Override
        public ChatResult chat(ChatCall call) {
            if (call.model().equals(V2)) {
                candidateCalls.incrementAndGet();
                try {
                    candidateGate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransportException("interrupted", e, "openai", false);
                }
            }
            return new ChatResult("answer from " + call.model(), List.of(), "stop", new Usage(10, 5), call.model(),
                    "req");
        }
    }

    private final Provider provider = new Provider();
    private FineTuning ft;
    private Assistant ava;
    private Set<Thread> threadsBefore;

    @BeforeEach
    void setUp() {
        threadsBefore = liveThreads();
        ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider).build();
        ava = ft.createAssistant("ava", "openai", BASE);
        ava.importModel("openai", V1, BASE, null);
        ava.importModel("openai", V2, BASE, null);
        ava.activate(1, Change.SYSTEM);
        ava.setCandidate(2, 50, Change.SYSTEM);   // shadow routers send it copies; others a share of subjects
    }

    @AfterEach
    void tearDown() {
        provider.releaseCandidate.countDown();
        ft.close();
    }

    private static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** Waits for the threads started since {@link #setUp()} to end, then returns those still alive. */
    private List<String> threadsLeftBehind() throws InterruptedException {
        for (Thread t : liveThreads()) {
            if (!threadsBefore.contains(t)) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        return liveThreads().stream().filter(t -> !threadsBefore.contains(t)).map(Thread::getName).toList();
    }

    private static ChatRequest hi() {
        return ChatRequest.builder("ava").user("hi").subject("u1").build();
    }

    private static ChatRouter.Options shadow(CountDownLatch heard) {
        return ChatRouter.Options.defaults().withShadow((request, primary, shadow, error) -> heard.countDown());
    }

    @Test
    void creatingAndClosing100000Routers_leavesNoSubscriberNoRegistrationAndNoThread() throws Exception {
        // every 100th router stays reachable after close: if close left the bus or the registry,
        // these 1,000 would still be counted, whatever the garbage collector does with the rest
        List<ChatRouter> keptAfterClose = new ArrayList<>();
        CountDownLatch ignored = new CountDownLatch(Integer.MAX_VALUE);
        for (int i = 0; i < 100_000; i++) {
            boolean withShadow = i % 1_000 == 0;
            try (ChatRouter router = ft.chatRouter(withShadow ? shadow(ignored) : ChatRouter.Options.defaults())) {
                if (i % 100 == 0) {
                    assertThat(router.chat(hi()).content()).startsWith("answer from ft:");
                    assertThat(ft.selectionSubscribers()).isEqualTo(1);
                    assertThat(ft.openResources()).isEqualTo(1);
                    keptAfterClose.add(router);
                }
            }
        }

        assertThat(keptAfterClose).hasSize(1_000);
        assertThat(ft.selectionSubscribers()).isZero();
        assertThat(ft.openResources()).isZero();
        assertThat(provider.candidateCalls.get()).as("shadow copies sent by the 100 shadow routers").isPositive();
        assertThat(threadsLeftBehind()).isEmpty();
    }

    @Test
    void aClosedRouter_refusesCalls_namingItself_andCloseIsIdempotent() {
        ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults());
        assertThat(router.chat(hi()).content()).startsWith("answer from ft:");

        router.close();
        router.close();
        router.invalidate();

        String name = router.toString().replaceAll("^ChatRouter\\[([^,]+),.*$", "$1");
        assertThat(name).startsWith("finetune4j-router-");
        assertThatThrownBy(() -> router.chat(hi())).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("chat router " + name + " is closed;");
        assertThatThrownBy(() -> router.chatStream(hi(), piece -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(name + " is closed");
        assertThat(ft.selectionSubscribers()).isZero();
    }

    @Test
    void closingTheFineTuning_closesItsRoutersAndTenantViews_andRefusesNewRouters() throws Exception {
        ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults());
        FineTuning other = ft.forTenant(Tenant.of("other"));
        other.createAssistant("ava", "openai", BASE);
        ChatRouter otherRouter = other.chatRouter(ChatRouter.Options.defaults());
        CountDownLatch heard = new CountDownLatch(1);
        ChatRouter shadowRouter = ft.chatRouter(shadow(heard));
        shadowRouter.chat(hi());
        assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ft.openResources()).isEqualTo(3);   // two routers and the tenant view

        ft.close();
        ft.close();

        assertThatThrownBy(() -> router.chat(hi())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> otherRouter.chat(hi())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> ft.chatRouter(ChatRouter.Options.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("this FineTuning (tenant 'default') is closed; build a new one");
        assertThatThrownBy(() -> other.chatRouter(ChatRouter.Options.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tenant 'other'");
        assertThat(ft.selectionSubscribers()).isZero();
        assertThat(other.selectionSubscribers()).isZero();
        assertThat(ft.openResources()).isZero();
        assertThat(threadsLeftBehind()).isEmpty();
    }

    @Test
    void closingATenantView_closesOnlyItsOwnRouters_andLeavesTheParent() {
        ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults());
        FineTuning other = ft.forTenant(Tenant.of("other"));
        other.createAssistant("ava", "openai", BASE);
        ChatRouter otherRouter = other.chatRouter(ChatRouter.Options.defaults());

        other.close();

        assertThatThrownBy(() -> otherRouter.chat(hi())).isInstanceOf(IllegalStateException.class);
        assertThat(router.chat(hi()).content()).startsWith("answer from ft:");
        assertThat(ft.openResources()).isEqualTo(1);   // the router; the closed view has left
    }

    /** A router used once and dropped without close; returns a probe that clears when it is collected. */
    private WeakReference<ChatRouter> useAndDrop(ChatRouter.Options options) {
        ChatRouter router = ft.chatRouter(options);
        router.chat(hi());
        return new WeakReference<>(router);
    }

    @Test
    void aRouterDroppedWithoutClose_isCollected_andLeavesTheBusAndTheRegistry() throws Exception {
        CountDownLatch heard = new CountDownLatch(1);
        WeakReference<ChatRouter> plain = useAndDrop(ChatRouter.Options.defaults());
        WeakReference<ChatRouter> withShadow = useAndDrop(shadow(heard));
        assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();   // its pool has a live (idle) thread now

        for (int i = 0; i < 50 && (plain.get() != null || withShadow.get() != null); i++) {
            System.gc();
        }

        assertThat(plain.get()).as("a plain router nothing references").isNull();
        assertThat(withShadow.get()).as("a shadow router whose pool thread is idle").isNull();
        assertThat(ft.selectionSubscribers()).isZero();
        assertThat(ft.openResources()).isZero();
    }

    @Test
    void shadowCopiesBeyondThePoolAndItsQueue_areDroppedAndCounted_andTheCallerNeverWaits() throws Exception {
        provider.candidateGate = provider.releaseCandidate;
        int threads = 2;
        int queue = 64;   // the bound ChatRouter.droppedShadowCalls() documents
        int calls = threads + queue + 5;
        CountDownLatch heard = new CountDownLatch(threads + queue);
        try (ChatRouter router = ft.chatRouter(shadow(heard))) {
            List<ChatResponse> answers = CompletableFuture.supplyAsync(() -> {
                List<ChatResponse> out = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    out.add(router.chat(hi()));
                }
                return out;
            }).get(30, TimeUnit.SECONDS);   // a caller held up by its shadow copies would never finish

            assertThat(answers).hasSize(calls).allSatisfy(a -> {
                assertThat(a.servedBy().arm()).isEqualTo(Arm.ACTIVE);
                assertThat(a.content()).isEqualTo("answer from " + V1);
            });
            assertThat(router.droppedShadowCalls()).isEqualTo(5);

            provider.releaseCandidate.countDown();
            assertThat(heard.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(provider.candidateCalls.get()).isEqualTo(threads + queue);
            assertThat(router.droppedShadowCalls()).isEqualTo(5);
        }
    }

    @Test
    void closingAShadowRouter_dropsTheQueuedCopies_interruptsTheOnesInFlight_andEndsItsThreads() throws Exception {
        provider.candidateGate = provider.releaseCandidate;
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults()
                .withShadow((request, primary, shadow, error) -> errors.add(error)));
        for (int i = 0; i < 12; i++) {
            router.chat(hi());
        }
        assertThat(router.droppedShadowCalls()).isZero();

        router.close();

        assertThat(router.droppedShadowCalls()).isEqualTo(10);   // 2 were running, 10 waited in the queue
        assertThat(threadsLeftBehind()).isEmpty();
        assertThat(errors).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOf(TransportException.class));
        assertThat(provider.candidateCalls.get()).isEqualTo(2);
    }

    @Test
    void anEvaluation_opensItsOwnRouter_andClosesItWhenItReturns() {
        List<Example> set = List.of(Example.of(Message.user("hi"), Message.assistant("answer from " + V1)));

        var report = ft.evaluator().evaluate(EvalSpec.builder("ava").examples(set).target(EvalTarget.version(1))
                .scorer(Scorers.exactMatch()).build());

        assertThat(report.summary(EvalTarget.version(1), "exact").mean()).isEqualTo(1.0);
        assertThat(ft.selectionSubscribers()).isZero();
        assertThat(ft.openResources()).isZero();
    }
}
