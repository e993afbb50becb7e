package dev.finetune4j.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
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

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.store.VersionStores;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The happy path through the core: submit uploads both splits, creates the job tagged with our id,
 * polls it from {@code validating_files} through {@code running} to {@code succeeded}, and registers
 * one model version with the {@code ft:} id, the checkpoints' final metrics and the cost of the
 * billed tokens.
 */
class OpenAiEndToEndTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String FT_MODEL = "ft:gpt-4o-mini-2024-07-18:acme:ava:7p4lURel";

    /** Our tag as the create's answer echoes it (WireMock's response templating). */
    private static final String ECHOED_TAG = "{{jsonPath request.body '$.metadata.finetune4j_job'}}";

    private static String job(String status, String extra) {
        return job(status, extra, "ftj-from-a-previous-read");
    }

    private static String job(String status, String extra, String tag) {
        return """
                {"object":"fine_tuning.job","id":"ftjob-e2e","model":"gpt-4o-mini-2024-07-18","created_at":1721764800,
                 "status":"%s","training_file":"file-train","validation_file":"file-val",
                 "metadata":{"finetune4j_job":"%s"},
                 "error":{"code":null,"message":null,"param":null},"hyperparameters":null,
                 "method":{"type":"supervised","supervised":{"hyperparameters":
                   {"n_epochs":3,"batch_size":"auto","learning_rate_multiplier":"auto"}}}%s}
                """.formatted(status, tag, extra);
    }

    private static String checkpoint(int step, String trainLoss, String validLoss) {
        return "{\"object\":\"fine_tuning.job.checkpoint\",\"id\":\"ftckpt_" + step + "\",\"created_at\":1721765000,"
                + "\"fine_tuned_model_checkpoint\":\"" + FT_MODEL + ":ckpt-step-" + step + "\","
                + "\"fine_tuning_job_id\":\"ftjob-e2e\",\"step_number\":" + step + ",\"metrics\":{\"step\":" + step
                + ",\"train_loss\":" + trainLoss + ",\"valid_loss\":" + validLoss + "}}";
    }

    @Test
    void submit_awaitCompletion_registersTheFineTunedModel_withCheckpointMetricsAndTheBilledCost() {
        wm.stubFor(post("/v1/files").atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("file")
                        .withHeader("Content-Disposition", containing("-validation.jsonl")))
                .willReturn(okJson("{\"object\":\"file\",\"id\":\"file-val\",\"purpose\":\"fine-tune\"}")));
        wm.stubFor(post("/v1/files").atPriority(2)
                .willReturn(okJson("{\"object\":\"file\",\"id\":\"file-train\",\"purpose\":\"fine-tune\"}")));
        wm.stubFor(get(urlPathEqualTo("/v1/fine_tuning/jobs"))
                .willReturn(okJson("{\"object\":\"list\",\"data\":[],\"has_more\":false}")));
        wm.stubFor(post("/v1/fine_tuning/jobs").willReturn(okJson(job("validating_files", "", ECHOED_TAG))
                .withTransformers("response-template")));
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-e2e").inScenario("training").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(job("running", ",\"estimated_finish\":1721766600"))).willSetStateTo("running"));
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-e2e").inScenario("training").whenScenarioStateIs("running")
                .willReturn(okJson(job("running", ""))).willSetStateTo("done"));
        wm.stubFor(get("/v1/fine_tuning/jobs/ftjob-e2e").inScenario("training").whenScenarioStateIs("done")
                .willReturn(okJson(job("succeeded", ",\"fine_tuned_model\":\"" + FT_MODEL + "\","
                        + "\"trained_tokens\":300000,\"finished_at\":1721768400,\"seed\":42"))));
        wm.stubFor(get(urlPathEqualTo("/v1/fine_tuning/jobs/ftjob-e2e/checkpoints")).willReturn(okJson(
                "{\"object\":\"list\",\"has_more\":false,\"data\":[" + checkpoint(60, "0.21", "0.25") + ","
                        + checkpoint(30, "0.8", "0.9") + "]}")));
        TestSupport.FakeTime time = new TestSupport.FakeTime();
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, time).build());
        FineTuning ft = FineTuning.builder().store(VersionStores.inMemory(time)).clock(time).sleeper(time)
                .provider(openai).build();
        ft.createAssistant("avatar-42", "openai", "gpt-4o-mini-2024-07-18");
        ft.dataset("avatar-42/main").append(IntStream.range(0, 40).mapToObj(i -> Example.of(
                Message.system("You are Ava."), Message.user("question " + i), Message.assistant("answer " + i)))
                .toList(), null);

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("avatar-42", "main").suffix("ava")
                .hyperparameters(Hyperparameters.builder().epochs(3).build()).build());

        assertThat(job.remoteId()).contains("ftjob-e2e");
        assertThat(job.status()).isEqualTo(JobStatus.VALIDATING);
        assertThat(job.estimate().validationExamples()).isPositive();
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/fine_tuning/jobs"))
                .withQueryParam("metadata[finetune4j_job]", equalTo(job.id())));
        wm.verify(1, postRequestedFor(urlEqualTo("/v1/fine_tuning/jobs")).withRequestBody(equalToJson("""
                {"model":"gpt-4o-mini-2024-07-18","training_file":"file-train","validation_file":"file-val",
                 "method":{"type":"supervised","supervised":{"hyperparameters":{"n_epochs":3}}},"suffix":"ava",
                 "metadata":{"finetune4j_job":"%s","finetune4j_assistant":"avatar-42"}}
                """.formatted(job.id()))));
        List<LoggedRequest> uploads = wm.findAll(postRequestedFor(urlEqualTo("/v1/files"))
                .withRequestBodyPart(aMultipart().withName("purpose").withBody(equalTo("fine-tune")).build()));
        assertThat(uploads).hasSize(2);
        long trainLines = uploads.get(0).getPart("file").getBody().asString().lines().count();
        long validationLines = uploads.get(1).getPart("file").getBody().asString().lines().count();
        assertThat(trainLines).isEqualTo(job.estimate().trainingExamples());
        assertThat(validationLines).isEqualTo(job.estimate().validationExamples());
        assertThat(trainLines + validationLines).isEqualTo(40);

        job.awaitCompletion(Duration.ofHours(2));

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.fineTunedModel()).contains(FT_MODEL);
        assertThat(job.modelVersion()).hasValue(1);
        ModelVersion v1 = ft.assistant("avatar-42").modelVersion(1).orElseThrow();
        assertThat(v1.providerModelId()).isEqualTo(FT_MODEL);
        assertThat(v1.provider()).isEqualTo("openai");
        assertThat(v1.baseModel()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(v1.jobId()).contains(job.id());
        assertThat(v1.metrics().trainLoss()).hasValue(0.21);
        assertThat(v1.metrics().validationLoss()).hasValue(0.25);
        assertThat(v1.cost()).contains(Money.usd("0.9"));
        assertThat(v1.hyperparameters()).containsEntry("n_epochs", "3").containsEntry("seed", "42")
                .doesNotContainKey("batch_size");
        assertThat(time.sleeps()).isNotEmpty();
        wm.verify(3, getRequestedFor(urlEqualTo("/v1/fine_tuning/jobs/ftjob-e2e")));
        wm.verify(getRequestedFor(urlEqualTo("/v1/fine_tuning/jobs/ftjob-e2e/checkpoints?limit=100")));
    }
}
