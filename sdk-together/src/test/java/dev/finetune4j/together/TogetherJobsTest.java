package dev.finetune4j.together;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.together.TogetherFixtures.BEARER;
import static dev.finetune4j.together.TogetherFixtures.LIMITS;
import static dev.finetune4j.together.TogetherFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ServerException;
import dev.finetune4j.cost.Money;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.UploadedData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Jobs on the wire: each request shape Together documents, and how its answers read. */
class TogetherJobsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String BASE = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";
    static final String TAG = "ftj-0123456789ab";
    static final String OUTPUT = "acme/Meta-Llama-3.1-8B-Instruct-Reference-" + TAG + "-7f3a2b1c";

    private TogetherProvider together;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        together = TogetherFixtures.provider(wm.baseUrl() + "/v1");
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/models/supported")).willReturn(okJson(
                "{\"models\": [\"" + BASE + "\", \"Qwen/Qwen3-8B\"]}")));
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/models/limits")).willReturn(okJson(LIMITS)));
        wm.stubFor(post(urlPathEqualTo("/v1/fine-tunes")).willReturn(okJson(job("ft-2b1c", "pending", TAG, ""))));
    }

    private static JobRequest request(String baseModel, Hyperparameters h, String suffix, Map<String, String> options,
            boolean validation) {
        return new JobRequest(TAG, "parser", baseModel, new UploadedData("file-train", validation ? "file-val" : null,
                Map.of()), h, suffix, true, options);
    }

    @Test
    void create_sendsLoraExplicitly_withTheRankTogethersLimitsAllow_andOurTagAsSuffix() {
        RemoteJob job = together.createJob(request(BASE, Hyperparameters.AUTO, null, Map.of(), false));

        assertThat(job.remoteId()).isEqualTo("ft-2b1c");
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.rawStatus()).isEqualTo("pending");
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/fine-tunes/models/limits"))
                .withQueryParam("model_name", equalTo(BASE)).withHeader("Authorization", equalTo(BEARER)));
        wm.verify(postRequestedFor(urlPathEqualTo("/v1/fine-tunes")).withHeader("Authorization", equalTo(BEARER))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"training_file": "file-train", "model": "%s", "suffix": "%s",
                         "training_type": {"type": "Lora", "lora_r": 64, "lora_alpha": 128, "lora_dropout": 0.0,
                                           "lora_trainable_modules": "all-linear"},
                         "training_method": {"method": "sft", "train_on_inputs": "auto"}}
                        """.formatted(BASE, TAG))));
    }

    @Test
    void create_mapsHyperparametersAndEveryOption_toTogethersFields() {
        Hyperparameters h = Hyperparameters.builder().epochs(3).batchSize(16).learningRate(2e-4).seed(7).build();
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("lora_r", "16");
        options.put("lora_alpha", "32");
        options.put("lora_dropout", "0.05");
        options.put("lora_trainable_modules", "q_proj,v_proj");
        options.put("n_checkpoints", "3");
        options.put("n_evals", "2");
        options.put("warmup_ratio", "0.1");
        options.put("max_grad_norm", "0.5");
        options.put("weight_decay", "0.01");
        options.put("train_on_inputs", "false");
        options.put("lr_scheduler", "cosine");
        options.put("min_lr_ratio", "0.1");
        options.put("num_cycles", "1");
        options.put("packing", "false");
        options.put("max_seq_length", "4096");

        together.createJob(request(BASE, h, "voice", options, true));

        wm.verify(postRequestedFor(urlPathEqualTo("/v1/fine-tunes")).withRequestBody(equalToJson("""
                {"training_file": "file-train", "validation_file": "file-val", "model": "%s",
                 "n_epochs": 3, "n_checkpoints": 3, "n_evals": 2, "batch_size": 16, "learning_rate": 2.0E-4,
                 "lr_scheduler": {"lr_scheduler_type": "cosine",
                                  "lr_scheduler_args": {"min_lr_ratio": 0.1, "num_cycles": 1.0}},
                 "warmup_ratio": 0.1, "max_grad_norm": 0.5, "weight_decay": 0.01, "packing": false,
                 "max_seq_length": 4096, "random_seed": 7, "suffix": "voice-%s",
                 "training_type": {"type": "Lora", "lora_r": 16, "lora_alpha": 32, "lora_dropout": 0.05,
                                   "lora_trainable_modules": "q_proj,v_proj"},
                 "training_method": {"method": "sft", "train_on_inputs": false}}
                """.formatted(BASE, TAG))));
    }

    @Test
    void create_full_sendsTypeFullAlone_andAValidationFileIsEvaluatedOnce() {
        together.createJob(request(BASE, Hyperparameters.AUTO, null, Map.of("training_type", "full"), true));

        wm.verify(postRequestedFor(urlPathEqualTo("/v1/fine-tunes")).withRequestBody(equalToJson("""
                {"training_file": "file-train", "validation_file": "file-val", "model": "%s", "n_evals": 1,
                 "suffix": "%s", "training_type": {"type": "Full"},
                 "training_method": {"method": "sft", "train_on_inputs": "auto"}}
                """.formatted(BASE, TAG))));
    }

    @Test
    void continuingAVersion_sendsFromCheckpoint_withoutModel_whenTheBaseIsAnOutputOfTheAccountsJobs() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes")).willReturn(okJson("{\"data\": ["
                + job("ft-1a", "completed", "ftj-older0000000", "") + "]}")));
        String parent = "acme/Meta-Llama-3.1-8B-Instruct-Reference-ftj-older0000000-7f3a2b1c";

        together.createJob(request(parent, Hyperparameters.builder().epochs(1).build(), null, Map.of(), false));

        wm.verify(getRequestedFor(urlPathEqualTo("/v1/fine-tunes/models/limits"))
                .withQueryParam("model_name", equalTo(parent)));
        wm.verify(postRequestedFor(urlPathEqualTo("/v1/fine-tunes")).withRequestBody(equalToJson("""
                {"training_file": "file-train", "from_checkpoint": "%s", "n_epochs": 1, "suffix": "%s",
                 "training_type": {"type": "Lora", "lora_r": 64, "lora_alpha": 128, "lora_dropout": 0.0,
                                   "lora_trainable_modules": "all-linear"},
                 "training_method": {"method": "sft", "train_on_inputs": "auto"}}
                """.formatted(parent, TAG))));
    }

    @Test
    void aJobIdWithAStep_continuesFromThatCheckpoint_andItsLimitsAreThoseOfTheJob() {
        together.createJob(request("ft-1a2b:120", Hyperparameters.AUTO, null, Map.of(), false));

        wm.verify(getRequestedFor(urlPathEqualTo("/v1/fine-tunes/models/limits"))
                .withQueryParam("model_name", equalTo("ft-1a2b")));
        wm.verify(postRequestedFor(urlPathEqualTo("/v1/fine-tunes"))
                .withRequestBody(equalToJson("{\"from_checkpoint\": \"ft-1a2b:120\"}", true, true)));
        wm.verify(0, getRequestedFor(urlPathEqualTo("/v1/fine-tunes")));
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/v1/fine-tunes"))).get(0).getBodyAsString())
                .doesNotContain("\"model\"");
    }

    @Test
    void aBaseModelTogetherSupports_isNotLookedForAmongTheJobs() {
        together.createJob(request(BASE, Hyperparameters.AUTO, null, Map.of(), false));

        wm.verify(0, getRequestedFor(urlPathEqualTo("/v1/fine-tunes")));
    }

    @Test
    void create_isNeverRepeated_afterAnErrorThatMayHaveCreatedTheJob() {
        wm.stubFor(post(urlPathEqualTo("/v1/fine-tunes")).willReturn(aResponse().withStatus(500)
                .withBody("{\"error\":{\"message\":\"internal\",\"type\":\"server_error\"}}")));

        assertThatThrownBy(() -> together.createJob(request(BASE, Hyperparameters.AUTO, null, Map.of(), false)))
                .isInstanceOf(ServerException.class);

        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1/fine-tunes")));
    }

    @Test
    void valuesOutsideTheModelsLimits_areRefused_beforeTheCreate() {
        assertThatThrownBy(() -> together.createJob(request(BASE, Hyperparameters.builder().batchSize(4).build(), null,
                Map.of(), false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize 4 is outside what Together takes for " + BASE + " (LoRA): 8 to 32");
        assertThatThrownBy(() -> together.createJob(request(BASE, Hyperparameters.AUTO, null, Map.of("lora_r", "128"),
                false)))
                .hasMessageContaining("lora_r 128 is outside what Together takes for " + BASE + ": 1 to 64");
        assertThatThrownBy(() -> together.createJob(request(BASE, Hyperparameters.builder().epochs(30).build(), null,
                Map.of(), false)))
                .hasMessageContaining("epochs 30 is outside what Together takes for " + BASE + ": 1 to 20");

        wm.verify(0, postRequestedFor(urlPathEqualTo("/v1/fine-tunes")));
    }

    @Test
    void aModelTogetherHasNoLimitsFor_isAnInvalidRequest_andNoJobIsCreated() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/models/limits")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\": \"Model gpt-4o-mini not found or not supported for fine-tuning\"}")));
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes")).willReturn(okJson("{\"data\": []}")));

        assertThatThrownBy(() -> together.createJob(request("gpt-4o-mini", Hyperparameters.AUTO, null, Map.of(),
                false)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("together cannot fine-tune 'gpt-4o-mini'");

        wm.verify(0, postRequestedFor(urlPathEqualTo("/v1/fine-tunes")));
    }

    @Test
    void checkRequest_refusesWhatTogetherCannotTake_withoutAnyRequest() {
        assertThatThrownBy(() -> together.checkRequest(request(BASE, Hyperparameters.AUTO, null,
                Map.of("flavor", "a10g"), false)))
                .hasMessageContaining("unknown option(s) [flavor]; Together takes training_type, lora_r");
        assertThatThrownBy(() -> together.checkRequest(request(BASE,
                Hyperparameters.builder().learningRateMultiplier(2).build(), null, Map.of(), false)))
                .hasMessageContaining("Together takes an absolute learning rate, not a multiplier");
        assertThatThrownBy(() -> together.checkRequest(request(BASE, Hyperparameters.AUTO,
                "a-suffix-that-is-far-too-long", Map.of(), false)))
                .hasMessageContaining("suffix 'a-suffix-that-is-far-too-long' must be at most 23 letters");
        assertThatThrownBy(() -> together.checkRequest(request(BASE, Hyperparameters.AUTO, null,
                Map.of("lora_dropout", "1"), false)))
                .hasMessageContaining("option lora_dropout is '1'; it must be a number from 0.0 up to but not 1.0");
        assertThatThrownBy(() -> together.checkRequest(request(BASE, Hyperparameters.AUTO, null,
                Map.of("training_type", "full", "lora_r", "8"), false)))
                .hasMessageContaining("the LoRA options");
        assertThatThrownBy(() -> together.checkRequest(request(BASE, Hyperparameters.AUTO, null,
                Map.of("training_type", "qlora"), false)))
                .hasMessageContaining("option training_type is 'qlora'; use one of lora, full");

        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @CsvSource({"pending,QUEUED", "queued,QUEUED", "running,RUNNING", "compressing,RUNNING", "uploading,RUNNING",
            "cancel_requested,CANCELLED", "cancelled,CANCELLED", "error,FAILED", "user_error,FAILED",
            "completed,SUCCEEDED", "paused_for_maintenance,UNKNOWN"})
    void everyStatus_isMapped_andTheRawOneKept(String raw, JobStatus status) {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-9")).willReturn(okJson(job("ft-9", raw, TAG, ""))));

        RemoteJob job = together.getJob("ft-9");

        assertThat(job.status()).isEqualTo(status);
        assertThat(job.rawStatus()).isEqualTo(raw);
    }

    @Test
    void aCompletedJob_givesItsModel_tokens_ownPrice_andResolvedHyperparameters() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-9")).willReturn(okJson(job("ft-9", "completed", TAG,
                "\"token_count\": 850000, \"total_price\": 2550000000, \"random_seed\": 42"))));

        RemoteJob job = together.getJob("ft-9");

        assertThat(job.fineTunedModel()).hasValue(OUTPUT);
        assertThat(job.baseModel()).hasValue(BASE);
        assertThat(job.trainedTokens()).hasValue(850_000);
        assertThat(job.costPreview()).hasValue(Money.usd("2.55"));
        assertThat(job.createdAt()).hasValue(Instant.parse("2026-05-04T10:00:00.123Z"));
        assertThat(job.finishedAt()).hasValue(Instant.parse("2026-05-04T10:42:00Z"));
        assertThat(job.hyperparameters()).containsEntry("n_epochs", "3").containsEntry("batch_size", "8")
                .containsEntry("learning_rate", "1.0E-5").containsEntry("training_type", "Lora")
                .containsEntry("lora_r", "64").containsEntry("lora_alpha", "128").containsEntry("random_seed", "42");
    }

    @Test
    void aFailedJob_carriesTheMessageOfItsLastErrorEvent() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-9")).willReturn(okJson(job("ft-9", "user_error", TAG,
                "\"events\": [{\"object\": \"fine-tune-event\", \"created_at\": \"2026-05-04T10:01:00Z\","
                        + " \"level\": \"Info\", \"type\": \"JOB_START\", \"message\": \"Job started\"},"
                        + " {\"object\": \"fine-tune-event\", \"created_at\": \"2026-05-04T10:02:00Z\","
                        + " \"level\": \"Error\", \"type\": \"JOB_USER_ERROR\","
                        + " \"message\": \"Training file has an invalid line 3\"}]"))));

        RemoteJob job = together.getJob("ft-9");

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.fineTunedModel()).isEmpty();
        assertThat(job.error()).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo("user_error");
            assertThat(e.message()).isEqualTo("Training file has an invalid line 3");
        });
    }

    @Test
    void aRunningJob_reportsTogethersEstimateOfTheTimeLeft() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-9")).willReturn(okJson(job("ft-9", "running", TAG,
                "\"progress\": {\"estimate_available\": true, \"seconds_remaining\": 420}"))));

        assertThat(together.getJob("ft-9").expectedDuration()).hasValue(Duration.ofMinutes(7));
    }

    @Test
    void findJobByTag_searchesTheWholeList_forASuffixEndingWithTheTag_andTakesTheOldest() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes")).willReturn(okJson("{\"data\": ["
                + job("ft-3", "running", "voice-" + TAG, "").replace("2026-05-04T10:00:00.123Z", "2026-05-04T11:00:00Z")
                + "," + job("ft-2", "queued", "voice-" + TAG, "") + ","
                + job("ft-1", "completed", "x" + TAG, "") + "," + job("ft-0", "completed", "ftj-other0000000", "")
                + "]}")));

        Optional<RemoteJob> found = together.findJobByTag(TAG);

        assertThat(found).hasValueSatisfying(j -> {
            assertThat(j.remoteId()).isEqualTo("ft-2");
            assertThat(j.status()).isEqualTo(JobStatus.QUEUED);
        });
        assertThat(together.findJobByTag("ftj-nothere000000")).isEmpty();
        wm.verify(2, getRequestedFor(urlPathEqualTo("/v1/fine-tunes")).withHeader("Authorization", equalTo(BEARER)));
    }

    @Test
    void cancel_postsToCancel_andTheAnswerIsCancelled() {
        wm.stubFor(post(urlPathEqualTo("/v1/fine-tunes/ft-9/cancel")).willReturn(okJson(job("ft-9",
                "cancel_requested", TAG, ""))));

        RemoteJob job = together.cancelJob("ft-9");

        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.rawStatus()).isEqualTo("cancel_requested");
        wm.verify(postRequestedFor(urlPathEqualTo("/v1/fine-tunes/ft-9/cancel")).withHeader("Authorization",
                equalTo(BEARER)));
    }

    @Test
    void startJob_isNotOffered() {
        assertThatThrownBy(() -> together.startJob("ft-9")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("COST_PREVIEW");
    }

    @Test
    void events_comeOldestFirst_andTheCursorSkipsWhatWasDelivered() {
        String first = "{\"object\": \"fine-tune-event\", \"created_at\": \"2026-05-04T10:00:01Z\", \"level\": \"\","
                + " \"type\": \"JOB_PENDING\", \"message\": \"Fine tune request created\"}";
        String second = "{\"object\": \"fine-tune-event\", \"created_at\": \"2026-05-04T10:05:00Z\","
                + " \"level\": \"Info\", \"type\": \"CHECKPOINT_SAVE\", \"message\": \"New checkpoint saved at step 40\","
                + " \"step\": 40, \"total_steps\": 120}";
        String third = "{\"object\": \"fine-tune-event\", \"created_at\": \"2026-05-04T10:06:00Z\","
                + " \"level\": \"warning\", \"type\": \"warning\", \"message\": \"Loss is NaN\"}";
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-9/events")).inScenario("events")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(okJson("{\"data\": [" + first + "," + second + "]}")).willSetStateTo("more"));
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-9/events")).inScenario("events").whenScenarioStateIs("more")
                .willReturn(okJson("{\"object\": \"list\", \"data\": [" + first + "," + second + "," + third + "]}")));

        EventPage page = together.events("ft-9", null);
        EventPage next = together.events("ft-9", page.cursor());

        assertThat(page.events()).extracting(JobEvent::message)
                .containsExactly("Fine tune request created", "New checkpoint saved at step 40");
        assertThat(page.events().get(1).metrics()).containsEntry("step", 40.0).containsEntry("total_steps", 120.0);
        assertThat(page.events().get(1).at()).isEqualTo(Instant.parse("2026-05-04T10:05:00Z"));
        assertThat(page.cursor()).isEqualTo("1");
        assertThat(next.events()).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("Loss is NaN");
            assertThat(e.level()).isEqualTo("warn");
        });
        assertThat(next.cursor()).isEqualTo("2");
    }

    @Test
    void metrics_comeByStep_withFinetune4jsNames() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-9/metrics")).willReturn(okJson("""
                {"metrics": [
                  {"train/loss": 1.2, "train/learning_rate": 0.0001, "train/global_step": 10},
                  {"train/loss": 0.9, "train/learning_rate": 0.00009, "train/global_step": 20},
                  {"eval/loss": 1.0, "eval/global_step": 20}]}
                """)));

        List<MetricPoint> points = together.metrics("ft-9");

        assertThat(points).extracting(MetricPoint::step).containsExactly(10L, 20L);
        assertThat(points.get(1).values()).containsEntry("train_loss", 0.9).containsEntry("valid_loss", 1.0)
                .containsEntry("train_learning_rate", 0.00009);
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/fine-tunes/ft-9/metrics")).withHeader("Authorization",
                equalTo(BEARER)));
    }

    @Test
    void checkpoints_areNamedAsFromCheckpointTakesThem_newestFirst() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes/ft-9/checkpoints")).willReturn(okJson("""
                {"data": [
                  {"step": 40, "created_at": "2026-05-04T10:05:00Z", "path": "s3://x/40", "checkpoint_type": "Intermediate"},
                  {"step": 120, "created_at": "2026-05-04T10:20:00Z", "path": "s3://x/m", "checkpoint_type": "Final Merged"},
                  {"step": 120, "created_at": "2026-05-04T10:20:01Z", "path": "s3://x/a", "checkpoint_type": "Final Adapter"}]}
                """)));

        assertThat(together.checkpoints("ft-9")).extracting(TogetherCheckpoint::type, TogetherCheckpoint::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Final Adapter", "ft-9"),
                        org.assertj.core.groups.Tuple.tuple("Final Merged", "ft-9"),
                        org.assertj.core.groups.Tuple.tuple("Intermediate", "ft-9:40"));
    }

    @Test
    void deleteModel_deletesTheJobThatTrainedIt() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes")).willReturn(okJson("{\"data\": ["
                + job("ft-9", "completed", TAG, "") + "]}")));
        wm.stubFor(delete(urlPathEqualTo("/v1/fine-tunes/ft-9")).willReturn(okJson(
                "{\"message\": \"Fine-tune job ft-9 deleted\"}")));

        together.deleteModel(OUTPUT);

        wm.verify(deleteRequestedFor(urlPathEqualTo("/v1/fine-tunes/ft-9")).withHeader("Authorization",
                equalTo(BEARER)));
        assertThatThrownBy(() -> together.deleteModel("acme/unknown-model"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no job of this account produced the model 'acme/unknown-model'");
        wm.verify(1, deleteRequestedFor(anyUrl()));
    }
}
