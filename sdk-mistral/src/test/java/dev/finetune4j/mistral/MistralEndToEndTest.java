package dev.finetune4j.mistral;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobEstimate;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.store.VersionStores;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core driving the Mistral provider against a stateful WireMock Mistral. */
class MistralEndToEndTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ID = "a3c1f2e0-5b7d-4c8e-9f10-1234567890ab";
    private static final String JOBS = "/v1/fine_tuning/jobs";
    private static final String JOB = JOBS + "/" + ID;
    private static final String MODEL = "ft:open-mistral-7b:587a6b29:20261121:7e773925";

    private MistralFixtures.ManualTime time;
    private FineTuning ft;
    private Assistant parser;

    @BeforeEach
    void setUp() {
        time = new MistralFixtures.ManualTime();
        MistralProvider mistral = MistralFixtures.provider(wm.baseUrl(), time);
        ft = FineTuning.builder().store(VersionStores.inMemory(time)).clock(time).sleeper(time).provider(mistral).build();
        parser = ft.createAssistant("parser", "mistral", "open-mistral-7b");
        ft.dataset("parser/main").append(IntStream.range(0, 24).mapToObj(i -> Example.of(
                Message.system("You turn workout notes into JSON."),
                Message.user("did " + (i + 5) + " push-ups in set " + i),
                Message.assistant("{\"exercise\":\"push-up\",\"reps\":" + (i + 5) + ",\"set\":" + i + "}"))).toList(),
                "seed");
        wm.stubFor(post(urlPathEqualTo("/v1/files")).atPriority(5).willReturn(okJson(
                "{\"id\": \"file-train\", \"object\": \"file\", \"bytes\": 4000, \"created_at\": 1763719200, "
                        + "\"filename\": \"train.jsonl\", \"purpose\": \"fine-tune\", \"sample_type\": \"instruct\", "
                        + "\"source\": \"upload\"}")));
        wm.stubFor(post(urlPathEqualTo("/v1/files")).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("file")
                        .withHeader("Content-Disposition", containing("-validation.jsonl")))
                .willReturn(okJson("{\"id\": \"file-val\", \"object\": \"file\", \"bytes\": 400, \"created_at\": "
                        + "1763719200, \"filename\": \"validation.jsonl\", \"purpose\": \"fine-tune\", "
                        + "\"sample_type\": \"instruct\", \"source\": \"upload\"}")));
    }

    private static String emptyList() {
        return "{\"object\": \"list\", \"total\": 0, \"data\": []}";
    }

    @Test
    void costPreviewThenStart_registersTheModelVersionWithCheckpointMetrics() {
        wm.stubFor(get(urlPathEqualTo(JOBS)).willReturn(okJson(emptyList())));
        wm.stubFor(post(urlPathEqualTo(JOBS)).willReturn(okJson(job(ID, "QUEUED",
                "{{jsonPath request.body '$.suffix'}}", "")).withTransformers("response-template")));
        wm.stubFor(get(urlPathEqualTo(JOB)).inScenario("job").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(job(ID, "VALIDATED", null, METADATA))));
        wm.stubFor(post(urlPathEqualTo(JOB + "/start")).inScenario("job").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(job(ID, "RUNNING", null, METADATA))).willSetStateTo("running"));
        wm.stubFor(get(urlPathEqualTo(JOB)).inScenario("job").whenScenarioStateIs("running")
                .willReturn(okJson(job(ID, "RUNNING", null, METADATA))).willSetStateTo("done"));
        wm.stubFor(get(urlPathEqualTo(JOB)).inScenario("job").whenScenarioStateIs("done")
                .willReturn(okJson(job(ID, "SUCCESS", null, METADATA + """
                        , "events": [
                          {"name": "status-updated", "created_at": %d, "data": {"status": "QUEUED"}},
                          {"name": "status-updated", "created_at": %d, "data": {"status": "VALIDATED"}},
                          {"name": "status-updated", "created_at": %d, "data": {"status": "RUNNING"}},
                          {"name": "status-updated", "created_at": %d, "data": {"status": "SUCCESS"}}],
                        "checkpoints": [
                          {"metrics": {"train_loss": 1.2, "valid_loss": 1.3, "valid_mean_token_accuracy": 0.71},
                           "step_number": 5, "created_at": %d},
                          {"metrics": {"train_loss": 0.4, "valid_loss": 0.5, "valid_mean_token_accuracy": 0.9},
                           "step_number": 10, "created_at": %d}]"""
                        .formatted(CREATED, CREATED + 30, CREATED + 90, CREATED + 400, CREATED + 200, CREATED + 390))
                        .replace("\"fine_tuned_model\": null", "\"fine_tuned_model\": \"" + MODEL + "\"")
                        .replace("\"trained_tokens\": null", "\"trained_tokens\": 1310720"))));
        FineTuneSpec spec = FineTuneSpec.builder("parser", "main").start(false).build();

        JobEstimate estimate = ft.jobs().estimate(spec);

        assertThat(estimate.provider()).isEqualTo("mistral");
        assertThat(estimate.trainingExamples() + estimate.validationExamples()).isEqualTo(24);
        assertThat(estimate.cost()).isPresent();
        wm.verify(0, anyRequestedFor(anyUrl()));

        FineTuneJob job = ft.jobs().submit(spec);

        assertThat(job.remoteId()).contains(ID);
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.rawStatus()).isEqualTo("QUEUED");
        assertThat(job.costPreview()).isEmpty();
        boolean withValidation = estimate.validationExamples() > 0;
        wm.verify(withValidation ? 2 : 1, postRequestedFor(urlPathEqualTo("/v1/files"))
                .withHeader("Authorization", equalTo(BEARER))
                .withRequestBodyPart(aMultipart().withName("purpose").withBody(equalTo("fine-tune")).build()));
        wm.verify(1, postRequestedFor(urlPathEqualTo(JOBS)).withHeader("Authorization", equalTo(BEARER))
                .withRequestBody(equalToJson("""
                        {"model": "open-mistral-7b",
                         "training_files": [{"file_id": "file-train", "weight": 1.0}],
                         %s
                         "hyperparameters": {},
                         "suffix": "%s",
                         "auto_start": false,
                         "job_type": "completion"}""".formatted(
                        withValidation ? "\"validation_files\": [\"file-val\"]," : "", job.id()), false, false)));
        wm.verify(1, getRequestedFor(urlPathEqualTo(JOBS)).withQueryParam("suffix", equalTo(job.id())));

        job.refresh();

        assertThat(job.rawStatus()).isEqualTo("VALIDATED");
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.costPreview()).contains(Money.of("10.5", "EUR"));

        job.start();

        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        wm.verify(1, postRequestedFor(urlPathEqualTo(JOB + "/start")).withHeader("Authorization", equalTo(BEARER)));

        job.awaitCompletion(Duration.ofHours(2));

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.fineTunedModel()).contains(MODEL);
        assertThat(job.modelVersion()).hasValue(1);
        ModelVersion v1 = parser.modelVersion(1).orElseThrow();
        assertThat(v1.providerModelId()).startsWith("ft:open-mistral-7b:").isEqualTo(MODEL);
        assertThat(v1.provider()).isEqualTo("mistral");
        assertThat(v1.baseModel()).isEqualTo("open-mistral-7b");
        assertThat(v1.jobId()).contains(job.id());
        assertThat(v1.metrics().trainLoss()).hasValue(0.4);
        assertThat(v1.metrics().validationLoss()).hasValue(0.5);
        assertThat(v1.metrics().validationAccuracy()).hasValue(0.9);
        assertThat(v1.hyperparameters()).containsEntry("training_steps", "10").containsEntry("learning_rate", "0.0001");
        assertThat(parser.selection().activeModelVersion()).isEmpty();
        assertThat(time.sleeps).isNotEmpty().allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(60)));
        assertThat(job.newEvents()).extracting(JobEvent::message).containsExactly("status changed to QUEUED",
                "status changed to VALIDATED", "status changed to RUNNING", "status changed to SUCCESS");
        assertThat(job.newEvents()).isEmpty();
    }

    @Test
    void connectionDroppedAfterTheServerCreatedTheJob_submitFindsItBySuffix_andCreatesExactlyOne() {
        wm.stubFor(get(urlPathEqualTo(JOBS)).inScenario("crash").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(emptyList())));
        wm.stubFor(post(urlPathEqualTo(JOBS)).inScenario("crash").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("created"));
        wm.stubFor(get(urlPathEqualTo(JOBS)).inScenario("crash").whenScenarioStateIs("created")
                .willReturn(okJson("{\"object\": \"list\", \"total\": 1, \"data\": ["
                        + job(ID, "QUEUED", "{{request.query.suffix}}", "") + "]}").withTransformers("response-template")));

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("parser", "main").build());

        assertThat(job.remoteId()).contains(ID);
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        wm.verify(1, postRequestedFor(urlPathEqualTo(JOBS)));
        wm.verify(2, getRequestedFor(urlPathEqualTo(JOBS)).withQueryParam("suffix", equalTo(job.id())));
        assertThat(ft.jobs().list("parser")).hasSize(1);

        wm.stubFor(get(urlPathEqualTo(JOB)).willReturn(okJson(job(ID, "VALIDATING", null, ""))));
        List<FineTuneJob> resumed = ft.jobs().resume();

        assertThat(resumed).singleElement().satisfies(j -> assertThat(j.rawStatus()).isEqualTo("VALIDATING"));
        wm.verify(1, postRequestedFor(urlPathEqualTo(JOBS)));
    }
}
