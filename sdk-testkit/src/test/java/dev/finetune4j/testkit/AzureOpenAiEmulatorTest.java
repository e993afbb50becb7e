package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Azure OpenAI emulator as an HTTP client sees it: the v1 data plane with {@code api-key} or a
 * Bearer token, Azure's ids and file states, and the ARM deployments chat goes through.
 */
class AzureOpenAiEmulatorTest {

    @RegisterExtension
    static AzureOpenAiEmulator azure = AzureOpenAiEmulator.builder().subscriptionId("sub-1").resourceGroup("rg-1")
            .accountName("acct").location("eastus2").build();

    private final Http data = new Http(azure.baseUrl() + "/openai/v1", "azure-key").keyHeader("api-key");
    private final Http arm = new Http(azure.managementUrl(), "arm-token");

    private static String deploymentPath(String name) {
        return "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/acct/"
                + "deployments/" + name + "?api-version=2024-10-01";
    }

    private static Map<String, Object> deploymentBody(String sku, String model) {
        return Map.of("sku", Map.of("name", sku, "capacity", 1),
                "properties", Map.of("model", Map.of("format", "OpenAI", "name", model, "version", "1")));
    }

    /** Uploads, waits for processed, trains to the end; the fine-tuned model's id. */
    private String trainedModel() throws Exception {
        String file = data.uploadJsonl("train.jsonl", TrainingData.jsonl());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "gpt-4.1-mini-2025-04-14");
        body.put("training_file", file);
        body.put("trainingType", "GlobalStandard");
        Http.Response created = data.postJson("/fine_tuning/jobs", body);
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        azure.finishJobs();
        JsonNode job = data.get("/fine_tuning/jobs/" + created.json().get("id").asText()).json();
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        return job.get("fine_tuned_model").asText();
    }

    @Test
    void dataPlane_acceptsAnApiKeyHeaderOrABearerToken_andRefusesNeither_withAzuresBody() throws Exception {
        Http bearer = new Http(azure.baseUrl() + "/openai/v1", "entra-token");
        Http none = new Http(azure.baseUrl() + "/openai/v1", null);

        Http.Response byKey = data.get("/models");
        Http.Response byToken = bearer.get("/models");
        Http.Response refused = none.get("/models");

        assertThat(byKey.status()).isEqualTo(200);
        assertThat(byKey.header("apim-request-id")).matches("[0-9a-f-]{36}");
        assertThat(byKey.header("x-ms-region")).isEqualTo("eastus2");
        assertThat(byToken.status()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("401");
        assertThat(refused.json().at("/error/message").asText()).contains("invalid subscription key");
    }

    @Test
    void dataPlane_withAConfiguredKey_refusesAnotherOne() throws Exception {
        try (AzureOpenAiEmulator strict = AzureOpenAiEmulator.builder().apiKey("the-key").start()) {
            Http right = new Http(strict.baseUrl() + "/openai/v1", "the-key").keyHeader("api-key");
            Http wrong = new Http(strict.baseUrl() + "/openai/v1", "other").keyHeader("api-key");

            assertThat(right.get("/models").status()).isEqualTo(200);
            assertThat(wrong.get("/models").status()).isEqualTo(401);
            assertThat(strict.environment()).containsEntry("AZURE_OPENAI_API_KEY", "the-key")
                    .containsEntry("AZURE_OPENAI_ENDPOINT", strict.baseUrl());
        }
    }

    @Test
    void openAiRoutes_outsideOpenaiV1_areAzures404() throws Exception {
        Http.Response r = new Http(azure.baseUrl(), "k").keyHeader("api-key").get("/v1/models");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("404");
    }

    @Test
    void upload_isPendingThenRunningThenProcessed_asItIsRead_andABomFileTrains() throws Exception {
        String bom = "\uFEFF" + TrainingData.jsonl();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("purpose", "fine-tune");
        fields.put("file", new Http.FilePart("train.jsonl", bom.getBytes(StandardCharsets.UTF_8)));

        JsonNode uploaded = data.postMultipart("/files", fields).json();
        String id = uploaded.get("id").asText();
        List<String> states = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            states.add(data.get("/files/" + id).json().get("status").asText());
        }
        Http.Response job = data.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", id));
        azure.finishJobs();

        assertThat(uploaded.get("status").asText()).isEqualTo("pending");
        assertThat(states).containsExactly("running", "processed", "processed");
        assertThat(azure.job(job.json().get("id").asText()).orElseThrow().status()).isEqualTo("succeeded");
    }

    @Test
    void upload_withAPurposeAzureLacks_is400() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("purpose", "vision");
        fields.put("file", Http.FilePart.of("a.jsonl", TrainingData.jsonl()));

        Http.Response r = data.postMultipart("/files", fields);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("'vision' is not one of");
    }

    @Test
    void job_hasAzuresIds_modelName_checkpoints_andResultsColumns() throws Exception {
        String model = trainedModel();
        String jobId = azure.jobs().get(0).id();

        JsonNode checkpoints = data.get("/fine_tuning/jobs/" + jobId + "/checkpoints").json();
        JsonNode job = data.get("/fine_tuning/jobs/" + jobId).json();
        String results = data.get("/files/" + job.at("/result_files/0").asText() + "/content").text();

        assertThat(jobId).matches("ftjob-[0-9a-f]{32}");
        assertThat(model).matches("gpt-4\\.1-mini-2025-04-14\\.ft-[0-9a-f]{32}");
        assertThat(checkpoints.get("data")).isNotEmpty();
        assertThat(checkpoints.at("/data/0/id").asText()).matches("ftchkpt-[0-9a-f]{32}");
        assertThat(checkpoints.at("/data/0/fine_tuned_model_checkpoint").asText())
                .isEqualTo(checkpoints.at("/data/0/id").asText());
        assertThat(results).startsWith("step,train_loss,train_mean_token_accuracy,valid_loss,"
                + "validation_mean_token_accuracy,full_valid_loss,full_valid_mean_token_accuracy\n");
        assertThat(data.get("/models").json().findValuesAsText("id")).contains(model)
                .noneMatch(id -> id.startsWith("ftchkpt-"));
    }

    @Test
    void create_refusesAnUnknownTrainingType_andASuffixWithADot() throws Exception {
        String file = data.uploadJsonl("train.jsonl", TrainingData.jsonl());

        Http.Response tier = data.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file,
                "trainingType", "premium"));
        Http.Response dot = data.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file,
                "suffix", "v1.2"));
        Http.Response accepted = data.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini",
                "training_file", file, "trainingType", "developerTier", "suffix", "assistant_v3"));

        assertThat(tier.status()).isEqualTo(400);
        assertThat(tier.json().at("/error/param").asText()).isEqualTo("trainingType");
        assertThat(dot.status()).isEqualTo(400);
        assertThat(dot.json().at("/error/message").asText()).contains("'v1.2'").contains("40 characters");
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
    }

    @Test
    void pause_isRefusedBeforeTheJobTrainedAStep_andAllowedWhileRunningAfterOne() throws Exception {
        try (AzureOpenAiEmulator timed = AzureOpenAiEmulator.builder()
                .progression(JobProgression.timed(Duration.ofMinutes(1))).start()) {
            Http http = new Http(timed.baseUrl() + "/openai/v1", "k").keyHeader("api-key");
            String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
            String id = http.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file))
                    .json().get("id").asText();

            timed.advanceTime(Duration.ofSeconds(150)); // running, about half of its steps trained
            String running = http.get("/fine_tuning/jobs/" + id).json().get("status").asText();
            Http.Response paused = http.post("/fine_tuning/jobs/" + id + "/pause");
            Http.Response resumed = http.post("/fine_tuning/jobs/" + id + "/resume");
            String other = http.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file))
                    .json().get("id").asText();
            Http.Response early = http.post("/fine_tuning/jobs/" + other + "/pause");

            assertThat(running).isEqualTo("running");
            assertThat(paused.status()).as(paused.text()).isEqualTo(200);
            assertThat(paused.json().get("status").asText()).isEqualTo("paused");
            assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
            assertThat(early.status()).isEqualTo(400);
            assertThat(early.json().at("/error/message").asText()).contains(other).contains("cannot be paused");
        }
    }

    @Test
    void chat_goesThroughADeploymentName_aTrainedModelAnswersOnlyOnceDeployed() throws Exception {
        String model = trainedModel();
        Map<String, Object> question = Map.of("model", "ft-assistant",
                "messages", List.of(Map.of("role", "user", "content", "What is the capital of France?")));

        Http.Response before = data.postJson("/chat/completions", question);
        Http.Response put = arm.put(deploymentPath("ft-assistant"), deploymentBody("standard", model));
        List<String> states = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            states.add(arm.get(deploymentPath("ft-assistant")).json().at("/properties/provisioningState").asText());
        }
        Http.Response after = data.postJson("/chat/completions", question);
        Http.Response byModelId = data.postJson("/chat/completions", Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        Http.Response base = data.postJson("/chat/completions", Map.of("model", "gpt-4o-mini",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));

        assertThat(before.status()).isEqualTo(404);
        assertThat(before.json().at("/error/code").asText()).isEqualTo("DeploymentNotFound");
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.json().at("/properties/provisioningState").asText()).isEqualTo("Accepted");
        assertThat(put.json().get("id").asText()).isEqualTo("/subscriptions/sub-1/resourceGroups/rg-1/providers/"
                + "Microsoft.CognitiveServices/accounts/acct/deployments/ft-assistant");
        assertThat(put.header("x-ms-request-id")).isNotBlank();
        assertThat(states).containsExactly("Creating", "Succeeded", "Succeeded");
        assertThat(after.status()).as(after.text()).isEqualTo(200);
        assertThat(after.json().at("/choices/0/message/content").asText()).isEqualTo("Paris, of course.");
        assertThat(byModelId.status()).isEqualTo(404);
        assertThat(base.status()).isEqualTo(200);
        assertThat(azure.deployment("ft-assistant").orElseThrow().lastUsed()).isPresent();
    }

    @Test
    void arm_needsABearerTokenAndAnApiVersion_andNeverTakesAnApiKey() throws Exception {
        Http keyOnly = new Http(azure.managementUrl(), "azure-key").keyHeader("api-key");
        String path = deploymentPath("d1");

        Http.Response byKey = keyOnly.put(path, deploymentBody("standard", "gpt-4o-mini"));
        Http.Response noVersion = arm.put(path.substring(0, path.indexOf('?')),
                deploymentBody("standard", "gpt-4o-mini"));
        Http.Response otherAccount = arm.get(path.replace("/accounts/acct/", "/accounts/other/"));

        assertThat(byKey.status()).isEqualTo(401);
        assertThat(byKey.json().at("/error/code").asText()).isEqualTo("AuthenticationFailed");
        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.json().at("/error/code").asText()).isEqualTo("MissingApiVersionParameter");
        assertThat(otherAccount.status()).isEqualTo(404);
        assertThat(azure.deployment("d1")).isEmpty();
    }

    @Test
    void arm_refusesAnUnknownModelOrSku_andListsAndDeletesDeployments() throws Exception {
        Http.Response unknownModel = arm.put(deploymentPath("d1"), deploymentBody("standard", "gpt-9"));
        Http.Response unknownSku = arm.put(deploymentPath("d1"), deploymentBody("Gold", "gpt-4o-mini"));
        arm.put(deploymentPath("d1"), deploymentBody("GlobalStandard", "gpt-4o-mini"));
        JsonNode list = arm.get(deploymentPath("").replace("/deployments/?", "/deployments?")).json();
        Http.Response deleted = arm.delete(deploymentPath("d1"));
        Http.Response again = arm.delete(deploymentPath("d1"));

        assertThat(unknownModel.status()).isEqualTo(400);
        assertThat(unknownModel.json().at("/error/code").asText()).isEqualTo("DeploymentModelNotSupported");
        assertThat(unknownSku.status()).isEqualTo(400);
        assertThat(unknownSku.json().at("/error/code").asText()).isEqualTo("InvalidSkuName");
        assertThat(list.get("value").findValuesAsText("name")).contains("d1", "gpt-4o-mini");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(204);
        assertThat(azure.deployment("d1")).isEmpty();
    }

    @Test
    void failNextDeployment_endsFailed_withTheMessage_andChatNeverReachesIt() throws Exception {
        String model = trainedModel();
        azure.failNextDeployment("quota exceeded");

        arm.put(deploymentPath("d1"), deploymentBody("standard", model));
        azure.finishDeployments();
        JsonNode d = arm.get(deploymentPath("d1")).json();
        Http.Response chat = data.postJson("/chat/completions", Map.of("model", "d1",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));

        assertThat(d.at("/properties/provisioningState").asText()).isEqualTo("Failed");
        assertThat(d.at("/properties/error/message").asText()).isEqualTo("quota exceeded");
        assertThat(chat.status()).isEqualTo(404);
    }

    @Test
    void aFineTunedDeployment_isDeletedAfter15DaysWithoutChat_aDeveloperOneAfter24Hours() throws Exception {
        String model = trainedModel();
        arm.put(deploymentPath("standard"), deploymentBody("standard", model));
        arm.put(deploymentPath("dev"), deploymentBody("developertier", model));
        azure.finishDeployments();

        azure.advanceTime(Duration.ofHours(25));
        List<String> after25Hours = azure.deployments().stream().map(EmulatedDeployment::name).toList();
        azure.advanceTime(Duration.ofDays(14));
        List<String> after15Days = azure.deployments().stream().map(EmulatedDeployment::name).toList();

        assertThat(after25Hours).contains("standard", "gpt-4o-mini").doesNotContain("dev");
        assertThat(after15Days).doesNotContain("standard").contains("gpt-4o-mini");
    }

    @Test
    void chat_keepsAFineTunedDeploymentAlive() throws Exception {
        String model = trainedModel();
        arm.put(deploymentPath("d1"), deploymentBody("standard", model));
        azure.finishDeployments();

        azure.advanceTime(Duration.ofDays(10));
        data.postJson("/chat/completions", Map.of("model", "d1",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        azure.advanceTime(Duration.ofDays(10));

        assertThat(azure.deployment("d1")).isPresent();
    }

    @Test
    void rateLimit_isAzures429_withRetryAfterInSecondsAndMilliseconds() throws Exception {
        azure.rateLimitNext(1, 3);

        Http.Response limited = data.get("/models");
        Http.Response next = data.get("/models");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("retry-after")).isEqualTo("3");
        assertThat(limited.header("retry-after-ms")).isEqualTo("3000");
        assertThat(limited.json().at("/error/code").asText()).isEqualTo("429");
        assertThat(next.status()).isEqualTo(200);
    }

    @Test
    void faults_byPath_applyBelowOpenaiV1_orToTheControlPlane() throws Exception {
        azure.on("POST", "/fine_tuning/jobs").serverErrorNext(1);
        azure.on("/subscriptions").serverErrorNext(1);
        String file = data.uploadJsonl("train.jsonl", TrainingData.jsonl());

        Http.Response create = data.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini",
                "training_file", file));
        Http.Response deploy = arm.get(deploymentPath("gpt-4o-mini"));
        Http.Response deployAgain = arm.get(deploymentPath("gpt-4o-mini"));

        assertThat(create.status()).isEqualTo(500);
        assertThat(azure.jobs()).isEmpty();
        assertThat(deploy.status()).isEqualTo(500);
        assertThat(deployAgain.status()).isEqualTo(200);
        assertThat(azure.pendingFaults()).isZero();
    }

    @Test
    void modelDeletion_andTheUploadsApi_areNotServed() throws Exception {
        String model = trainedModel();

        assertThat(data.delete("/models/" + model).status()).isEqualTo(404);
        assertThat(data.postJson("/uploads", Map.of("filename", "a.jsonl", "purpose", "fine-tune",
                "bytes", 10, "mime_type", "text/jsonl")).status()).isEqualTo(404);
    }

    @Test
    void baseModelDeployments_canBeTurnedOff() throws Exception {
        try (AzureOpenAiEmulator bare = AzureOpenAiEmulator.builder().baseModelDeployments(false).start()) {
            Http http = new Http(bare.baseUrl() + "/openai/v1", "k").keyHeader("api-key");

            Http.Response chat = http.postJson("/chat/completions", Map.of("model", "gpt-4o-mini",
                    "messages", List.of(Map.of("role", "user", "content", "hi"))));

            assertThat(bare.deployments()).isEmpty();
            assertThat(chat.status()).isEqualTo(404);
        }
    }

    @Test
    void autoDeployTrainedModels_deploysATrainedModelUnderItsIdOnFirstChat_butNoUnknownModel() throws Exception {
        try (AzureOpenAiEmulator auto = AzureOpenAiEmulator.builder().autoDeployTrainedModels(true).start()) {
            Http http = new Http(auto.baseUrl() + "/openai/v1", "k").keyHeader("api-key");
            String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
            http.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file));
            auto.finishJobs();
            String model = auto.jobs().get(0).fineTunedModel();

            Http.Response trained = http.postJson("/chat/completions", Map.of("model", model,
                    "messages", List.of(Map.of("role", "user", "content", "What is the capital of France?"))));
            Http.Response unknown = http.postJson("/chat/completions", Map.of("model", "gpt-4o-mini.ft-0000",
                    "messages", List.of(Map.of("role", "user", "content", "hi"))));

            assertThat(trained.status()).as(trained.text()).isEqualTo(200);
            assertThat(trained.json().at("/choices/0/message/content").asText()).isEqualTo("Paris, of course.");
            assertThat(auto.deployment(model)).hasValueSatisfying(d -> {
                assertThat(d.provisioningState()).isEqualTo("Succeeded");
                assertThat(d.model()).isEqualTo(model);
            });
            assertThat(unknown.status()).isEqualTo(404);
        }
    }
}
