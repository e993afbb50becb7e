package dev.finetune4j.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.DeploymentMayExistException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.http.RetryOptions;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobListener;
import dev.finetune4j.job.JobTracker;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.HuggingFaceEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core and the real Hugging Face provider against the emulator's Inference Endpoints, with no
 * serving URL configured: deploy and wait, chat through the endpoint, an endpoint scaled to zero
 * woken by the call or falling back, one deleted behind our back, one that fails, a lost create
 * reconciled after a restart, and the tracker following a deployment.
 */
class HuggingFaceEmulatorDeploymentsTest {

    static final String BASE = "Qwen/Qwen2.5-0.5B-Instruct";
    static final String TOKEN = "hf_e2e_token_0123456789";

    @RegisterExtension
    static HuggingFaceEmulator hf = HuggingFaceEmulator.builder().namespace("acme").apiKey(TOKEN).build();

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();
    private final VersionStore store = VersionStores.inMemory();
    private FineTuning ft;
    private Assistant parser;

    private Provider provider(RetryOptions retry, boolean servingUrl) {
        ProviderConfig.Builder b = ProviderConfig.builder();
        if (servingUrl) {
            b.setting("serving_url", hf.servingUrl());
        }
        return new HuggingFaceProviderFactory().create(b
                .endpoint(URI.create(hf.hubUrl()))
                .apiKey(ApiKey.of(TOKEN))
                .setting("endpoints_url", hf.endpointsUrl())
                .setting("logs_idle_seconds", "2")
                .setting("logs_max_seconds", "10")
                .retry(retry)
                .sleeper(time)
                .clock(time)
                .env(name -> null)
                .build());
    }

    private FineTuning open(RetryOptions retry) {
        return open(retry, false);
    }

    /**
     * The library on the shared store; with {@code servingUrl}, the provider also has a hand-configured
     * serving URL, where the base model answers a fallback (and which serves every trained adapter).
     */
    private FineTuning open(RetryOptions retry, boolean servingUrl) {
        return FineTuning.builder().store(store).provider(provider(retry, servingUrl)).sleeper(time).clock(time)
                .build();
    }

