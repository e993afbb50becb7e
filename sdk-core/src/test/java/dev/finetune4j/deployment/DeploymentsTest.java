package dev.finetune4j.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.DeploymentRequiredException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.TimelineEntry;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.cost.Money;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deployments recorded in the store around a provider whose trained models need one: durability
 * (record before the remote call, crash and lost answers reconciled by tag), activation guarded,
 * undeploy guarded, the timeline, the router at the deployment's address, and cost.
 */
class DeploymentsTest {

    static final String BASE = "base-model-1";
    static final String V1 = "acme/ava-adapter-1";

    private final ManualClock clock = new ManualClock();
    private final Sleeper sleeper = clock::advance;
    private final VersionStore store = VersionStores.inMemory(clock);
    private final FakeDeployingProvider provider = new FakeDeployingProvider();
    private FineTuning ft;
    private Assistant ava;

    @BeforeEach
    void setUp() {
        ft = open();
        ava = ft.createAssistant("ava", "deployer", BASE);
        ava.importModel("deployer", V1, BASE, null);
    }

    @AfterEach
    void tearDown() {
        ft.close();
    }

    /** A library instance on the shared store: a "process" (a second one is a restart). */
    private FineTuning open() {
        return FineTuning.builder().store(store).clock(clock).sleeper(sleeper).provider(provider).build();
    }

    private Deployment deployReady() {
        Deployment d = ft.deployments().deploy("ava", 1, DeploymentSpec.defaults(), Change.by("ops", "serve v1"));
        return d.awaitReady(Duration.ofMinutes(10));
    }

