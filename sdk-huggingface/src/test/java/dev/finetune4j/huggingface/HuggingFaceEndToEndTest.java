package dev.finetune4j.huggingface;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.kit.ProviderJson;
import dev.finetune4j.store.VersionStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The provider driven by the core, as a host app drives it: submit, wait, a model version with lineage. */
class HuggingFaceEndToEndTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String BASE = "Qwen/Qwen2.5-0.5B-Instruct";
    static final String DATA_REPO = "/api/datasets/acme/huggingface-data";

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();
    private FineTuning ft;
    private Assistant assistant;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        HuggingFaceProvider hf = TestSupport.provider(TestSupport.config(wm, time).build());
        ft = FineTuning.builder().store(VersionStores.inMemory()).provider(hf).sleeper(time).clock(time).build();
        assistant = ft.createAssistant("huggingface", "huggingface", BASE);
        wm.stubFor(post("/api/repos/create").willReturn(okJson("{\"url\":\"https://huggingface.co/datasets/acme/huggingface-data\"}")));
        wm.stubFor(post(DATA_REPO + "/preupload/main").willReturn(okJson(
                "{\"files\":[{\"path\":\"train.jsonl\",\"uploadMode\":\"regular\",\"shouldIgnore\":false},"
                        + "{\"path\":\"validation.jsonl\",\"uploadMode\":\"regular\",\"shouldIgnore\":false}]}")));
        wm.stubFor(get(urlPathEqualTo("/api/jobs/acme")).willReturn(okJson("[]")));
    }

    private void examples(int from, int to) {
        ft.dataset("huggingface/main").append(IntStream.range(from, to).mapToObj(i -> Example.of(
                Message.system("You parse workout voice notes into JSON."),
                Message.user("bench press " + i + " reps at 60 kilos"),
                Message.assistant("{\"exercise\":\"bench press\",\"reps\":" + i + ",\"kg\":60}"))).toList(), null);
    }

    /** Jobs API answers for one job: created as SCHEDULING, then a stage per poll, its logs. */
    private void jobStages(String jobId, String command, String tag, String... stages) {
        String scenario = "job-" + jobId;
        wm.stubFor(post("/api/jobs/acme").willReturn(okJson(job(jobId, "SCHEDULING", command, tag))));
        String state = Scenario.STARTED;
        for (int i = 0; i < stages.length; i++) {
            String next = i + 1 < stages.length ? "poll-" + (i + 1) : "done";
            wm.stubFor(get("/api/jobs/acme/" + jobId).inScenario(scenario).whenScenarioStateIs(state)
                    .willReturn(okJson(job(jobId, stages[i], command, tag))).willSetStateTo(next));
            state = next;
        }
        wm.stubFor(get("/api/jobs/acme/" + jobId).inScenario(scenario).whenScenarioStateIs("done")
                .willReturn(okJson(job(jobId, stages[stages.length - 1], command, tag))));
        wm.stubFor(get("/api/jobs/acme/" + jobId + "/logs").willReturn(aResponse()
                .withHeader("Content-Type", "text/event-stream").withBody(HuggingFaceLogsTest.sse(List.of(
                        "===== Job started =====",
                        "{'loss': '2.2', 'grad_norm': '1.5', 'learning_rate': '0.0002', 'epoch': '1.0'}",
                        "{'eval_loss': '2.0', 'eval_runtime': '0.3', 'epoch': '1.0'}",
                        "{'loss': '1.1', 'grad_norm': '0.9', 'learning_rate': '0.0001', 'epoch': '2.0'}",
                        "{'eval_loss': '1.3', 'eval_mean_token_accuracy': '0.81', 'epoch': '2.0'}",
                        "finetune4j: adapter pushed")))));
    }

    private static String job(String id, String stage, String command, String tag) {
        return "{\"id\":\"" + id + "\",\"createdAt\":\"2026-11-21T10:00:05Z\",\"flavor\":\"a10g-small\","
                + "\"owner\":{\"name\":\"acme\"},\"command\":" + command + ",\"arguments\":[],"
                + "\"labels\":{\"finetune4j_job\":\"" + tag + "\",\"finetune4j_assistant\":\"huggingface\"},"
                + "\"status\":{\"stage\":\"" + stage + "\",\"message\":null}}";
    }

    /** The last job create body sent. */
    private static JsonNode lastCreate() throws Exception {
        var creates = wm.findAll(postRequestedFor(urlPathEqualTo("/api/jobs/acme")));
        return ProviderJson.mapper().readTree(creates.get(creates.size() - 1).getBodyAsString());
    }

    private static String flag(JsonNode command, String name) {
        for (int i = 0; i < command.size() - 1; i++) {
            if (command.get(i).asText().equals(name)) {
                return command.get(i + 1).asText();
            }
        }
        return null;
    }

    @Test
    void submit_awaitCompletion_registersAModelVersion_withTheAdapterRepo_andMetricsFromTheLogs() throws Exception {
        examples(0, 12);
        wm.stubFor(post(DATA_REPO + "/commit/main").willReturn(okJson("{\"commitOid\":\"" + "a".repeat(40) + "\"}")));
        // The job's id and tag are only known once submitted: answer the create with whatever was sent.
        wm.stubFor(post("/api/jobs/acme").willReturn(okJson(job("6870d1b2c3d4e5f6a7b8c9d0", "SCHEDULING", "[]", "x"))));

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("huggingface", "main").build());

        JsonNode create = lastCreate();
        String tag = create.path("labels").path("finetune4j_job").asText();
        assertThat(tag).isEqualTo(job.id());
        String hubModelId = flag(create.path("command"), "--hub_model_id");
        assertThat(hubModelId).isEqualTo("acme/huggingface-" + job.id());
        assertThat(flag(create.path("command"), "--dataset_revision")).isEqualTo("a".repeat(40));
        jobStages("6870d1b2c3d4e5f6a7b8c9d0", create.path("command").toString(), tag,
                "SCHEDULING", "RUNNING", "UPDATING", "RUNNING", "COMPLETED");

        job.awaitCompletion(Duration.ofHours(3));

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.modelVersion()).hasValue(1);
        ModelVersion v1 = assistant.modelVersion(1).orElseThrow();
        assertThat(v1.provider()).isEqualTo("huggingface");
        assertThat(v1.providerModelId()).isEqualTo(hubModelId);
        assertThat(v1.baseModel()).isEqualTo(BASE);
        assertThat(v1.jobId()).contains(job.id());
        assertThat(v1.trainedOn().orElseThrow().versionNumber()).isEqualTo(1);
        assertThat(v1.metrics().trainLoss()).hasValue(1.1);
        assertThat(v1.metrics().validationLoss()).hasValue(1.3);
        assertThat(v1.metrics().validationAccuracy()).hasValue(0.81);
        assertThat(v1.hyperparameters()).containsEntry("epochs", "3").containsEntry("lora_r", "16")
                .containsEntry("flavor", "a10g-small");
        assertThat(time.sleeps()).as("polled on the injected sleeper, never for real").hasSizeGreaterThanOrEqualTo(4);
        wm.verify(1, postRequestedFor(urlPathEqualTo("/api/jobs/acme")));
        wm.verify(1, postRequestedFor(urlPathEqualTo(DATA_REPO + "/commit/main")));
    }

    @Test
    void continueFrom_aVersionTrainedHere_trainsItsAdapterFurther_onTheNewDataVersion() throws Exception {
        examples(0, 12);
        wm.stubFor(post(DATA_REPO + "/commit/main").willReturn(okJson("{\"commitOid\":\"" + "a".repeat(40) + "\"}")));
        wm.stubFor(post("/api/jobs/acme").willReturn(okJson(job("aaaaaaaaaaaaaaaaaaaaaaaa", "SCHEDULING", "[]", "x"))));
        FineTuneJob first = ft.jobs().submit(FineTuneSpec.builder("huggingface", "main").build());
        JsonNode firstCreate = lastCreate();
        jobStages("aaaaaaaaaaaaaaaaaaaaaaaa", firstCreate.path("command").toString(), first.id(), "COMPLETED");
        first.awaitCompletion(Duration.ofHours(3));
        String adapter = assistant.modelVersion(1).orElseThrow().providerModelId();

        examples(100, 110);
        wm.stubFor(post(DATA_REPO + "/commit/main").willReturn(okJson("{\"commitOid\":\"" + "b".repeat(40) + "\"}")));
        wm.stubFor(get("/" + adapter + "/resolve/main/adapter_config.json").willReturn(okJson(
                "{\"base_model_name_or_path\":\"" + BASE + "\",\"peft_type\":\"LORA\"}")));
        wm.stubFor(post("/api/jobs/acme").willReturn(okJson(job("bbbbbbbbbbbbbbbbbbbbbbbb", "SCHEDULING", "[]", "y"))));

        FineTuneJob second = ft.jobs().submit(FineTuneSpec.builder("huggingface", "main").continueFrom(1).build());

        JsonNode create = lastCreate();
        List<String> checks = new ArrayList<>();
        checks.add(flag(create.path("command"), "--model_name_or_path"));
        checks.add(flag(create.path("command"), "--adapter_name_or_path"));
        checks.add(flag(create.path("command"), "--learning_rate"));
        checks.add(flag(create.path("command"), "--num_train_epochs"));
        checks.add(flag(create.path("command"), "--dataset_revision"));
        assertThat(checks).containsExactly(BASE, adapter, "0.00002", "1", "b".repeat(40));
        jobStages("bbbbbbbbbbbbbbbbbbbbbbbb", create.path("command").toString(), second.id(), "RUNNING", "COMPLETED");

        second.awaitCompletion(Duration.ofHours(3));

        ModelVersion v2 = assistant.modelVersion(2).orElseThrow();
        assertThat(v2.providerModelId()).isEqualTo("acme/huggingface-" + second.id());
        assertThat(v2.baseModel()).as("lineage keeps the original base model").isEqualTo(BASE);
        assertThat(v2.hyperparameters()).containsEntry("continued_from", adapter);
        assertThat(v2.note()).hasValueSatisfying(n -> assertThat(n).contains("continued from version 1"));
    }
}
