package dev.finetune4j.mistral;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.mistral.MistralFixtures.BEARER;
import static dev.finetune4j.mistral.MistralFixtures.CREATED;
import static dev.finetune4j.mistral.MistralFixtures.METADATA;
import static dev.finetune4j.mistral.MistralFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.TransportException;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MistralJobsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String TAG = "ftj-2k9x7q4m1c8z";
    private static final String ID = "a3c1f2e0-5b7d-4c8e-9f10-1234567890ab";
    private static final String JOBS = "/v1/fine_tuning/jobs";
    private static final String JOB = JOBS + "/" + ID;

    private MistralFixtures.ManualTime time;
    private MistralProvider mistral;

    @BeforeEach
    void setUp() {
        time = new MistralFixtures.ManualTime();
        mistral = MistralFixtures.provider(wm.baseUrl(), time);
    }

    private static JobRequest request(Hyperparameters h, boolean start, Map<String, String> options, String suffix) {
        return new JobRequest(TAG, "parser", "open-mistral-7b",
                new UploadedData("file-train", "file-val", Map.of()), h, suffix, start, options);
    }

    // ---- create -------------------------------------------------------------------------------

    @Test
    void createJob_sendsJobInWithTheTagAsSuffix_andParsesTheJob() {
        wm.stubFor(post(urlPathEqualTo(JOBS)).willReturn(okJson(job(ID, "QUEUED", TAG, ""))));

        RemoteJob created = mistral.createJob(request(Hyperparameters.builder().epochs(3).learningRate(1e-5).build(),
                true, Map.of(), "my-model"));

        wm.verify(postRequestedFor(urlPathEqualTo(JOBS))
                .withHeader("Authorization", equalTo(BEARER))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"model": "open-mistral-7b",
                         "training_files": [{"file_id": "file-train", "weight": 1.0}],
                         "validation_files": ["file-val"],
                         "hyperparameters": {"learning_rate": 0.00001, "epochs": 3},
                         "suffix": "ftj-2k9x7q4m1c8z",
                         "auto_start": true,
                         "job_type": "completion"}""", false, false)));
        assertThat(created.remoteId()).isEqualTo(ID);
        assertThat(created.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(created.rawStatus()).isEqualTo("QUEUED");
        assertThat(created.tag()).contains(TAG);
        assertThat(created.baseModel()).contains("open-mistral-7b");
        assertThat(created.createdAt()).contains(Instant.ofEpochSecond(CREATED));
        assertThat(created.finishedAt()).isEmpty();
        assertThat(created.costPreview()).isEmpty();
        assertThat(created.hyperparameters()).containsEntry("training_steps", "10")
                .containsEntry("learning_rate", "0.0001").containsEntry("fim_ratio", "0.9")
                .doesNotContainKey("epochs");
    }

    @Test
    void createJob_mapsMultiplierAndOptions_andLeavesOutWhatMistralLacks() {
        wm.stubFor(post(urlPathEqualTo(JOBS)).willReturn(okJson(job(ID, "QUEUED", TAG, ""))));

        mistral.createJob(request(Hyperparameters.builder().learningRateMultiplier(2).batchSize(8).seed(7).build(), true,
                Map.of("training_steps", "100", "weight_decay", "0.05", "warmup_fraction", "0.1", "seq_len", "2048",
                        "fim_ratio", "0.5", "invalid_sample_skip_percentage", "0.1"), null));

        wm.verify(postRequestedFor(urlPathEqualTo(JOBS)).withRequestBody(equalToJson("""
                {"model": "open-mistral-7b",
                 "training_files": [{"file_id": "file-train", "weight": 1.0}],
                 "validation_files": ["file-val"],
                 "hyperparameters": {"training_steps": 100, "learning_rate": 0.0002, "weight_decay": 0.05,
                                     "warmup_fraction": 0.1, "seq_len": 2048, "fim_ratio": 0.5},
                 "suffix": "ftj-2k9x7q4m1c8z",
                 "auto_start": true,
                 "job_type": "completion",
                 "invalid_sample_skip_percentage": 0.1}""", false, false)));
    }

    @Test
    void createJob_unknownOption_isRejectedBeforeAnyCall() {
        assertThatThrownBy(() -> mistral.createJob(request(Hyperparameters.AUTO, true, Map.of("flavor", "a10g"), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mistral has no job option 'flavor'")
                .hasMessageContaining("training_steps");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void createJob_duplicate409_surfacesClearly_andIsNotRetried() {
        wm.stubFor(post(urlPathEqualTo(JOBS)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json").withHeader("x-request-id", "req-409")
                .withBody("{\"object\":\"error\",\"message\":\"A similar job is already running\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"3101\"}")));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> mistral.createJob(request(Hyperparameters.AUTO, true, Map.of(), null)));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.provider()).isEqualTo("mistral");
        assertThat(e.requestId()).contains("req-409");
        assertThat(e.errorCode()).contains("3101");
        assertThat(e.getMessage()).startsWith("mistral refused to create job ftj-2k9x7q4m1c8z on open-mistral-7b (409 Conflict)")
                .contains("a similar job is already queued, validated or running")
                .contains("cancel it")
                .contains("A similar job is already running");
        assertThat(e.rawBody()).contains("3101");
        wm.verify(1, postRequestedFor(urlPathEqualTo(JOBS)));
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void createJob_422_carriesTheValidationDetail() {
        wm.stubFor(post(urlPathEqualTo(JOBS)).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"detail": [{"loc": ["body", "hyperparameters", "learning_rate"],
                                     "msg": "Input should be less than or equal to 1",
                                     "type": "less_than_equal", "input": 2.0}]}""")));

        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,
                () -> mistral.createJob(request(Hyperparameters.AUTO, true, Map.of(), null)));

        assertThat(e.statusCode()).isEqualTo(422);
        assertThat(e.errorCode()).contains("less_than_equal");
        assertThat(e.getMessage()).contains("body.hyperparameters.learning_rate: Input should be less than or equal to 1");
        assertThat(e.isRetryable()).isFalse();
        wm.verify(1, postRequestedFor(urlPathEqualTo(JOBS)));
    }

    @Test
    void createJob_429WithRetryAfter_isRetriedAfterTheServersWait() {
        wm.stubFor(post(urlPathEqualTo(JOBS)).inScenario("rate").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"object\":\"error\",\"message\":\"Requests rate limit exceeded\","
                                + "\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"1300\"}"))
                .willSetStateTo("ok"));
        wm.stubFor(post(urlPathEqualTo(JOBS)).inScenario("rate").whenScenarioStateIs("ok")
                .willReturn(okJson(job(ID, "QUEUED", TAG, ""))));

        RemoteJob created = mistral.createJob(request(Hyperparameters.AUTO, true, Map.of(), null));

        assertThat(created.remoteId()).isEqualTo(ID);
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2));
        wm.verify(2, postRequestedFor(urlPathEqualTo(JOBS)));
    }

    @Test
    void createJob_connectionDroppedAfterSending_isNotRetried_andMayHaveReachedTheServer() {
        wm.stubFor(post(urlPathEqualTo(JOBS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        TransportException e = catchThrowableOfType(TransportException.class,
                () -> mistral.createJob(request(Hyperparameters.AUTO, true, Map.of(), null)));

        assertThat(e.mayHaveReachedServer()).isTrue();
        wm.verify(1, postRequestedFor(urlPathEqualTo(JOBS)));
    }

    // ---- cost preview, start, cancel ---------------------------------------------------------

    @Test
    void dryPreviewThenStart_createsWithoutAutoStart_pricesAfterValidation_thenStarts() {
        wm.stubFor(post(urlPathEqualTo(JOBS)).willReturn(okJson(job(ID, "QUEUED", TAG, ""))));
        wm.stubFor(get(urlPathEqualTo(JOB)).willReturn(okJson(job(ID, "VALIDATED", TAG, METADATA))));
        wm.stubFor(post(urlPathEqualTo(JOB + "/start")).willReturn(okJson(job(ID, "RUNNING", TAG, METADATA))));

        RemoteJob created = mistral.createJob(request(Hyperparameters.AUTO, false, Map.of(), null));
        RemoteJob validated = mistral.getJob(ID);
        RemoteJob started = mistral.startJob(ID);

        wm.verify(postRequestedFor(urlPathEqualTo(JOBS)).withRequestBody(equalToJson(
                "{\"auto_start\": false, \"suffix\": \"" + TAG + "\"}", false, true)));
        assertThat(created.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(validated.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(validated.rawStatus()).isEqualTo("VALIDATED");
        assertThat(validated.costPreview()).contains(Money.of("10.50", "EUR"));
        assertThat(validated.expectedDuration()).contains(Duration.ofSeconds(220));
        assertThat(validated.trainedTokens()).hasValue(1_310_720);
        wm.verify(getRequestedFor(urlPathEqualTo(JOB)).withHeader("Authorization", equalTo(BEARER)));
        wm.verify(1, postRequestedFor(urlPathEqualTo(JOB + "/start")).withHeader("Authorization", equalTo(BEARER)));
        assertThat(started.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(started.rawStatus()).isEqualTo("RUNNING");
    }

    @Test
    void cancelJob_postsCancel_andCancellationRequestedIsCancelled() {
        wm.stubFor(post(urlPathEqualTo(JOB + "/cancel"))
                .willReturn(okJson(job(ID, "CANCELLATION_REQUESTED", TAG, ""))));

        RemoteJob cancelled = mistral.cancelJob(ID);

        wm.verify(1, postRequestedFor(urlPathEqualTo(JOB + "/cancel")).withHeader("Authorization", equalTo(BEARER)));
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.rawStatus()).isEqualTo("CANCELLATION_REQUESTED");
    }

    // ---- statuses -----------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "QUEUED, QUEUED",
        "STARTED, RUNNING",
        "VALIDATING, VALIDATING",
        "VALIDATED, QUEUED",
        "RUNNING, RUNNING",
        "FAILED_VALIDATION, FAILED",
        "FAILED, FAILED",
        "SUCCESS, SUCCEEDED",
        "CANCELLED, CANCELLED",
        "CANCELLATION_REQUESTED, CANCELLED",
        "PAUSED_FOR_REVIEW, UNKNOWN"
    })
    void getJob_mapsEveryMistralStatus_andKeepsTheRawOne(String raw, JobStatus expected) {
        wm.stubFor(get(urlPathEqualTo(JOB)).willReturn(okJson(job(ID, raw, TAG, ""))));

        RemoteJob j = mistral.getJob(ID);

        assertThat(j.status()).isEqualTo(expected);
        assertThat(j.rawStatus()).isEqualTo(raw);
        wm.verify(getRequestedFor(urlPathEqualTo(JOB)).withHeader("Authorization", equalTo(BEARER)));
    }

    @Test
    void getJob_failedValidation_surfacesTheReasonFromTheEvents() {
        wm.stubFor(get(urlPathEqualTo(JOB)).willReturn(okJson(job(ID, "FAILED_VALIDATION", TAG, """
                "events": [
                  {"name": "status-updated", "created_at": %d, "data": {"status": "QUEUED"}},
                  {"name": "status-updated", "created_at": %d, "data": {"status": "VALIDATING"}},
                  {"name": "status-updated", "created_at": %d,
                   "data": {"status": "FAILED_VALIDATION",
                            "error": "Line 3: the last message must be an assistant message"}}]"""
                .formatted(CREATED, CREATED + 5, CREATED + 9)))));

        RemoteJob j = mistral.getJob(ID);

        assertThat(j.status()).isEqualTo(JobStatus.FAILED);
        assertThat(j.error()).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo("FAILED_VALIDATION");
            assertThat(e.message()).isEqualTo("Line 3: the last message must be an assistant message");
        });
        assertThat(j.finishedAt()).contains(Instant.ofEpochSecond(CREATED + 60));
    }

    @Test
    void getJob_failedValidationWithoutAnyReason_saysSoAndPointsAtTheData() {
        wm.stubFor(get(urlPathEqualTo(JOB)).willReturn(okJson(job(ID, "FAILED_VALIDATION", TAG, ""))));

        RemoteJob j = mistral.getJob(ID);

        assertThat(j.error()).hasValueSatisfying(e -> assertThat(e.message())
                .isEqualTo("mistral reported FAILED_VALIDATION without a reason; check the training and validation "
                        + "files against Mistral's data format"));
    }

    @Test
    void getJob_succeeded_carriesTheModelTokensAndFinishTime() {
        wm.stubFor(get(urlPathEqualTo(JOB)).willReturn(okJson(job(ID, "SUCCESS", TAG, METADATA).replace(
                "\"fine_tuned_model\": null", "\"fine_tuned_model\": \"ft:open-mistral-7b:587a6b29:20261121:" + TAG
                        + ":7e773925\"").replace("\"trained_tokens\": null", "\"trained_tokens\": 1300000"))));

        RemoteJob j = mistral.getJob(ID);

        assertThat(j.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(j.fineTunedModel()).contains("ft:open-mistral-7b:587a6b29:20261121:" + TAG + ":7e773925");
        assertThat(j.trainedTokens()).hasValue(1_300_000);
        assertThat(j.finishedAt()).contains(Instant.ofEpochSecond(CREATED + 60));
        assertThat(j.error()).isEmpty();
    }

    // ---- find by tag --------------------------------------------------------------------------

    @Test
    void findJobByTag_listsBySuffix_andKeepsOnlyTheExactTag() {
        wm.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson("{\"object\": \"list\", \"total\": 2, \"data\": ["
                + job("other-id", "RUNNING", "ftj-2k9x7q4m1c8", "") + ", " + job(ID, "VALIDATED", TAG, METADATA) + "]}")));

        RemoteJob found = mistral.findJobByTag(TAG).orElseThrow();

        assertThat(found.remoteId()).isEqualTo(ID);
        assertThat(found.costPreview()).contains(Money.of("10.5", "EUR"));
        wm.verify(1, getRequestedFor(urlPathEqualTo(JOBS))
                .withHeader("Authorization", equalTo(BEARER))
                .withQueryParam("suffix", equalTo(TAG))
                .withQueryParam("page", equalTo("0"))
                .withQueryParam("page_size", equalTo("100")));
    }

    @Test
    void findJobByTag_noJob_isEmpty() {
        wm.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson("{\"object\": \"list\", \"total\": 0, \"data\": []}")));

        assertThat(mistral.findJobByTag(TAG)).isEmpty();
        wm.verify(1, getRequestedFor(urlPathEqualTo(JOBS)).withQueryParam("suffix", equalTo(TAG)));
    }

    // ---- events and metrics -------------------------------------------------------------------

    private static String events(int n) {
        String[] all = {
            "{\"name\": \"status-updated\", \"created_at\": %d, \"data\": {\"status\": \"VALIDATING\"}}".formatted(CREATED + 10),
            "{\"name\": \"status-updated\", \"created_at\": %d, \"data\": {\"status\": \"QUEUED\"}}".formatted(CREATED),
            "{\"name\": \"status-updated\", \"created_at\": %d, \"data\": {\"status\": \"VALIDATED\"}}".formatted(CREATED + 20),
            "{\"name\": \"status-updated\", \"created_at\": %d, \"data\": {\"status\": \"FAILED\", \"message\": \"out of memory\"}}"
                    .formatted(CREATED + 30)
        };
        return "\"events\": [" + String.join(", ", List.of(all).subList(0, n)) + "]";
    }

    @Test
    void events_comeOldestFirst_andTheCursorCountsWhatWasDelivered() {
        wm.stubFor(get(urlPathEqualTo(JOB)).inScenario("events").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(job(ID, "VALIDATED", TAG, events(3)))).willSetStateTo("later"));
        wm.stubFor(get(urlPathEqualTo(JOB)).inScenario("events").whenScenarioStateIs("later")
                .willReturn(okJson(job(ID, "FAILED", TAG, events(4)))));

        EventPage first = mistral.events(ID, null);
        EventPage second = mistral.events(ID, first.cursor());
        EventPage third = mistral.events(ID, second.cursor());

        assertThat(first.events()).extracting(JobEvent::message).containsExactly(
                "status changed to QUEUED", "status changed to VALIDATING", "status changed to VALIDATED");
        assertThat(first.events()).extracting(JobEvent::id).containsExactly("1", "2", "3");
        assertThat(first.events().get(0).at()).isEqualTo(Instant.ofEpochSecond(CREATED));
        assertThat(first.cursor()).isEqualTo("3");
        assertThat(second.events()).singleElement().satisfies(e -> {
            assertThat(e.message()).isEqualTo("status changed to FAILED: out of memory");
            assertThat(e.level()).isEqualTo("error");
            assertThat(e.id()).isEqualTo("4");
        });
        assertThat(second.cursor()).isEqualTo("4");
        assertThat(third.events()).isEmpty();
        assertThat(third.next()).isEmpty();
        wm.verify(3, getRequestedFor(urlPathEqualTo(JOB)).withHeader("Authorization", equalTo(BEARER)));
    }

    @Test
    void metrics_comeFromTheCheckpoints_byStep() {
        wm.stubFor(get(urlPathEqualTo(JOB)).willReturn(okJson(job(ID, "RUNNING", TAG, """
                "checkpoints": [
                  {"metrics": {"train_loss": 0.82, "valid_loss": 0.91, "valid_mean_token_accuracy": 1.6},
                   "step_number": 20, "created_at": %d},
                  {"metrics": {"train_loss": 1.4, "valid_loss": null, "valid_mean_token_accuracy": null},
                   "step_number": 10, "created_at": %d}]""".formatted(CREATED + 200, CREATED + 100)))));

        List<MetricPoint> points = mistral.metrics(ID);

        assertThat(points).extracting(MetricPoint::step).containsExactly(10L, 20L);
        assertThat(points.get(0).values()).isEqualTo(Map.of("train_loss", 1.4));
        assertThat(points.get(1).values()).isEqualTo(Map.of("train_loss", 0.82, "valid_loss", 0.91,
                "valid_mean_token_accuracy", 1.6));
        wm.verify(1, getRequestedFor(urlPathEqualTo(JOB)).withHeader("Authorization", equalTo(BEARER)));
    }
}