    @Test
    void deploy_recordsTheDeploymentBeforeAskingTheProvider_taggedWithItsId() {
        AtomicReference<List<Deployment>> seenDuringCreate = new AtomicReference<>();
        provider.onDeploy = () -> seenDuringCreate.set(ft.deployments().list("ava"));

        Deployment d = ft.deployments().deploy("ava", 1, DeploymentSpec.defaults(), Change.by("ops", "serve v1"));

        assertThat(seenDuringCreate.get()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(d.id());
            assertThat(r.state()).isEqualTo(DeploymentState.PENDING);
            assertThat(r.rawState()).isEqualTo("recorded");
            assertThat(r.remoteId()).isEmpty();
        });
        assertThat(d.id()).matches("ftd-[0-9a-z]{12}");
        assertThat(provider.created).containsExactly(d.id());
        assertThat(d.remoteId()).contains(d.id());
        assertThat(d.state()).isEqualTo(DeploymentState.PENDING);
        assertThat(ft.deployments().deployment(d.id()).remoteId()).contains(d.id());
    }

    @Test
    void awaitReady_followsTheStates_checksServingOnce_andRecordsTheAddressAndTheTimeline() {
        Deployment d = deployReady();

        assertThat(d.state()).isEqualTo(DeploymentState.READY);
        assertThat(d.address()).contains(ServingAddress.of(FakeDeployingProvider.url(d.id()), "served-" + d.id()));
        assertThat(d.readyAt()).isPresent();
        assertThat(provider.verified).containsExactly(d.id());
        assertThat(ft.deployments().serving("ava", 1)).map(Deployment::id).contains(d.id());
        assertThat(ava.timeline().filter(e -> e.action() == TimelineEntry.Action.DEPLOY))
                .singleElement().satisfies(e -> {
                    assertThat(e.version()).isEqualTo(1);
                    assertThat(e.actor()).isEqualTo("ops");
                    assertThat(e.reason()).contains("serve v1").contains(d.id());
                    assertThat(e.after().activeModelVersion()).isEqualTo(e.before().activeModelVersion());
                    assertThat(e.after().candidateModelVersion()).isEqualTo(e.before().candidateModelVersion());
                    assertThat(e.after().revision()).isEqualTo(e.before().revision() + 1);
                });
    }

    @Test
    void deploySameIntentAgain_returnsTheExistingDeployment_withoutASecondRemoteOne() {
        Deployment first = deployReady();

        Deployment second = ft.deployments().deploy("ava", 1, DeploymentSpec.defaults(), Change.SYSTEM);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.reused()).isTrue();
        assertThat(provider.created).hasSize(1);
        Deployment third = ft.deployments().deploy("ava", 1, DeploymentSpec.builder().again(true).build(),
                Change.SYSTEM);
        assertThat(third.id()).isNotEqualTo(first.id());
        assertThat(provider.created).hasSize(2);
    }

    @Test
    void processKilledBetweenTheRemoteCreateAndItsRecord_isReconciledOnRestart_withExactlyOneRemoteDeployment() {
        provider.killAfterNextCreate = true;
        assertThatThrownBy(() -> ft.deployments().deploy("ava", 1, DeploymentSpec.defaults(), Change.SYSTEM))
                .isInstanceOf(FakeDeployingProvider.Killed.class);
        String id = ft.deployments().list("ava").get(0).id();
        assertThat(ft.deployments().deployment(id).remoteId()).isEmpty();

        try (FineTuning restarted = open()) {
            List<Deployment> touched = restarted.deployments().resume();

            assertThat(touched).extracting(Deployment::id).containsExactly(id);
            assertThat(provider.created).containsExactly(id);
            Deployment d = restarted.deployments().deployment(id);
            assertThat(d.remoteId()).contains(id);
            assertThat(d.awaitReady(Duration.ofMinutes(10)).state()).isEqualTo(DeploymentState.READY);
            assertThat(provider.created).containsExactly(id);
            assertThat(restarted.assistant("ava").timeline().filter(e -> e.action() == TimelineEntry.Action.DEPLOY))
                    .hasSize(1);
        }
    }

    @Test
    void deployAgainAfterTheKill_adoptsTheRemoteDeploymentByItsTag() {
        provider.killAfterNextCreate = true;
        assertThatThrownBy(() -> ft.deployments().deploy("ava", 1, DeploymentSpec.defaults(), Change.SYSTEM))
                .isInstanceOf(FakeDeployingProvider.Killed.class);

        try (FineTuning restarted = open()) {
            Deployment d = restarted.deployments().deploy("ava", 1, DeploymentSpec.defaults(), Change.SYSTEM);

            assertThat(d.reused()).isTrue();
            assertThat(provider.created).containsExactly(d.id());
            assertThat(d.remoteId()).contains(d.id());
        }
    }

    @Test
    void createWhoseAnswerIsLost_isFoundByItsTag_notCreatedTwice() {
        provider.loseNextCreateAnswer = true;

        Deployment d = ft.deployments().deploy("ava", 1, DeploymentSpec.defaults(), Change.SYSTEM);

        assertThat(provider.created).containsExactly(d.id());
        assertThat(d.remoteId()).contains(d.id());
        assertThat(d.state()).isNotEqualTo(DeploymentState.FAILED);
    }

    @Test
    void activate_withoutAReadyDeployment_isRefused_sayingHowToDeploy_andChangesNothing() {
        assertThatThrownBy(() -> ava.activate(1, Change.SYSTEM))
                .isInstanceOf(DeploymentRequiredException.class)
                .hasMessageContaining("deployer serves a trained model only once it is deployed")
                .hasMessageContaining("it has no deployment")
                .hasMessageContaining("finetune4j deploy ava 1 --wait")
                .hasMessageContaining("finetune4j activate ava 1 --deploy");
        assertThatThrownBy(() -> ava.setCandidate(1, 10, Change.SYSTEM))
                .isInstanceOf(DeploymentRequiredException.class)
                .hasMessageContaining("make a candidate of");
        assertThat(ava.selection().activeModelVersion()).isEmpty();

        ft.deployments().deploy("ava", 1, DeploymentSpec.defaults(), Change.SYSTEM);
        assertThatThrownBy(() -> ava.activate(1, Change.SYSTEM))
                .isInstanceOf(DeploymentRequiredException.class)
                .hasMessageContaining("is PENDING, not ready yet");
    }

    @Test
    void activate_withAReadyDeployment_works() {
        deployReady();

        ava.activate(1, Change.SYSTEM);

        assertThat(ava.selection().activeModelVersion()).hasValue(1);
    }

    @Test
    void undeploy_isRefusedWhileActive_deactivateLeavesTheDeployment_thenUndeployDeletesIt() {
        Deployment d = deployReady();
        ava.activate(1, Change.SYSTEM);

        assertThatThrownBy(() -> ft.deployments().undeploy(d.id(), false, Change.SYSTEM))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("which is active")
                .hasMessageContaining("finetune4j deactivate ava")
                .hasMessageContaining("--force");
        assertThat(provider.remotes).containsKey(d.id());

        ava.deactivate(Change.SYSTEM);
        assertThat(provider.remotes).containsKey(d.id());
        assertThat(ft.deployments().deployment(d.id()).state()).isEqualTo(DeploymentState.READY);

        Deployment gone = ft.deployments().undeploy(d.id(), false, Change.by("ops", "done"));

        assertThat(gone.state()).isEqualTo(DeploymentState.DELETED);
        assertThat(gone.deletedAt()).isPresent();
        assertThat(provider.deleted).containsExactly(d.id());
        assertThat(ava.timeline().filter(e -> e.action() == TimelineEntry.Action.UNDEPLOY)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("done").contains(d.id()));
        assertThat(ft.deployments().undeploy(d.id(), false, Change.SYSTEM).state())
                .isEqualTo(DeploymentState.DELETED);
        assertThat(provider.deleted).containsExactly(d.id());
    }

    @Test
    void undeployWithForce_whileActive_deletesIt_andChatFallsBack() {
        Deployment d = deployReady();
        ava.activate(1, Change.SYSTEM);

        ft.deployments().undeploy(d.id(), true, Change.SYSTEM);

        assertThat(provider.deleted).containsExactly(d.id());
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            ChatResponse r = router.chat(ChatRequest.builder("ava").user("hi").build());
            assertThat(r.servedBy().fallback()).isTrue();
            assertThat(r.content()).isEqualTo("answer from " + BASE);
        }
    }

    @Test
    void router_sendsTheActiveVersionToItsDeploymentsAddress_underTheServedName_mayWaitForAWakeUp() {
        Deployment d = deployReady();
        ava.activate(1, Change.SYSTEM);

        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults().withWakeUpWait(Duration.ofSeconds(40)))) {
            ChatResponse r = router.chat(ChatRequest.builder("ava").user("hi").build());

            assertThat(r.servedBy().modelVersion()).isEqualTo(1);
            assertThat(r.servedBy().fallback()).isFalse();
            assertThat(r.content()).isEqualTo("answer from served-" + d.id());
        }
        ChatCall call = provider.calls.get(provider.calls.size() - 1);
        assertThat(call.model()).isEqualTo("served-" + d.id());
        assertThat(call.servingUrl()).contains(FakeDeployingProvider.url(d.id()));
        assertThat(call.wakeUpTimeout()).contains(Duration.ofSeconds(40));
    }

    @Test
    void router_wakesADeploymentScaledToZero_whenTheCallMayWaitLongEnough() {
        Deployment d = deployReady();
        ava.activate(1, Change.SYSTEM);
        provider.scaleToZeroBehindTheBack(d.id());
        assertThat(d.refresh().state()).isEqualTo(DeploymentState.SCALED_TO_ZERO);

        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults().withWakeUpWait(Duration.ofSeconds(60)))) {
            ChatResponse r = router.chat(ChatRequest.builder("ava").user("hi").build());

            assertThat(r.servedBy().fallback()).isFalse();
            assertThat(r.content()).isEqualTo("answer from served-" + d.id());
        }
        assertThat(provider.state(d.id())).isEqualTo("running");
    }

    @Test
    void router_fallsBackWhileADeploymentScaledToZeroWakesSlowerThanTheCallMayWait() {
        Deployment d = deployReady();
        ava.activate(1, Change.SYSTEM);
        provider.scaleToZeroBehindTheBack(d.id());
        d.refresh();

        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults().withWakeUpWait(Duration.ofSeconds(5)))) {
            ChatResponse r = router.chat(ChatRequest.builder("ava").user("hi").build());

            assertThat(r.servedBy().fallback()).isTrue();
            assertThat(r.content()).isEqualTo("answer from " + BASE);
        }
        assertThat(provider.state(d.id())).isEqualTo("initializing");
    }

    @Test
    void router_fallsBackWhenTheDeploymentIsDeletedBehindItsBack_beforeAndAfterARefreshSeesIt() {
        Deployment d = deployReady();
        ava.activate(1, Change.SYSTEM);
        provider.deleteBehindTheBack(d.id());

        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            ChatResponse unseen = router.chat(ChatRequest.builder("ava").user("hi").build());
            assertThat(unseen.servedBy().fallback()).isTrue();
            assertThat(unseen.servedBy().fallbackReason()).contains("404");

            assertThat(d.refresh().state()).isEqualTo(DeploymentState.DELETED);
            ChatResponse seen = router.chat(ChatRequest.builder("ava").user("hi").build());
            assertThat(seen.servedBy().fallback()).isTrue();
            assertThat(seen.servedBy().fallbackReason()).contains("not served").contains(d.id());
            assertThat(seen.content()).isEqualTo("answer from " + BASE);
        }
    }

    @Test
    void cost_billedTimeAndSpendFollowTheRecordedStates_andTheAssistantsCostPerHourNow() {
        Deployment d = ft.deployments().deploy("ava", 1, DeploymentSpec.defaults(), Change.SYSTEM);
        d.refresh();                                // initializing: billed from here
        clock.advance(Duration.ofMinutes(30));
        d.refresh();                                // running
        clock.advance(Duration.ofMinutes(90));

        assertThat(d.state()).isEqualTo(DeploymentState.READY);
        assertThat(d.billedTime()).isEqualTo(Duration.ofHours(2));
        assertThat(d.spend()).contains(new Money(new BigDecimal("4.000000"), "USD"));
        assertThat(d.costPerHourNow()).contains(FakeDeployingProvider.PRICE);
        ServingCost now = ft.deployments().costPerHour("ava");
        assertThat(now.perHour()).isEqualTo(FakeDeployingProvider.PRICE);
        assertThat(now.billed()).containsExactly(d.id());

        provider.scaleToZeroBehindTheBack(d.id());
        d.refresh();
        clock.advance(Duration.ofHours(5));
        assertThat(d.billedTime()).isEqualTo(Duration.ofHours(2));
        assertThat(ft.deployments().costPerHour("ava").perHour().amount()).isZero();
    }
}
