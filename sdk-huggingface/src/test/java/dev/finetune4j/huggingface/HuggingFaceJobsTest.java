package dev.finetune4j.huggingface;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.TransportException;
import dev.finetune4j.huggingface.internal.JobSpecs;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.spi.kit.ProviderJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HuggingFaceJobsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String TAG = "ftj-0a1b2c3d4e5f";
    static final String JOB_ID = "6870d1b2c3d4e5f6a7b8c9d0";
    static final String DATA_COMMIT = "c0ffee0000000000000000000000000000000001";

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();
    private HuggingFaceProvider hf;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        hf = TestSupport.provider(TestSupport.config(wm, time).build());
    }

    private static UploadedData uploaded(boolean validation) {
        return new UploadedData("acme/huggingface-data@" + DATA_COMMIT + ":train.jsonl",
                validation ? "acme/huggingface-data@" + DATA_COMMIT + ":validation.jsonl" : null,
                Map.of("training_examples", "40"));
    }

    private static JobRequest request(String baseModel, Hyperparameters h, Map<String, String> options,
            boolean validation) {
        return new JobRequest(TAG, "huggingface", baseModel, uploaded(validation), h, null, true, options);
    }

    private JsonNode createdBody() throws Exception {
        List<LoggedRequest> creates = wm.findAll(postRequestedFor(urlPathEqualTo("/api/jobs/acme")));
        assertThat(creates).hasSize(1);
        return ProviderJson.mapper().readTree(creates.get(0).getBodyAsString());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> flags(List<String> command) {
        Map<String, String> out = new HashMap<>();
        for (int i = 4; i < command.size(); i++) {
            String a = command.get(i);
            if (a.startsWith("--")) {
                boolean valued = i + 1 < command.size() && !command.get(i + 1).startsWith("--");
                out.put(a, valued ? command.get(++i) : "");
            }
        }
        return out;
    }

    @Test
    void createJob_sendsTheSpecOnTheWire_tokenOnlyAsASecret_labelsFlavorTimeoutAndTrlArguments() throws Exception {
        wm.stubFor(post("/api/jobs/acme").willReturn(okJson(TestSupport.job(JOB_ID, "SCHEDULING", null, TAG))));

        RemoteJob job = hf.createJob(request("Qwen/Qwen2.5-0.5B-Instruct",
                Hyperparameters.builder().epochs(2).batchSize(4).seed(7).build(),
                Map.of("flavor", "a100-large", "timeout", "90m"), true));

        assertThat(job.remoteId()).isEqualTo(JOB_ID);
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.tag()).contains(TAG);
        JsonNode body = createdBody();
        LoggedRequest create = wm.findAll(postRequestedFor(urlPathEqualTo("/api/jobs/acme"))).get(0);
        assertThat(create.getHeader("Authorization")).isEqualTo("Bearer " + TestSupport.TOKEN);
        assertThat(body.path("dockerImage").asText()).isEqualTo("huggingface/trl:1.9.0");
        assertThat(body.path("secrets")).isEqualTo(ProviderJson.mapper().readTree("{\"HF_TOKEN\":\"" + TestSupport.TOKEN + "\"}"));
        assertThat(body.path("environment").toString()).doesNotContain(TestSupport.TOKEN);
        assertThat(strings(body.path("command"))).noneMatch(a -> a.contains(TestSupport.TOKEN));
        assertThat(body.path("environment").path("PYTHONUNBUFFERED").asText()).isEqualTo("1");
        assertThat(body.path("flavor").asText()).isEqualTo("a100-large");
        assertThat(body.path("timeoutSeconds").asLong()).isEqualTo(5400);
        assertThat(body.path("labels")).isEqualTo(ProviderJson.mapper().readTree(
                "{\"finetune4j_job\":\"" + TAG + "\",\"finetune4j_assistant\":\"huggingface\"}"));
        assertThat(body.path("arguments").isArray()).isTrue();

        List<String> command = strings(body.path("command"));
        assertThat(command.subList(0, 2)).containsExactly("bash", "-c");
        assertThat(command.get(2)).contains("base64 -d", "exec python", "\"$@\"");
        String script = new String(Base64.getDecoder().decode(body.path("environment").path(JobSpecs.SCRIPT_ENV).asText()),
                StandardCharsets.UTF_8);
        assertThat(script).contains("SFTTrainer", "load_dataset(", "revision=ours.dataset_revision");
        Map<String, String> f = flags(command);
        assertThat(f).containsEntry("--model_name_or_path", "Qwen/Qwen2.5-0.5B-Instruct")
                .containsEntry("--dataset_name", "acme/huggingface-data")
                .containsEntry("--dataset_revision", DATA_COMMIT)
                .containsEntry("--train_file", "train.jsonl")
                .containsEntry("--validation_file", "validation.jsonl")
                .containsEntry("--eval_strategy", "epoch")
                .containsEntry("--use_peft", "")
                .containsEntry("--lora_r", "16")
                .containsEntry("--lora_alpha", "32")
                .containsEntry("--num_train_epochs", "2")
                .containsEntry("--learning_rate", "0.0002")
                .containsEntry("--per_device_train_batch_size", "4")
                .containsEntry("--seed", "7")
                .containsEntry("--push_to_hub", "")
                .containsEntry("--hub_model_id", "acme/huggingface-" + TAG)
                .containsEntry("--hub_private_repo", "true")
                .containsEntry("--report_to", "none")
                .doesNotContainKey("--adapter_name_or_path");
        // 40 examples / batch 4 x 2 epochs = 20 steps: a log line every step
        assertThat(f).containsEntry("--logging_steps", "1");
    }

    @Test
    void createJob_defaults_a10gSmall_twoHours_threeEpochs() throws Exception {
        wm.stubFor(post("/api/jobs/acme").willReturn(okJson(TestSupport.job(JOB_ID, "SCHEDULING", null, TAG))));

        hf.createJob(request("Qwen/Qwen2.5-0.5B-Instruct", Hyperparameters.AUTO, Map.of(), false));

        JsonNode body = createdBody();
        assertThat(body.path("flavor").asText()).isEqualTo("a10g-small");
        assertThat(body.path("timeoutSeconds").asLong()).isEqualTo(7200);
        Map<String, String> f = flags(strings(body.path("command")));
        assertThat(f).containsEntry("--num_train_epochs", "3").containsEntry("--learning_rate", "0.0002")
                .doesNotContainKeys("--validation_file", "--eval_strategy", "--per_device_train_batch_size");
    }

    @Test
    void createJob_fromAnAdapterRepo_continuesIt_atATenthOfTheLearningRate_forOneEpoch() throws Exception {
        String adapter = "acme/huggingface-ftj-zzzzzzzzzzzz";
        wm.stubFor(get("/" + adapter + "/resolve/main/adapter_config.json").willReturn(okJson(
                "{\"base_model_name_or_path\":\"Qwen/Qwen2.5-0.5B-Instruct\",\"peft_type\":\"LORA\",\"r\":16}")));
        wm.stubFor(post("/api/jobs/acme").willReturn(okJson(TestSupport.job(JOB_ID, "SCHEDULING", null, TAG))));

        hf.createJob(request(adapter, Hyperparameters.AUTO, Map.of(), false));

        Map<String, String> f = flags(strings(createdBody().path("command")));
        assertThat(f).containsEntry("--model_name_or_path", "Qwen/Qwen2.5-0.5B-Instruct")
                .containsEntry("--adapter_name_or_path", adapter)
                .containsEntry("--adapter_revision", "main")
                .containsEntry("--learning_rate", "0.00002")
                .containsEntry("--num_train_epochs", "1")
                .containsEntry("--hub_model_id", "acme/huggingface-" + TAG);
    }

    @Test
    void createJob_continuing_explicitHyperparametersWin() throws Exception {
        wm.stubFor(post("/api/jobs/acme").willReturn(okJson(TestSupport.job(JOB_ID, "SCHEDULING", null, TAG))));

        hf.createJob(request("Qwen/Qwen2.5-0.5B-Instruct", Hyperparameters.builder().epochs(4).learningRate(1e-4).build(),
                Map.of("adapter", "acme/old-adapter", "adapter_revision", "abc123"), false));

        Map<String, String> f = flags(strings(createdBody().path("command")));
        assertThat(f).containsEntry("--adapter_name_or_path", "acme/old-adapter")
                .containsEntry("--adapter_revision", "abc123")
                .containsEntry("--model_name_or_path", "Qwen/Qwen2.5-0.5B-Instruct")
                .containsEntry("--num_train_epochs", "4")
                .containsEntry("--learning_rate", "0.0001");
    }

    @Test
    void createJob_hostCommandAndImage_replaceTheDefault_withPlaceholdersFilled() throws Exception {
        wm.stubFor(post("/api/jobs/acme").willReturn(okJson(TestSupport.job(JOB_ID, "SCHEDULING", null, TAG))));

        hf.createJob(request("Qwen/Qwen2.5-0.5B-Instruct", Hyperparameters.AUTO, Map.of(
                "image", "ghcr.io/acme/trainer:7",
                "command", "[\"python\",\"/app/train.py\",\"{dataset_repo}@{dataset_revision}\",\"{hub_model_id}\"]"),
                false));

        JsonNode body = createdBody();
        assertThat(body.path("dockerImage").asText()).isEqualTo("ghcr.io/acme/trainer:7");
        assertThat(strings(body.path("command"))).containsExactly("python", "/app/train.py",
                "acme/huggingface-data@" + DATA_COMMIT, "acme/huggingface-" + TAG);
        assertThat(body.path("environment").has(JobSpecs.SCRIPT_ENV)).isFalse();
        assertThat(body.path("secrets").path("HF_TOKEN").asText()).isEqualTo(TestSupport.TOKEN);
    }

    @Test
    void createJob_extraArgs_areAppended_andASpaceImageBecomesSpaceId() throws Exception {
        wm.stubFor(post("/api/jobs/acme").willReturn(okJson(TestSupport.job(JOB_ID, "SCHEDULING", null, TAG))));

        hf.createJob(request("Qwen/Qwen2.5-0.5B-Instruct", Hyperparameters.AUTO, Map.of(
                "extra_args", "--max_length 2048 --packing", "image", "https://huggingface.co/spaces/acme/trainer"),
                false));

        JsonNode body = createdBody();
        assertThat(body.path("spaceId").asText()).isEqualTo("acme/trainer");
        assertThat(body.has("dockerImage")).isFalse();
        List<String> command = strings(body.path("command"));
        assertThat(command.subList(command.size() - 3, command.size())).containsExactly("--max_length", "2048",
                "--packing");
    }

    @Test
    void checkRequest_refusesBadOptions_withThePlaceholderUpload_andSendsNothingAtAll() {
        UploadedData pending = new UploadedData("pending", null, Map.of());
        java.util.function.Function<Map<String, String>, JobRequest> withOptions = o -> new JobRequest(TAG,
                "huggingface", "m/x", pending, Hyperparameters.AUTO, null, true, o);

        assertThatThrownBy(() -> hf.checkRequest(withOptions.apply(Map.of("gpu", "h100"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown job option 'gpu'");
        assertThatThrownBy(() -> hf.checkRequest(withOptions.apply(Map.of("namespace", "other"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'namespace' setting");
        assertThatThrownBy(() -> hf.checkRequest(withOptions.apply(Map.of("flavor", "a big one"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flavor 'a big one'");
        assertThatThrownBy(() -> hf.checkRequest(withOptions.apply(Map.of("lora_r", "0"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lora_r");
        assertThatThrownBy(() -> hf.checkRequest(new JobRequest(TAG, "huggingface", "m/x", pending,
                Hyperparameters.AUTO, null, false, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start when created");
        hf.checkRequest(withOptions.apply(Map.of("flavor", "a10g-large", "timeout", "3h")));
        assertThat(wm.getAllServeEvents()).as("no request at all, not even who the token belongs to").isEmpty();
    }

    @Test
    void createJob_badOptions_areRejectedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> hf.createJob(request("m/x", Hyperparameters.AUTO, Map.of("namespace", "other"), false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'namespace' setting");
        assertThatThrownBy(() -> hf.createJob(request("m/x", Hyperparameters.AUTO, Map.of("flavour", "t4"), false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown job option 'flavour'");
        assertThatThrownBy(() -> hf.createJob(request("m/x", Hyperparameters.AUTO, Map.of("timeout", "soon"), false)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout 'soon'");
        assertThatThrownBy(() -> hf.createJob(new JobRequest(TAG, "huggingface", "m/x", uploaded(false),
                Hyperparameters.AUTO, null, false, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start when created");
        assertThatThrownBy(() -> hf.createJob(new JobRequest(TAG, "huggingface", "m/x",
                new UploadedData("file-abc", null, Map.of()), Hyperparameters.AUTO, null, true, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Hugging Face dataset reference");
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/api/jobs/acme")))).isEmpty();
    }

    @Test
    void createJob_failingInTransit_isNotRepeated() {
        wm.stubFor(post("/api/jobs/acme").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> hf.createJob(request("Qwen/Qwen2.5-0.5B-Instruct", Hyperparameters.AUTO, Map.of(), false)))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.mayHaveReachedServer()).isTrue());
        wm.verify(1, postRequestedFor(urlPathEqualTo("/api/jobs/acme")));
    }

    @ParameterizedTest
    @CsvSource({"SCHEDULING,QUEUED", "RUNNING,RUNNING", "UPDATING,RUNNING", "COMPLETED,SUCCEEDED",
            "CANCELED,CANCELLED", "ERROR,FAILED", "DELETED,CANCELLED", "HIBERNATING,UNKNOWN"})
    void getJob_mapsEveryStage_keepingTheRawOne(String stage, JobStatus expected) {
        wm.stubFor(get("/api/jobs/acme/" + JOB_ID).willReturn(okJson(TestSupport.job(JOB_ID, stage,
                "ERROR".equals(stage) ? "Job failed with exit code: 1" : null, TAG))));

        RemoteJob job = hf.getJob(JOB_ID);

        assertThat(job.status()).isEqualTo(expected);
        assertThat(job.rawStatus()).isEqualTo(stage);
        assertThat(job.fineTunedModel().isPresent()).isEqualTo(expected == JobStatus.SUCCEEDED);
        assertThat(job.error().isPresent()).isEqualTo(expected == JobStatus.FAILED);
    }

    @Test
    void getJob_completed_namesTheAdapterRepo_andTheResolvedHyperparameters() {
        wm.stubFor(get("/api/jobs/acme/" + JOB_ID).willReturn(okJson(TestSupport.job(JOB_ID, "COMPLETED", null, TAG))));

        RemoteJob job = hf.getJob(JOB_ID);

        assertThat(job.fineTunedModel()).contains("acme/huggingface-" + TAG);
        assertThat(job.baseModel()).contains("Qwen/Qwen2.5-0.5B-Instruct");
        assertThat(job.createdAt()).contains(Instant.parse("2026-11-21T10:00:05.123Z"));
        assertThat(job.finishedAt()).contains(Instant.parse("2026-11-21T10:40:00Z"));
        assertThat(job.hyperparameters()).containsEntry("epochs", "3").containsEntry("learning_rate", "0.0002")
                .containsEntry("lora_r", "16").containsEntry("flavor", "a10g-small")
                .containsEntry("timeout_seconds", "7200");
    }

    @Test
    void getJob_error_carriesTheStatusMessage() {
        wm.stubFor(get("/api/jobs/acme/" + JOB_ID).willReturn(okJson(TestSupport.job(JOB_ID, "ERROR",
                "Job failed with exit code: 1. Reason: OOMKilled", TAG))));

        assertThat(hf.getJob(JOB_ID).error().orElseThrow().message()).isEqualTo(
                "Job failed with exit code: 1. Reason: OOMKilled");
    }

    @Test
    void findJobByTag_asksWithTheLabel_andFollowsTheNextLink() {
        String page2 = wm.baseUrl() + "/api/jobs/acme?label=finetune4j_job%3D" + TAG + "&cursor=abc";
        wm.stubFor(get(urlPathEqualTo("/api/jobs/acme")).withQueryParam("label", equalTo("finetune4j_job=" + TAG))
                .withQueryParam("cursor", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(okJson("[" + TestSupport.job("aaaaaaaaaaaaaaaaaaaaaaaa", "RUNNING", null, "ftj-otherotherot")
                        + "]").withHeader("Link", "<" + page2 + ">; rel=\"next\"")));
        wm.stubFor(get(urlPathEqualTo("/api/jobs/acme")).withQueryParam("cursor", equalTo("abc"))
                .willReturn(okJson("[" + TestSupport.job(JOB_ID, "RUNNING", null, TAG) + "]")));

        RemoteJob found = hf.findJobByTag(TAG).orElseThrow();

        assertThat(found.remoteId()).isEqualTo(JOB_ID);
        assertThat(found.tag()).contains(TAG);
        wm.verify(2, getRequestedFor(urlPathEqualTo("/api/jobs/acme")));
    }

    @Test
    void findJobByTag_stopsAfterTheLastPage_andFindsNothing() {
        wm.stubFor(get(urlPathEqualTo("/api/jobs/acme")).willReturn(okJson("[]")
                .withHeader("Link", "<" + wm.baseUrl() + "/api/jobs/acme?cursor=again>; rel=\"next\"")));

        assertThat(hf.findJobByTag(TAG)).isEmpty();
        wm.verify(HuggingFaceProvider.FIND_BY_TAG_MAX_PAGES, getRequestedFor(urlPathEqualTo("/api/jobs/acme")));
    }

    @Test
    void cancelJob_postsCancel_thenReadsTheJob() {
        wm.stubFor(post("/api/jobs/acme/" + JOB_ID + "/cancel").willReturn(aResponse().withStatus(200)));
        wm.stubFor(get("/api/jobs/acme/" + JOB_ID).willReturn(okJson(TestSupport.job(JOB_ID, "CANCELED", null, TAG))));

        RemoteJob job = hf.cancelJob(JOB_ID);

        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        wm.verify(postRequestedFor(urlPathEqualTo("/api/jobs/acme/" + JOB_ID + "/cancel")));
    }

    @Test
    void withoutANamespaceSetting_theTokensOwnerIsAskedOnce() {
        HuggingFaceProvider noNs = TestSupport.provider(dev.finetune4j.spi.ProviderConfig.builder()
                .endpoint(java.net.URI.create(wm.baseUrl())).apiKey(dev.finetune4j.http.ApiKey.of(TestSupport.TOKEN))
                .sleeper(time).clock(time).env(n -> null).build());
        wm.stubFor(get("/api/whoami-v2").willReturn(okJson("{\"type\":\"user\",\"name\":\"acme\",\"orgs\":[]}")));
        wm.stubFor(get("/api/jobs/acme/" + JOB_ID).willReturn(okJson(TestSupport.job(JOB_ID, "RUNNING", null, TAG))));

        noNs.getJob(JOB_ID);
        noNs.getJob(JOB_ID);

        assertThat(noNs.namespace()).isEqualTo("acme");
        wm.verify(1, getRequestedFor(urlPathEqualTo("/api/whoami-v2")));
    }

    @Test
    void startJob_isUnsupported() {
        assertThatThrownBy(() -> hf.startJob(JOB_ID)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("start when created");
    }

    @Test
    void deleteModel_deletesTheModelRepo_andAGoneRepoCountsAsDeleted() {
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete("/api/repos/delete").willReturn(okJson("{}")));

        hf.deleteModel("acme/huggingface-" + TAG);

        wm.verify(com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(urlPathEqualTo("/api/repos/delete"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
                        "{\"name\":\"huggingface-" + TAG + "\",\"organization\":\"acme\",\"type\":\"model\"}")));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.delete("/api/repos/delete").willReturn(
                aResponse().withStatus(404).withHeader("X-Error-Code", "RepoNotFound")));
        hf.deleteModel("acme/huggingface-" + TAG);
    }
}
