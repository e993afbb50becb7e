package dev.finetune4j.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
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
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.finetune4j.AuthenticationException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ServerException;
import dev.finetune4j.TransportException;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobError;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiJobsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String AUTH = "Bearer " + TestSupport.KEY;
    private static final UploadedData FILES = new UploadedData("file-train", "file-val", Map.of());

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();
    private OpenAiProvider openai;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        openai = TestSupport.provider(TestSupport.config(wm, time).build());
    }

    private static String job(String id, String status, String extra) {
        return """
                {"object":"fine_tuning.job","id":"%s","model":"gpt-4o-mini-2024-07-18","created_at":1721764800,
                 "fine_tuned_model":null,"organization_id":"org-123","result_files":[],"status":"%s",
                 "validation_file":"file-val","training_file":"file-train",
                 "metadata":{"finetune4j_job":"ftj-abc","finetune4j_assistant":"avatar-42"}%s}
                """.formatted(id, status, extra);
    }

    private static JobRequest request(String model, Hyperparameters h, String suffix) {
        return new JobRequest("ftj-abc", "avatar-42", model, FILES, h, suffix, true, Map.of());
    }

    // ---- create ---------------------------------------------------------------------------------

    @Test
    void createJob_sendsASupervisedJob_withOnlyTheSetHyperparameters_suffixSeedAndOurTag() {
        wm.stubFor(post("/v1/fine_tuning/jobs").willReturn(okJson(job("ftjob-1", "validating_files", """
                ,"method":{"type":"supervised","supervised":{"hyperparameters":
                  {"batch_size":"auto","learning_rate_multiplier":0.5,"n_epochs":3}}},
                 "hyperparameters":{"batch_size":"auto","learning_rate_multiplier":0.5,"n_epochs":3},
                 "error":{"code":null,"message":null,"param":null},"seed":42,"trained_tokens":null,
                 "user_provided_suffix":"ava","usage_metrics":null,"shared_with_openai":false"""))
                .withHeader("x-request-id", "req_create")));
        Hyperparameters h = Hyperparameters.builder().epochs(3).learningRateMultiplier(0.5).seed(42).build();

        RemoteJob job = openai.createJob(request("gpt-4o-mini-2024-07-18", h, "ava"));

        wm.verify(1, postRequestedFor(urlEqualTo("/v1/fine_tuning/jobs"))
                .withHeader("Authorization", equalTo(AUTH))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"model":"gpt-4o-mini-2024-07-18","training_file":"file-train","validation_file":"file-val",
                         "method":{"type":"supervised","supervised":{"hyperparameters":
                           {"n_epochs":3,"learning_rate_multiplier":0.5}}},
                         "suffix":"ava","seed":42,
                         "metadata":{"finetune4j_job":"ftj-abc","finetune4j_assistant":"avatar-42"}}
                        """)));
        assertThat(job.remoteId()).isEqualTo("ftjob-1");
        assertThat(job.status()).isEqualTo(JobStatus.VALIDATING);
        assertThat(job.rawStatus()).isEqualTo("validating_files");
        assertThat(job.tag()).contains("ftj-abc");
        assertThat(job.baseModel()).contains("gpt-4o-mini-2024-07-18");
        assertThat(job.error()).as("all-null error object").isEmpty();
        assertThat(job.createdAt()).contains(Instant.ofEpochSecond(1721764800));
        assertThat(job.hyperparameters()).containsExactlyInAnyOrderEntriesOf(
                Map.of("n_epochs", "3", "learning_rate_multiplier", "0.5", "seed", "42"));
    }

    @Test
    void createJob_allAutoWithoutValidation_omitsHyperparametersValidationFileSuffixAndSeed() {
        wm.stubFor(post("/v1/fine_tuning/jobs").willReturn(okJson(job("ftjob-1", "queued", ""))));

        openai.createJob(new JobRequest("ftj-abc", "avatar-42", "gpt-4.1-mini-2025-04-14",
                new UploadedData("file-train", null, Map.of()), Hyperparameters.AUTO, null, true, Map.of()));

        wm.verify(postRequestedFor(urlEqualTo("/v1/fine_tuning/jobs")).withRequestBody(equalToJson("""
                {"model":"gpt-4.1-mini-2025-04-14","training_file":"file-train","method":{"type":"supervised"},
                 "metadata":{"finetune4j_job":"ftj-abc","finetune4j_assistant":"avatar-42"}}
                """)));
    }

    @Test
    void createJob_whatOpenAiCannotTake_isRejectedBeforeAnyCall() {
        String suffix65 = "s".repeat(65);

        assertThatThrownBy(() -> openai.createJob(request("gpt-4o-mini", Hyperparameters.AUTO, suffix65)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("suffix '" + suffix65 + "' has 65 characters; openai allows at most 64");
        assertThatThrownBy(() -> openai.createJob(request("gpt-4o-mini",
                Hyperparameters.builder().learningRate(1e-5).build(), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set learningRateMultiplier instead");
        assertThatThrownBy(() -> openai.createJob(new JobRequest("ftj-abc", "avatar-42", "gpt-4o-mini", FILES,
                Hyperparameters.AUTO, null, false, Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no cost preview");
        wm.verify(0, anyRequestedFor(anyUrl()));

        wm.stubFor(post("/v1/fine_tuning/jobs").willReturn(okJson(job("ftjob-1", "queued", ""))));
        openai.createJob(request("gpt-4o-mini", Hyperparameters.AUTO, "s".repeat(64)));
        wm.verify(postRequestedFor(urlEqualTo("/v1/fine_tuning/jobs"))
                .withRequestBody(equalToJson("{\"suffix\":\"" + "s".repeat(64) + "\"}", true, true)));
    }

    @Test
    void createJob_serverErrorOrDroppedConnection_isNeverRepeated() {
        wm.stubFor(post("/v1/fine_tuning/jobs").willReturn(aResponse().withStatus(500)
                .withBody("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,"
                        + "\"code\":null}}")));

        assertThatThrownBy(() -> openai.createJob(request("gpt-4o-mini", Hyperparameters.AUTO, null)))
                .isInstanceOf(ServerException.class);
        wm.verify(1, postRequestedFor(urlEqualTo("/v1/fine_tuning/jobs")));

        wm.resetAll();
        wm.stubFor(post("/v1/fine_tuning/jobs").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        TransportException dropped = catchThrowableOfType(TransportException.class,
                () -> openai.createJob(request("gpt-4o-mini", Hyperparameters.AUTO, null)));
        assertThat(dropped.mayHaveReachedServer()).isTrue();
        wm.verify(1, postRequestedFor(urlEqualTo("/v1/fine_tuning/jobs")));
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void createJob_429WithRetryAfter_isRetriedAfterTheServersWait_withoutSleepingForReal() {
        wm.stubFor(post("/v1/fine_tuning/jobs").inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                        .withBody("{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"param\":null,"
                                + "\"code\":\"rate_limit_exceeded\"}}"))
                .willSetStateTo("ok"));
        wm.stubFor(post("/v1/fine_tuning/jobs").inScenario("limited").whenScenarioStateIs("ok")
                .willReturn(okJson(job("ftjob-1", "queued", ""))));

        RemoteJob job = openai.createJob(request("gpt-4o-mini", Hyperparameters.AUTO, null));

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(3));
        wm.verify(2, postRequestedFor(urlEqualTo("/v1/fine_tuning/jobs")));
    }

    @Test
    void createJob_fromAFineTunedModel_thatOpenAiRefuses_saysToRetrainFromTheBaseModel() {
        String parent = "ft:gpt-4o-mini-2024-07-18:acme:ava:96olL566";
        wm.stubFor(post("/v1/fine_tuning/jobs").willReturn(aResponse().withStatus(400)
                .withHeader("x-request-id", "req_refused")
                .withBody("{\"error\":{\"message\":\"Model " + parent + " is not available for fine-tuning or does "
                        + "not exist.\",\"type\":\"invalid_request_error\",\"param\":\"model\","
                        + "\"code\":\"model_not_available\"}}")));

        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                () -> openai.createJob(request(parent, Hyperparameters.AUTO, null)));

        assertThat(e.getMessage())
                .startsWith("openai refused to continue training from the fine-tuned model '" + parent + "'")
                .contains("not available for fine-tuning")
                .contains("Retrain from its base model instead");
        assertThat(e.requestId()).contains("req_refused");
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.errorCode()).contains("model_not_available");
        wm.verify(postRequestedFor(urlEqualTo("/v1/fine_tuning/jobs"))
                .withRequestBody(equalToJson("{\"model\":\"" + parent + "\"}", true, true)));
    }

    @Test
    void createJob_otherRefusals_areLeftAsOpenAiSaidThem() {
        wm.stubFor(post("/v1/fine_tuning/jobs").willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"File file-train is not a valid JSONL file.\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"training_file\",\"code\":null}}")));

        assertThatThrownBy(() -> openai.createJob(request("ft:gpt-4o-mini:acme::x1", Hyperparameters.AUTO, null)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("openai returned 400 invalid_request_error for POST /v1/fine_tuning/jobs")
                .hasMessageNotContaining("Retrain");
    }

    // ---- get, statuses, errors -------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"validating_files,VALIDATING", "queued,QUEUED", "running,RUNNING", "paused,PAUSED",
        "succeeded,SUCCEEDED", "failed,FAILED", "cancelled,CANCELLED", "pending_review_2027,UNKNOWN"})
    void getJob_mapsEveryStatus_andKeepsTheRawOne(String raw, JobStatus expected) {
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-1").willReturn(okJson(job("ftjob-1", raw, ""))));

        RemoteJob job = openai.getJob("ftjob-1");

        assertThat(job.status()).isEqualTo(expected);
        assertThat(job.rawStatus()).isEqualTo(raw);
        wm.verify(getRequestedFor(urlEqualTo("/v1/fine_tuning/jobs/ftjob-1"))
                .withHeader("Authorization", equalTo(AUTH)));
    }

    @Test
    void getJob_succeeded_hasTheModelBilledTokensFinishTimeAndResolvedHyperparameters() {
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-1").willReturn(okJson(job("ftjob-1", "succeeded", """
                ,"fine_tuned_model":"ft:gpt-4o-mini-2024-07-18:acme:ava:96olL566","finished_at":1721768400,
                 "estimated_finish":1721766600,"trained_tokens":300000,"seed":7,"error":null,
                 "hyperparameters":null,
                 "method":{"type":"supervised","supervised":{"hyperparameters":
                   {"batch_size":1,"learning_rate_multiplier":1.8,"n_epochs":3}}},
                 "integrations":[],"some_future_field":{"nested":[1,2]}"""))));

        RemoteJob job = openai.getJob("ftjob-1");

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.fineTunedModel()).contains("ft:gpt-4o-mini-2024-07-18:acme:ava:96olL566");
        assertThat(job.trainedTokens()).hasValue(300_000);
        assertThat(job.finishedAt()).contains(Instant.ofEpochSecond(1721768400));
        assertThat(job.expectedDuration()).contains(Duration.ofMinutes(30));
        assertThat(job.error()).isEmpty();
        assertThat(job.hyperparameters()).containsExactlyInAnyOrderEntriesOf(Map.of("batch_size", "1",
                "learning_rate_multiplier", "1.8", "n_epochs", "3", "seed", "7"));
    }

    @Test
    void getJob_withOnlyTheDeprecatedTopLevelHyperparameters_readsThem() {
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-1").willReturn(okJson(job("ftjob-1", "running", """
                ,"hyperparameters":{"n_epochs":4,"batch_size":"auto","learning_rate_multiplier":2}"""))));

        assertThat(openai.getJob("ftjob-1").hyperparameters())
                .containsExactlyInAnyOrderEntriesOf(Map.of("n_epochs", "4", "learning_rate_multiplier", "2"));
    }

    @Test
    void getJob_failed_keepsOpenAisError() {
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-1").willReturn(okJson(job("ftjob-1", "failed", """
                ,"error":{"code":"invalid_training_file","message":"The file has 3 examples; at least 10 required.",
                  "param":"training_file"},"finished_at":1721768400"""))));

        RemoteJob job = openai.getJob("ftjob-1");

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).contains(new JobError("invalid_training_file",
                "The file has 3 examples; at least 10 required.", "training_file"));
    }

    @Test
    void getJob_401_isAnAuthenticationException_withTheRequestId_andNoKey() {
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-1").willReturn(aResponse().withStatus(401)
                .withHeader("x-request-id", "req_401")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + TestSupport.KEY + ".\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")));

        AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                () -> openai.getJob("ftjob-1"));

        assertThat(e.requestId()).contains("req_401");
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.errorCode()).contains("invalid_api_key");
        assertThat(e.getMessage()).contains("(request req_401)").doesNotContain(TestSupport.KEY);
        assertThat(e.rawBody()).doesNotContain(TestSupport.KEY);
        wm.verify(1, getRequestedFor(urlEqualTo("/v1/fine_tuning/jobs/ftjob-1")));
    }

    @Test
    void getJob_429WithRetryAfter_isRetried() {
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-1").inScenario("limited").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("ok"));
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-1").inScenario("limited").whenScenarioStateIs("ok")
                .willReturn(okJson(job("ftjob-1", "running", ""))));

        assertThat(openai.getJob("ftjob-1").status()).isEqualTo(JobStatus.RUNNING);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2));
    }

    // ---- cancel, pause, resume ---------------------------------------------------------------------

    @Test
    void cancelPauseResume_postToTheirEndpoints_andReturnTheJob() {
        wm.stubFor(post("/v1/fine_tuning/jobs/ftjob-1/cancel").willReturn(okJson(job("ftjob-1", "cancelled", ""))));
        wm.stubFor(post("/v1/fine_tuning/jobs/ftjob-1/pause").willReturn(okJson(job("ftjob-1", "paused", ""))));
        wm.stubFor(post("/v1/fine_tuning/jobs/ftjob-1/resume").willReturn(okJson(job("ftjob-1", "queued", ""))));

        assertThat(openai.pauseJob("ftjob-1").status()).isEqualTo(JobStatus.PAUSED);
        assertThat(openai.resumeJob("ftjob-1").status()).isEqualTo(JobStatus.QUEUED);
        assertThat(openai.cancelJob("ftjob-1").status()).isEqualTo(JobStatus.CANCELLED);

        for (String action : List.of("pause", "resume", "cancel")) {
            wm.verify(1, postRequestedFor(urlEqualTo("/v1/fine_tuning/jobs/ftjob-1/" + action))
                    .withHeader("Authorization", equalTo(AUTH)));
        }
        assertThatThrownBy(() -> openai.startJob("ftjob-1")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("openai starts a job when it is created");
    }

    // ---- find by tag ---------------------------------------------------------------------------------

    @Test
    void findJobByTag_filtersByMetadata_andPagesOn_checkingTheTagItself() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine_tuning/jobs")).withQueryParam("after", absent())
                .willReturn(okJson("{\"object\":\"list\",\"has_more\":true,"
                        + "\"data\":[" + job("ftjob-9", "running", "").replace("ftj-abc", "ftj-other") + "]}")));
        wm.stubFor(get(urlPathEqualTo("/v1/fine_tuning/jobs")).withQueryParam("after", equalTo("ftjob-9"))
                .willReturn(okJson("{\"object\":\"list\",\"has_more\":false,\"data\":[" + job("ftjob-1", "running", "")
                        + "]}")));

        RemoteJob found = openai.findJobByTag("ftj-abc").orElseThrow();

        assertThat(found.remoteId()).isEqualTo("ftjob-1");
        assertThat(found.tag()).contains("ftj-abc");
        wm.verify(getRequestedFor(urlEqualTo("/v1/fine_tuning/jobs?metadata%5Bfinetune4j_job%5D=ftj-abc&limit=100"))
                .withQueryParam("metadata[finetune4j_job]", equalTo("ftj-abc"))
                .withHeader("Authorization", equalTo(AUTH)));
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/fine_tuning/jobs"))
                .withQueryParam("metadata[finetune4j_job]", equalTo("ftj-abc"))
                .withQueryParam("limit", equalTo("100"))
                .withQueryParam("after", equalTo("ftjob-9")));
    }

    @Test
    void findJobByTag_none_isEmpty_twoAreAnsweredWithTheOldest() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine_tuning/jobs")).withQueryParam("metadata[finetune4j_job]",
                equalTo("ftj-none")).willReturn(okJson("{\"object\":\"list\",\"has_more\":false,\"data\":[]}")));
        wm.stubFor(get(urlPathEqualTo("/v1/fine_tuning/jobs")).withQueryParam("metadata[finetune4j_job]",
                equalTo("ftj-abc")).willReturn(okJson("{\"object\":\"list\",\"has_more\":false,\"data\":["
                        + job("ftjob-2", "queued", "").replace("1721764800", "1721764900") + ","
                        + job("ftjob-1", "queued", "") + "]}")));

        assertThat(openai.findJobByTag("ftj-none")).isEmpty();
        assertThat(openai.findJobByTag("ftj-abc")).map(RemoteJob::remoteId).contains("ftjob-1");
    }

    @Test
    void findJobByTag_readsAtMostFivePages() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine_tuning/jobs")).willReturn(okJson("{\"object\":\"list\","
                + "\"has_more\":true,\"data\":[" + job("ftjob-x", "running", "").replace("ftj-abc", "ftj-other")
                + "]}")));

        assertThat(openai.findJobByTag("ftj-abc")).isEmpty();
        wm.verify(OpenAiProvider.FIND_BY_TAG_MAX_PAGES, getRequestedFor(urlPathEqualTo("/v1/fine_tuning/jobs")));
    }

    // ---- events and metrics -----------------------------------------------------------------------

    private static String event(int n, String type, String data) {
        return "{\"object\":\"fine_tuning.job.event\",\"id\":\"ftevent-" + n + "\",\"created_at\":" + (1721764800 + n)
                + ",\"level\":\"" + (n == 2 ? "warn" : "info") + "\",\"message\":\"event " + n + "\",\"type\":\""
                + type + "\",\"data\":" + data + "}";
    }

    private static String events(boolean hasMore, int... newestFirst) {
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"has_more\":" + hasMore + ",\"data\":[");
        for (int i = 0; i < newestFirst.length; i++) {
            int n = newestFirst[i];
            sb.append(i == 0 ? "" : ",").append(n == 4
                    ? event(n, "metrics", "{\"step\":20,\"train_loss\":0.41,\"train_mean_token_accuracy\":0.9,"
                            + "\"note\":\"x\"}")
                    : event(n, "message", "null"));
        }
        return sb.append("]}").toString();
    }

    @Test
    void events_firstCall_readsTheWholeHistoryNewestFirst_andReturnsItOldestFirst() {
        String path = "/v1/fine_tuning/jobs/ftjob-1/events";
        wm.stubFor(get(urlPathEqualTo(path)).withQueryParam("after", absent())
                .willReturn(okJson(events(true, 5, 4, 3))));
        wm.stubFor(get(urlPathEqualTo(path)).withQueryParam("after", equalTo("ftevent-3"))
                .willReturn(okJson(events(false, 2, 1))));

        EventPage page = openai.events("ftjob-1", null);

        assertThat(page.events()).extracting(JobEvent::id)
                .containsExactly("ftevent-1", "ftevent-2", "ftevent-3", "ftevent-4", "ftevent-5");
        assertThat(page.cursor()).isEqualTo("ftevent-5");
        JobEvent metrics = page.events().get(3);
        assertThat(metrics.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of("step", 20.0, "train_loss", 0.41,
                "train_mean_token_accuracy", 0.9));
        assertThat(page.events().get(1).level()).isEqualTo("warn");
        assertThat(page.events().get(0).metrics()).isEmpty();
        assertThat(page.events().get(0).at()).isEqualTo(Instant.ofEpochSecond(1721764801));
        wm.verify(getRequestedFor(urlEqualTo(path + "?limit=100")).withHeader("Authorization", equalTo(AUTH)));
        wm.verify(getRequestedFor(urlEqualTo(path + "?limit=100&after=ftevent-3")));
    }

    @Test
    void events_withACursor_returnOnlyTheNewerOnes_andKeepTheCursorWhenNothingCame() {
        String path = "/v1/fine_tuning/jobs/ftjob-1/events";
        wm.stubFor(get(urlPathEqualTo(path)).inScenario("events").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(events(true, 7, 6, 5, 4))).willSetStateTo("quiet"));
        wm.stubFor(get(urlPathEqualTo(path)).inScenario("events").whenScenarioStateIs("quiet")
                .willReturn(okJson(events(true, 7, 6, 5, 4))));

        EventPage page = openai.events("ftjob-1", "ftevent-5");
        EventPage again = openai.events("ftjob-1", page.cursor());

        assertThat(page.events()).extracting(JobEvent::id).containsExactly("ftevent-6", "ftevent-7");
        assertThat(page.cursor()).isEqualTo("ftevent-7");
        assertThat(again.events()).isEmpty();
        assertThat(again.cursor()).isEqualTo("ftevent-7");
        wm.verify(2, getRequestedFor(urlPathEqualTo(path)));
    }

    @Test
    void metrics_comeFromTheCheckpoints_pagedAndSortedByStep() {
        String path = "/v1/fine_tuning/jobs/ftjob-1/checkpoints";
        String ckpt = """
                {"object":"fine_tuning.job.checkpoint","id":"ftckpt_%d","created_at":1721764800,
                 "fine_tuned_model_checkpoint":"ft:gpt-4o-mini-2024-07-18:acme:ava:96olL566:ckpt-step-%d",
                 "fine_tuning_job_id":"ftjob-1","step_number":%d,
                 "metrics":{"step":%d,"train_loss":%s,"valid_loss":%s,"full_valid_loss":null}}""";
        wm.stubFor(get(urlPathEqualTo(path)).withQueryParam("after", absent())
                .willReturn(okJson("{\"object\":\"list\",\"has_more\":true,\"first_id\":\"ftckpt_3\","
                        + "\"last_id\":\"ftckpt_2\",\"data\":[" + ckpt.formatted(3, 30, 30, 30, "0.2", "0.3") + ","
                        + ckpt.formatted(2, 20, 20, 20, "0.5", "0.6") + "]}")));
        wm.stubFor(get(urlPathEqualTo(path)).withQueryParam("after", equalTo("ftckpt_2"))
                .willReturn(okJson("{\"object\":\"list\",\"has_more\":false,\"data\":["
                        + ckpt.formatted(1, 10, 10, 10, "1.1", "1.2") + "]}")));

        List<MetricPoint> points = openai.metrics("ftjob-1");

        assertThat(points).extracting(MetricPoint::step).containsExactly(10L, 20L, 30L);
        assertThat(points.get(2).values()).containsExactlyInAnyOrderEntriesOf(Map.of("step", 30.0, "train_loss", 0.2,
                "valid_loss", 0.3));
        wm.verify(getRequestedFor(urlEqualTo(path + "?limit=100")).withHeader("Authorization", equalTo(AUTH)));
        wm.verify(getRequestedFor(urlEqualTo(path + "?limit=100&after=ftckpt_2")));
    }

    // ---- models ------------------------------------------------------------------------------------

    @Test
    void deleteModel_sendsTheFtIdAsOnePathSegment_keepingItsColons() {
        String model = "ft:gpt-4o-mini-2024-07-18:acme:ava:96olL566";
        wm.stubFor(delete(urlEqualTo("/v1/models/" + model))
                .willReturn(okJson("{\"id\":\"" + model + "\",\"object\":\"model\",\"deleted\":true}")));
        wm.stubFor(delete(urlEqualTo("/v1/models/ft:gpt-4o-mini:acme:a%2Fb%20c:x1"))
                .willReturn(okJson("{\"id\":\"x\",\"object\":\"model\",\"deleted\":true}")));

        openai.deleteModel(model);
        openai.deleteModel("ft:gpt-4o-mini:acme:a/b c:x1");

        wm.verify(deleteRequestedFor(urlEqualTo("/v1/models/" + model)).withHeader("Authorization", equalTo(AUTH)));
        wm.verify(deleteRequestedFor(urlEqualTo("/v1/models/ft:gpt-4o-mini:acme:a%2Fb%20c:x1")));
    }

    @Test
    void deleteModel_notDeleted_orNotOwner_isAnError() {
        wm.stubFor(delete(urlEqualTo("/v1/models/ft:gpt-4o-mini:acme::x1"))
                .willReturn(okJson("{\"id\":\"ft:gpt-4o-mini:acme::x1\",\"object\":\"model\",\"deleted\":false}")));
        wm.stubFor(delete(urlEqualTo("/v1/models/ft:gpt-4o-mini:acme::x2")).willReturn(aResponse().withStatus(403)
                .withBody("{\"error\":{\"message\":\"You must be an Owner of the organization.\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}")));

        assertThatThrownBy(() -> openai.deleteModel("ft:gpt-4o-mini:acme::x1"))
                .hasMessageContaining("deleted=false");
        assertThatThrownBy(() -> openai.deleteModel("ft:gpt-4o-mini:acme::x2"))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("Owner");
    }
}
