package dev.finetune4j.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.AzureOpenAiEmulator;
import dev.finetune4j.testkit.EmulatedFile;
import dev.finetune4j.testkit.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the testkit's Azure OpenAI emulator, as a host application would run it: the
 * provider found by id, a dataset version trained through the job service, the model deployed
 * through the library's deployments (ARM calls with an ARM token), activated, chatted with through
 * the router under the deployment's name, and undeployed.
 */
class AzureOpenAiEndToEndTest {

    private static final String KEY = "e2e0123456789abcdef0123456789abc";
    private static final String ARM_TOKEN = "eyJ0eXAiOiJKV1QifQ.e2e-arm-token";
    private static final Path SAMPLE = Path.of("..", "samples", "workout-voice-commands.jsonl");

    @RegisterExtension
    static AzureOpenAiEmulator azure = AzureOpenAiEmulator.builder().apiKey(KEY).accountName("contoso-aoai").build();

    @TempDir
    Path storeDir;

    private Provider provider() {
        return Providers.create(AzureOpenAiProviderFactory.ID, ProviderConfig.builder()
                .endpoint(URI.create(azure.baseUrl()))
                .apiKey(ApiKey.of(KEY))
                .sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 5)))
                .setting(AzureOpenAiProviderFactory.SETTING_SUBSCRIPTION_ID, azure.subscriptionId())
                .setting(AzureOpenAiProviderFactory.SETTING_RESOURCE_GROUP, azure.resourceGroup())
                .setting(AzureOpenAiProviderFactory.SETTING_ACCOUNT_NAME, azure.accountName())
                .setting(AzureOpenAiProviderFactory.SETTING_ARM_TOKEN, ARM_TOKEN)
                .setting(AzureOpenAiProviderFactory.SETTING_MANAGEMENT_ENDPOINT, azure.managementUrl())
                .env(name -> null)
                .build());
    }

    @Test
    void trainFromADatasetVersion_deploy_activate_chat_undeploy() throws Exception {
        try (Provider provider = provider();
                FineTuning ft = FineTuning.builder().store(VersionStores.file(storeDir)).provider(provider)
                        .sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 5))).build()) {
            ft.createAssistant("voice-parser", AzureOpenAiProviderFactory.ID, "gpt-4.1-mini-2025-04-14");
            ft.dataset("voice-parser/main").importJsonl(SAMPLE, ImportOptions.defaults(), "first batch");

            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main")
                    .hyperparameters(Hyperparameters.builder().epochs(2).build())
                    .option("training_type", "global standard")
                    .build());
            FineTuneJob done = ft.jobs().job(job.id()).awaitCompletion(Duration.ofMinutes(5));
            assertThat(done.status()).as(String.valueOf(done.error())).isEqualTo(JobStatus.SUCCEEDED);
            ModelVersion v1 = ft.assistant("voice-parser").modelVersion(done.modelVersion().orElseThrow())
                    .orElseThrow();
            String model = v1.providerModelId();

            Deployment deployment = ft.deployments().deploy("voice-parser", v1.number(),
                    DeploymentSpec.builder().hardware("standard").build(), Change.by("alice", "serve v1"));
            DeploymentState requested = deployment.state();
            deployment.awaitReady(Duration.ofMinutes(1));
            ft.assistant("voice-parser").activate(v1.number(), Change.by("alice", "first Azure fine-tune"));
            ChatResponse answer;
            try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
                answer = router.chat(ChatRequest.of("voice-parser", "squat 315 for 5"));
            }
            Deployment removed = ft.deployments().undeploy(deployment.id(), true, Change.by("alice", "done"));

            assertThat(model).matches("gpt-4\\.1-mini-2025-04-14\\.ft-[0-9a-f]{32}");
            assertThat(requested).isIn(DeploymentState.PENDING, DeploymentState.INITIALIZING);
            assertThat(deployment.state()).isEqualTo(DeploymentState.READY);
            assertThat(deployment.remoteId()).hasValue(deployment.id());
            assertThat(deployment.address()).hasValue(ServingAddress.model(deployment.id()));
            assertThat(answer.content()).contains("Barbell Back Squat");
            assertThat(answer.servedBy().fallback()).isFalse();
            assertThat(answer.servedBy().providerModelId()).isEqualTo(model);
            assertThat(azure.requests()).filteredOn(r -> r.method().equals("POST")
                    && r.path().equals("/openai/v1/chat/completions")).singleElement()
                    .satisfies(r -> assertThat(r.body()).contains("\"model\":\"" + deployment.id() + "\""));
            assertThat(removed.state()).isEqualTo(DeploymentState.DELETED);
            assertThat(azure.deployment(deployment.id())).isEmpty();
            assertThat(azure.jobs()).singleElement().satisfies(j -> {
                assertThat(j.suffix()).isNotBlank();
                assertThat(j.status()).isEqualTo("succeeded");
            });
            EmulatedFile uploaded = azure.files().stream().filter(f -> f.purpose().equals("fine-tune")).findFirst()
                    .orElseThrow();
            assertThat(uploaded.content()).startsWith("\uFEFF{\"messages\"");
            List<RecordedRequest> requests = azure.requests();
            assertThat(requests).filteredOn(r -> r.path().startsWith("/openai/v1/"))
                    .allSatisfy(r -> assertThat(r.header("api-key")).hasValue(KEY));
            assertThat(requests).filteredOn(r -> r.path().startsWith("/subscriptions/"))
                    .isNotEmpty()
                    .allSatisfy(r -> {
                        assertThat(r.header("authorization")).hasValue("Bearer " + ARM_TOKEN);
                        assertThat(r.header("api-key")).isEmpty();
                        assertThat(r.path()).endsWith("?api-version=2024-10-01");
                    });
            assertThat(requests).filteredOn(r -> r.path().equals("/openai/v1/fine_tuning/jobs")
                    && r.method().equals("POST")).singleElement()
                    .satisfies(r -> assertThat(r.body()).contains("\"trainingType\":\"GlobalStandard\""));
        }
        assertNoSecretIn(storeDir);
    }

    @Test
    void chat_withAnUndeployedModel_fallsBackToTheBaseModel_andSaysWhy() throws Exception {
        try (Provider provider = provider();
                FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider)
                        .sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 5))).build()) {
            ft.createAssistant("voice-parser", AzureOpenAiProviderFactory.ID, "gpt-4o-mini-2024-07-18");
            ft.dataset("voice-parser/main").importJsonl(SAMPLE, ImportOptions.defaults(), "first batch");
            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());
            FineTuneJob done = ft.jobs().job(job.id()).awaitCompletion(Duration.ofMinutes(5));
            int version = done.modelVersion().orElseThrow();
            Deployment deployment = ft.deployments().deploy("voice-parser", version, DeploymentSpec.defaults(),
                    Change.by("alice", "serve"));
            deployment.awaitReady(Duration.ofMinutes(1));
            ft.assistant("voice-parser").activate(version, Change.by("alice", "live"));
            ft.deployments().undeploy(deployment.id(), true, Change.by("alice", "stop paying for it"));

            ChatResponse answer;
            try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
                answer = router.chat(ChatRequest.of("voice-parser", "squat 315 for 5"));
            }

            assertThat(answer.servedBy().fallback()).isTrue();
            assertThat(answer.servedBy().providerModelId()).isEqualTo("gpt-4o-mini-2024-07-18");
            assertThat(answer.servedBy().fallbackReason()).isNotBlank();
        }
    }

    /** Every byte the store wrote, searched for the key and the token. */
    private static void assertNoSecretIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(text).as(f.toString()).doesNotContain(KEY).doesNotContain(ARM_TOKEN);
            }
        }
    }
}