    @BeforeEach
    void train() {
        ft = open(RetryOptions.defaults());
        parser = ft.createAssistant("parser", "huggingface", BASE);
        ft.dataset("parser/main").append(IntStream.range(1, 13).mapToObj(i -> Example.of(
                Message.system("You parse workout voice notes into JSON."),
                Message.user("bench press " + i + " reps at " + (40 + i) + " kilos"),
                Message.assistant("{\"exercise\":\"bench press\",\"reps\":" + i + ",\"kg\":" + (40 + i) + "}")))
                .toList(), null);
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("parser", "main").build());
        job.awaitCompletion(Duration.ofHours(3));
    }

    @AfterEach
    void close() {
        ft.close();
    }

    private Deployment deployAndActivate() {
        Deployment d = ft.deployments().deploy("parser", 1, DeploymentSpec.defaults(), Change.SYSTEM)
                .awaitReady(Duration.ofMinutes(30));
        assertThat(d.state()).isEqualTo(DeploymentState.READY);
        parser.activate(1, Change.SYSTEM);
        return d;
    }

    private static ChatResponse ask(ChatRouter router) {
        return router.chat(ChatRequest.builder("parser").user("bench press 7 reps at 47 kilos").build());
    }

    @Test
    void deployed_activated_answersThroughTheEndpoint_withTheAdapter() {
        Deployment d = deployAndActivate();

        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            ChatResponse r = ask(router);

            assertThat(r.servedBy().fallback()).isFalse();
            assertThat(r.servedBy().modelVersion()).isEqualTo(1);
            assertThat(r.content()).isEqualTo("{\"exercise\":\"bench press\",\"reps\":7,\"kg\":47}");
        }
        assertThat(hf.endpoint(d.id()).orElseThrow().chatRequests()).isEqualTo(1);
        assertThat(d.pricePerHour().orElseThrow().amount()).isEqualByComparingTo("0.8");
    }

    @Test
    void endpointScaledToZero_isWokenByTheCall_whenTheCallMayWaitForTheColdStart() {
        Deployment d = deployAndActivate();
        hf.scaleEndpointToZero(d.id());
        assertThat(d.refresh().state()).isEqualTo(DeploymentState.SCALED_TO_ZERO);
        assertThat(d.costPerHourNow().orElseThrow().amount()).isZero();

        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults().withWakeUpWait(Duration.ofSeconds(60)))) {
            ChatResponse r = ask(router);

            assertThat(r.servedBy().fallback()).isFalse();
            assertThat(r.servedBy().modelVersion()).isEqualTo(1);
        }
        assertThat(hf.endpoint(d.id()).orElseThrow().state()).isEqualTo("running");
    }

    @Test
    void endpointScaledToZero_fallsBackToTheBaseModel_whenTheCallMayNotWaitForTheColdStart() {
        Deployment d = deployAndActivate();
        hf.scaleEndpointToZero(d.id());
        d.refresh();

        try (FineTuning withBaseServing = open(RetryOptions.defaults(), true);
                ChatRouter router = withBaseServing.chatRouter(ChatRouter.Options.defaults()
                        .withWakeUpWait(Duration.ofSeconds(5)))) {
            ChatResponse r = ask(router);

            assertThat(r.servedBy().fallback()).isTrue();
            assertThat(r.servedBy().providerModelId()).isEqualTo(BASE);
            assertThat(r.servedBy().fallbackReason()).contains("503");
        }
        assertThat(hf.endpoint(d.id()).orElseThrow().state()).as("the call started it").isEqualTo("initializing");
    }

    @Test
    void endpointDeletedBehindOurBack_isAGoneModel_theRouterFallsBack_andARefreshRecordsItDeleted() {
        Deployment d = deployAndActivate();
        hf.deleteEndpoint(d.id());

        try (FineTuning withBaseServing = open(RetryOptions.defaults(), true);
                ChatRouter router = withBaseServing.chatRouter(ChatRouter.Options.defaults())) {
            ChatResponse unseen = ask(router);
            assertThat(unseen.servedBy().fallback()).isTrue();
            assertThat(unseen.servedBy().providerModelId()).isEqualTo(BASE);
            assertThat(unseen.servedBy().fallbackReason()).contains("404");

            // refreshed through the router's own library, which tells its routers at once
            assertThat(withBaseServing.deployments().deployment(d.id()).refresh().state())
                    .isEqualTo(DeploymentState.DELETED);
            ChatResponse seen = ask(router);
            assertThat(seen.servedBy().fallback()).as("the hand-configured serving URL serves the adapter").isFalse();
            assertThat(seen.servedBy().modelVersion()).isEqualTo(1);
        }
    }

    @Test
    void endpointThatFailsToStart_isRecordedFailed_withTheProvidersMessage() {
        hf.failNextEndpoint("CUDA out of memory");

        Deployment d = ft.deployments().deploy("parser", 1, DeploymentSpec.defaults(), Change.SYSTEM)
                .awaitReady(Duration.ofMinutes(30));

        assertThat(d.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(d.error()).hasValueSatisfying(e -> assertThat(e).contains("CUDA out of memory"));
    }

    @Test
    void createWhoseAnswerAndLookUpAreLost_isReconciledOnTheNextStart_withExactlyOneEndpoint() {
        try (FineTuning noRetries = open(RetryOptions.none())) {
            hf.on("POST", "/v2/endpoint").loseResponseNext();
            hf.on("GET", "/v2/endpoint").serverErrorNext(1);

            assertThatThrownBy(() -> noRetries.deployments().deploy("parser", 1, DeploymentSpec.defaults(),
                    Change.SYSTEM)).isInstanceOf(DeploymentMayExistException.class);
        }
        assertThat(hf.endpoints()).hasSize(1);
        String id = hf.endpoints().get(0).name();

        try (FineTuning restarted = open(RetryOptions.defaults())) {
            restarted.deployments().resume();

            Deployment d = restarted.deployments().deployment(id);
            assertThat(d.remoteId()).contains(id);
            assertThat(d.awaitReady(Duration.ofMinutes(30)).state()).isEqualTo(DeploymentState.READY);
            assertThat(restarted.deployments().deploy("parser", 1, DeploymentSpec.defaults(), Change.SYSTEM).id())
                    .isEqualTo(id);
        }
        assertThat(hf.endpoints()).hasSize(1);
    }

    @Test
    void tracker_followsADeploymentUntilItIsReady() throws InterruptedException {
        Deployment d = ft.deployments().deploy("parser", 1, DeploymentSpec.defaults(), Change.SYSTEM);
        BlockingQueue<DeploymentState> seen = new LinkedBlockingQueue<>();
        java.util.List<RuntimeException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobListener listener = new JobListener() {
            @Override
            public void onDeployment(Deployment deployment, DeploymentState from, DeploymentState to) {
                if (deployment.id().equals(d.id())) {
                    seen.add(to);
                }
            }

            @Override
            public void onDeploymentError(Deployment deployment, RuntimeException error) {
                errors.add(error);
            }
        };

        try (JobTracker tracker = ft.jobs().track(JobTracker.Options.defaults().withListener(listener)
                .withIntervals(Duration.ofMillis(1), Duration.ofMillis(1)))) {
            // the tracker schedules its polls on the library's clock, which only moves when told
            java.util.List<DeploymentState> heard = new java.util.ArrayList<>();
            for (int i = 0; i < 120 && !heard.contains(DeploymentState.READY); i++) {
                DeploymentState next = seen.poll(1, TimeUnit.SECONDS);
                if (next != null) {
                    heard.add(next);
                }
                time.sleep(Duration.ofSeconds(1));
            }
            assertThat(heard).as("errors: %s", errors).containsExactly(DeploymentState.INITIALIZING,
                    DeploymentState.READY);
        }
        assertThat(ft.deployments().deployment(d.id()).state()).isEqualTo(DeploymentState.READY);
    }
}
