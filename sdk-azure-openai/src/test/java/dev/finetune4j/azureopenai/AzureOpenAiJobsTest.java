package dev.finetune4j.azureopenai;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.finetune4j.azureopenai.AzureTestSupport.KEY;
import static dev.finetune4j.azureopenai.AzureTestSupport.V1;
import static dev.finetune4j.azureopenai.AzureTestSupport.config;
import static dev.finetune4j.azureopenai.AzureTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ServerException;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.UploadedData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Jobs on the wire, against the shapes of Microsoft's fine-tuning REST how-to
 * ({@code articles/foundry/openai/includes/fine-tuning-rest.md}) and the v1 spec: every request
 * goes below {@code /openai/v1} with the {@code api-key} header and no {@code api-version}.
 */
class AzureOpenAiJobsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String JOBS = V1 + "/fine_tuning/jobs";
    private static final String TAG = "ftj-0123456789ab";
    private static final String FT_MODEL = "gpt-4.1-mini-2025-04-14.ft-b044a9d3cf9c4228b5d393567f693b83";

    private final AzureTestSupport.FakeTime time = new AzureTestSupport.FakeTime();
    private AzureOpenAiProvider azure;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        azure = AzureTestSupport.provider(config(wm, time).build());
    }

    private static JobRequest request(String suffix, Map<String, String> options) {
        return new JobRequest(TAG, "voice-parser", "gpt-4.1-mini-2025-04-14",
                new UploadedData("file-train", "file-val", Map.of()),
                Hyperparameters.builder().epochs(2).batchSize(8).learningRateMultiplier(0.1).seed(105).build(),
                suffix, true, options);
    }

    @Test
    void create_sendsOpenAisBody_theTrainingType_theTagAsSuffixAndInMetadata() {
        wm.stubFor(post(JOBS).willReturn(okJson(job("ftjob-1", "pending", ""))));

        RemoteJob created = azure.createJob(request(null, Map.of("training_type", "globalstandard")));

        assertThat(created.remoteId()).isEqualTo("ftjob-1");
        wm.verify(postRequestedFor(urlEqualTo(JOBS))
                .withHeader("api-key", equalTo(KEY))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"model":"gpt-4.1-mini-2025-04-14","training_file":"file-train","validation_file":"file-val",
                         "method":{"type":"supervised","supervised":{"hyperparameters":
                           {"n_epochs":2,"batch_size":8,"learning_rate_multiplier":0.1}}},
                         "suffix":"%s","seed":105,
                         "metadata":{"finetune4j_job":"%s","finetune4j_assistant":"voice-parser"},
                         "trainingType":"GlobalStandard"}""".formatted(TAG, TAG))));
    }

    @ParameterizedTest
    @CsvSource({"standard,Standard", "Global,GlobalStandard", "GlobalStandard,GlobalStandard",
            "developer,developerTier", "developerTier,developerTier", "DEVELOPER-TIER,developerTier"})
    void trainingType_anySpellingMicrosoftUses_isSentAsOneSpellingPerTier(String given, String sent) {
        wm.stubFor(post(JOBS).willReturn(okJson(job("ftjob-1", "pending", ""))));

        azure.createJob(request("ava", Map.of("training_type", given)));

        wm.verify(postRequestedFor(urlEqualTo(JOBS))
                .withRequestBody(equalToJson("{\"suffix\":\"ava\",\"trainingType\":\"" + sent + "\"}", true, true)));
    }

    @Test
    void trainingType_setting_isTheDefault_andTheJobsOptionWins() {
        wm.stubFor(post(JOBS).willReturn(okJson(job("ftjob-1", "pending", ""))));
        AzureOpenAiProvider developer = AzureTestSupport.provider(config(wm, time)
                .setting("training_type", "developer").build());

        developer.createJob(request("a", Map.of()));
        developer.createJob(request("b", Map.of("training_type", "standard")));

        wm.verify(postRequestedFor(urlEqualTo(JOBS))
                .withRequestBody(equalToJson("{\"suffix\":\"a\",\"trainingType\":\"developerTier\"}", true, true)));
        wm.verify(postRequestedFor(urlEqualTo(JOBS))
                .withRequestBody(equalToJson("{\"suffix\":\"b\",\"trainingType\":\"Standard\"}", true, true)));
    }

    @Test
    void create_withoutTrainingType_sendsNone() {
        wm.stubFor(post(JOBS).willReturn(okJson(job("ftjob-1", "pending", ""))));

        azure.createJob(request("ava", Map.of()));

        assertThat(wm.findAll(postRequestedFor(urlEqualTo(JOBS))).get(0).getBodyAsString())
                .doesNotContain("trainingType");
    }

    @Test
    void checkRequest_refusesWhatAzureDocumentsItRefuses_beforeAnythingIsSent() {
        assertThatThrownBy(() -> azure.checkRequest(request("v1.2", Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("suffix 'v1.2' is not allowed by azure-openai: it must be letters a-z and A-Z, digits, "
                        + "'-' and '_' (no dots)");
        assertThatThrownBy(() -> azure.checkRequest(request("s".repeat(41), Map.of())))
                .hasMessage("suffix '" + "s".repeat(41) + "' has 41 characters; azure-openai allows at most 40");
        assertThatThrownBy(() -> azure.checkRequest(request("ok", Map.of("training_type", "premium"))))
                .hasMessageStartingWith("azure-openai training type 'premium' is not one of standard");
        assertThatThrownBy(() -> azure.checkRequest(request("ok", Map.of("flavor", "a100"))))
                .hasMessage("azure-openai has no option 'flavor'; it knows [training_type]");
        assertThatThrownBy(() -> azure.checkRequest(new JobRequest(TAG, "a", "gpt-4.1-mini", request(null, Map.of())
                .data(), Hyperparameters.builder().learningRate(1e-5).build(), null, true, Map.of())))
                .hasMessageContaining("azure-openai takes no absolute learning rate");
        assertThatThrownBy(() -> azure.checkRequest(new JobRequest(TAG, "a", "gpt-4.1-mini", request(null, Map.of())
                .data(), Hyperparameters.builder().build(), null, false, Map.of())))
                .hasMessageContaining("no cost preview");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void create_serverErrorMayHaveCreatedTheJob_isNotRepeated() {
        wm.stubFor(post(JOBS).willReturn(aResponse().withStatus(500).withHeader("apim-request-id", "apim-7")
                .withBody("{\"error\":{\"code\":\"InternalServerError\",\"message\":\"oops\",\"type\":\"error\"}}")));

        assertThatThrownBy(() -> azure.createJob(request(null, Map.of())))
                .isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.requestId()).contains("apim-7");
                    assertThat(e.errorCode()).contains("InternalServerError");
                });
        wm.verify(1, postRequestedFor(urlEqualTo(JOBS)));
    }

    @Test
    void continueFromAnAzureFineTunedModel_refused_saysToRetrainFromTheBase() {
        wm.stubFor(post(JOBS).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"invalidPayload\",\"message\":\"The specified base model does not "
                        + "support fine-tuning.\",\"param\":\"model\",\"type\":\"error\"}}")));

        assertThatThrownBy(() -> azure.createJob(new JobRequest(TAG, "a", FT_MODEL, request(null, Map.of()).data(),
                Hyperparameters.builder().build(), null, true, Map.of())))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("azure-openai refused to continue training from the fine-tuned model '"
                        + FT_MODEL + "'")
                .hasMessageContaining("Retrain from its base model instead");
        wm.verify(postRequestedFor(urlEqualTo(JOBS)).withRequestBody(equalToJson(
                "{\"model\":\"" + FT_MODEL + "\"}", true, true)));
    }

    @Test
    void findByTag_readsTheNewestPagesWithoutAMetadataFilter_andMatchesTheSuffixOrTheMetadata() {
        wm.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("after", absent()).willReturn(okJson(
                "{\"object\":\"list\",\"has_more\":true,\"data\":[" + job("ftjob-3", "running", "") + ","
                        + job("ftjob-2", "running", ",\"user_provided_suffix\":\"someone-else\"") + "]}")));
        wm.stubFor(get(urlPathEqualTo(JOBS)).withQueryParam("after", equalTo("ftjob-2")).willReturn(okJson(
                "{\"object\":\"list\",\"has_more\":false,\"data\":["
                        + job("ftjob-1", "running", ",\"user_provided_suffix\":\"" + TAG + "\"") + "]}")));

        assertThat(azure.findJobByTag(TAG)).map(RemoteJob::remoteId).contains("ftjob-1");
        wm.verify(getRequestedFor(urlEqualTo(JOBS + "?limit=100")).withHeader("api-key", equalTo(KEY)));
        wm.verify(getRequestedFor(urlEqualTo(JOBS + "?limit=100&after=ftjob-2")));

        wm.resetAll();
        wm.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson("{\"object\":\"list\",\"has_more\":false,\"data\":["
                + job("ftjob-9", "succeeded", ",\"user_provided_suffix\":\"ava\",\"metadata\":{\"finetune4j_job\":\""
                + TAG + "\"}") + "]}")));
        assertThat(azure.findJobByTag(TAG)).flatMap(RemoteJob::tag).contains(TAG);
        assertThat(azure.findJobByTag("ftj-nothere00000")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"validating_files,VALIDATING", "queued,QUEUED", "running,RUNNING", "paused,PAUSED",
            "succeeded,SUCCEEDED", "failed,FAILED", "cancelled,CANCELLED", "pending,UNKNOWN", "pausing,UNKNOWN"})
    void statuses_areMapped_unknownOnesKeptAndPolledOn(String raw, JobStatus status) {
        wm.stubFor(get(JOBS + "/ftjob-1").willReturn(okJson(job("ftjob-1", raw, ""))));

        RemoteJob job = azure.getJob("ftjob-1");

        assertThat(job.status()).isEqualTo(status);
        assertThat(job.rawStatus()).isEqualTo(raw);
        assertThat(job.status().isTerminal()).isEqualTo(raw.equals("succeeded") || raw.equals("failed")
                || raw.equals("cancelled"));
    }

    @Test
    void succeededJob_carriesAzuresModelId_tokensAndResolvedHyperparameters() {
        wm.stubFor(get(JOBS + "/ftjob-1").willReturn(okJson("""
                {"object":"fine_tuning.job","id":"ftjob-1","status":"succeeded","model":"gpt-4.1-mini-2025-04-14",
                 "fine_tuned_model":"%s","trained_tokens":123456,"created_at":1763719200,"finished_at":1763722800,
                 "error":{},"seed":105,"metadata":{"finetune4j_job":"%s"},
                 "method":{"type":"supervised","supervised":{"hyperparameters":
                   {"n_epochs":2,"batch_size":1,"learning_rate_multiplier":"auto"}}}}""".formatted(FT_MODEL, TAG))));

        RemoteJob job = azure.getJob("ftjob-1");

        assertThat(job.fineTunedModel()).contains(FT_MODEL);
        assertThat(job.trainedTokens()).hasValue(123456L);
        assertThat(job.error()).isEmpty();
        assertThat(job.tag()).contains(TAG);
        assertThat(job.hyperparameters()).containsEntry("n_epochs", "2").containsEntry("batch_size", "1")
                .containsEntry("seed", "105").doesNotContainKey("learning_rate_multiplier");
    }

    @Test
    void cancelPauseResume_postToTheirRoutes() {
        wm.stubFor(post(JOBS + "/ftjob-1/cancel").willReturn(okJson(job("ftjob-1", "cancelled", ""))));
        wm.stubFor(post(JOBS + "/ftjob-1/pause").willReturn(okJson(job("ftjob-1", "paused", ""))));
        wm.stubFor(post(JOBS + "/ftjob-1/resume").willReturn(okJson(job("ftjob-1", "running", ""))));

        assertThat(azure.pauseJob("ftjob-1").status()).isEqualTo(JobStatus.PAUSED);
        assertThat(azure.resumeJob("ftjob-1").status()).isEqualTo(JobStatus.RUNNING);
        assertThat(azure.cancelJob("ftjob-1").status()).isEqualTo(JobStatus.CANCELLED);
        for (String action : List.of("pause", "resume", "cancel")) {
            wm.verify(1, postRequestedFor(urlEqualTo(JOBS + "/ftjob-1/" + action)).withHeader("api-key", equalTo(KEY)));
        }
    }

    @Test
    void eventsAndCheckpoints_useGet_asTheSpecSays_notThePostOfTheHowTo() {
        wm.stubFor(get(urlPathEqualTo(JOBS + "/ftjob-1/events")).willReturn(okJson("""
                {"object":"list","has_more":false,"data":[
                 {"object":"fine_tuning.job.event","id":"ftevent-2","created_at":1763719300,"level":"info",
                  "message":"Step 10: training loss=0.42","type":"metrics","data":{"step":10,"train_loss":0.42}},
                 {"object":"fine_tuning.job.event","id":"ftevent-1","created_at":1763719200,"level":"info",
                  "message":"Job enqueued","type":"message"}]}""")));
        wm.stubFor(get(urlPathEqualTo(JOBS + "/ftjob-1/checkpoints")).willReturn(okJson("""
                {"object":"list","has_more":false,"data":[
                 {"object":"fine_tuning.job.checkpoint","id":"ftchkpt-e559c011ecc04fc68eaa339d8227d02d",
                  "fine_tuned_model_checkpoint":"ftchkpt-e559c011ecc04fc68eaa339d8227d02d","step_number":20,
                  "metrics":{"step":20,"train_loss":0.3,"full_valid_loss":0.35}},
                 {"object":"fine_tuning.job.checkpoint","id":"ftchkpt-0000","step_number":10,
                  "metrics":{"step":10,"train_loss":0.5}}]}""")));

        EventPage events = azure.events("ftjob-1", null);
        List<MetricPoint> metrics = azure.metrics("ftjob-1");

        assertThat(events.events()).extracting(JobEvent::id).containsExactly("ftevent-1", "ftevent-2");
        assertThat(events.events().get(1).metrics()).containsEntry("train_loss", 0.42);
        assertThat(events.cursor()).isEqualTo("ftevent-2");
        assertThat(metrics).extracting(MetricPoint::step).containsExactly(10L, 20L);
        assertThat(metrics.get(1).values()).containsEntry("full_valid_loss", 0.35);
        wm.verify(getRequestedFor(urlEqualTo(JOBS + "/ftjob-1/events?limit=100")).withHeader("api-key", equalTo(KEY)));
        wm.verify(getRequestedFor(urlEqualTo(JOBS + "/ftjob-1/checkpoints?limit=100")));
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(JOBS + "/ftjob-1/events")))).isEmpty();
    }

    @Test
    void deleteModel_isNotOfferedByAzuresApi() {
        assertThatThrownBy(() -> azure.deleteModel(FT_MODEL))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("azure-openai offers no API to delete a fine-tuned model");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"retry-after-ms,2500,PT2.5S", "x-ms-retry-after-ms,750,PT0.75S", "retry-after,3,PT3S"})
    void aThrottledCall_waitsAsAzuresHeaderSays_thenRepeats(String header, String value, String wait) {
        wm.stubFor(get(JOBS + "/ftjob-1").inScenario("throttled").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader(header, value)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"429\",\"message\":\"Requests to the Azure OpenAI API "
                                + "have exceeded the rate limit of your current pricing tier.\"}}"))
                .willSetStateTo("ok"));
        wm.stubFor(get(JOBS + "/ftjob-1").inScenario("throttled").whenScenarioStateIs("ok")
                .willReturn(okJson(job("ftjob-1", "running", ""))));

        RemoteJob job = azure.getJob("ftjob-1");

        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(time.sleeps()).containsExactly(Duration.parse(wait));
        wm.verify(2, getRequestedFor(urlEqualTo(JOBS + "/ftjob-1")).withHeader("api-key", equalTo(KEY)));
    }
}
