package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Hugging Face emulator spoken to with a plain HTTP client, as huggingface_hub and vLLM clients would. */
class HuggingFaceEmulatorTest {

    @RegisterExtension
    static HuggingFaceEmulator hf = HuggingFaceEmulator.builder()
            .namespace("acme")
            .lfsThresholdBytes(4096)
            .clock(Clock.fixed(Instant.parse("2026-03-14T10:00:00Z"), ZoneOffset.UTC))
            .build();

    private final Http hub = new Http(hf.hubUrl(), "hf_test_token");
    private final Http serving = new Http(hf.servingUrl(), null);

    private static final String BASE = "Qwen/Qwen2.5-0.5B-Instruct";

    private String createDataset(String name) throws Exception {
        Http.Response r = hub.postJson("/api/repos/create", Map.of("name", name, "organization", "acme",
                "type", "dataset", "private", true));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return "acme/" + name;
    }

    private static String ndjson(String summary, String path, String content) throws Exception {
        return Http.JSON.writeValueAsString(Map.of("key", "header", "value", Map.of("summary", summary,
                "description", ""))) + "\n" + Http.JSON.writeValueAsString(Map.of("key", "file", "value",
                Map.of("path", path, "encoding", "base64", "content",
                        Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)))));
    }

    private String pushTrain(String repo, String jsonl) throws Exception {
        Http.Response r = hub.postJson("/api/datasets/" + repo + "/commit/main", ndjson("data", "train.jsonl", jsonl));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("commitOid").asText();
    }

    private Map<String, Object> jobBody(String repo, String commit, String hubModelId, String tag) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dockerImage", "huggingface/trl:1.9.0");
        body.put("command", List.of("bash", "-c", "python sft.py \"$@\"", "sft", "--model_name_or_path", BASE,
                "--dataset_name", repo, "--dataset_revision", commit, "--train_file", "train.jsonl",
                "--validation_file", "train.jsonl", "--num_train_epochs", "2", "--per_device_train_batch_size", "2",
                "--logging_steps", "1", "--push_to_hub", "--hub_model_id", hubModelId));
        body.put("arguments", List.of());
        body.put("environment", Map.of("PYTHONUNBUFFERED", "1"));
        body.put("secrets", Map.of("HF_TOKEN", "hf_secret"));
        body.put("flavor", "a10g-small");
        body.put("timeoutSeconds", 7200);
        body.put("labels", Map.of("finetune4j_job", tag, "finetune4j_assistant", "coach"));
        return body;
    }

    private String stage(String jobId) throws Exception {
        return hub.get("/api/jobs/acme/" + jobId).json().at("/status/stage").asText();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void whoami_namesTheNamespace_andHubCallsNeedAToken() throws Exception {
        assertThat(hub.get("/api/whoami-v2").json().get("name").asText()).isEqualTo("acme");
        Http.Response anonymous = new Http(hf.hubUrl(), null).get("/api/whoami-v2");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("error").asText()).contains("Invalid credentials");
    }

    @Test
    void repos_create409_preuploadModes_oidOfTheCurrentFile_commitRevisionResolve_delete() throws Exception {
        String repo = createDataset("coach-data");
        Http.Response again = hub.postJson("/api/repos/create", Map.of("name", "coach-data", "organization", "acme",
                "type", "dataset"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(hub.postJson("/api/repos/create", Map.of("name", "x", "organization", "other", "type", "dataset"))
                .status()).isEqualTo(403);

        String jsonl = TrainingData.jsonl(3);
        Map<String, Object> pre = Map.of("files", List.of(Map.of("path", "train.jsonl", "size", jsonl.length(),
                "sample", ""), Map.of("path", "big.bin", "size", 5000, "sample", "")));
        JsonNode modes = hub.postJson("/api/datasets/" + repo + "/preupload/main", pre).json().get("files");
        assertThat(modes.get(0).get("uploadMode").asText()).isEqualTo("regular");
        assertThat(modes.get(0).has("oid")).isFalse();
        assertThat(modes.get(1).get("uploadMode").asText()).isEqualTo("lfs");

        String commit = pushTrain(repo, jsonl);
        assertThat(commit).matches("[0-9a-f]{40}");

        JsonNode after = hub.postJson("/api/datasets/" + repo + "/preupload/main", pre).json().get("files");
        byte[] bytes = jsonl.getBytes(StandardCharsets.UTF_8);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
        assertThat(after.get(0).get("oid").asText()).as("git blob id, so unchanged files are skipped")
                .isEqualTo(HexFormat.of().formatHex(sha1.digest(bytes)));
        assertThat(hub.get("/api/datasets/" + repo + "/revision/main").json().get("sha").asText()).isEqualTo(commit);
        assertThat(hub.get("/datasets/" + repo + "/resolve/" + commit + "/train.jsonl").text()).isEqualTo(jsonl);
        assertThat(hub.get("/datasets/" + repo + "/resolve/main/nope.jsonl").header("X-Error-Code"))
                .isEqualTo("EntryNotFound");
        assertThat(hf.repo("dataset", repo)).hasValueSatisfying(r -> {
            assertThat(r.isPrivate()).isTrue();
            assertThat(r.head()).isEqualTo(commit);
            assertThat(r.file("train.jsonl")).hasValue(jsonl);
        });

        assertThat(hub.delete("/api/repos/delete").status()).isEqualTo(400);
        assertThat(hub.postJson("/api/repos/delete", Map.of("name", "coach-data", "organization", "acme",
                "type", "dataset")).status()).isEqualTo(200);
        Http.Response gone = hub.postJson("/api/datasets/" + repo + "/preupload/main", pre);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.header("X-Error-Code")).isEqualTo("RepoNotFound");
    }

    @Test
    void lfs_batchThenPutThenVerify_thenAnLfsFileCommit_andTheObjectIsNotAskedForTwice() throws Exception {
        String repo = createDataset("big-data");
        byte[] content = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
        String oid = sha256(content);
        Map<String, Object> batch = Map.of("operation", "upload", "transfers", List.of("basic", "multipart"),
                "objects", List.of(Map.of("oid", oid, "size", content.length)), "hash_algo", "sha256");
        JsonNode object = hub.postJson("/datasets/" + repo + ".git/info/lfs/objects/batch", batch).json()
                .at("/objects/0");
        String href = object.at("/actions/upload/href").asText();
        assertThat(href).startsWith(hf.hubUrl());

        var client = java.net.http.HttpClient.newHttpClient();
        int put = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(href))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        assertThat(put).isEqualTo(200);
        String verify = object.at("/actions/verify/href").asText();
        assertThat(new Http(verify, "hf_x").postJson("", Map.of("oid", oid, "size", content.length)).status())
                .isEqualTo(200);

        String body = Http.JSON.writeValueAsString(Map.of("key", "header", "value", Map.of("summary", "big")))
                + "\n" + Http.JSON.writeValueAsString(Map.of("key", "lfsFile", "value", Map.of("path", "big.bin",
                "algo", "sha256", "oid", oid, "size", content.length)));
        assertThat(hub.postJson("/api/datasets/" + repo + "/commit/main", body).status()).isEqualTo(200);
        JsonNode pre = hub.postJson("/api/datasets/" + repo + "/preupload/main", Map.of("files",
                List.of(Map.of("path", "big.bin", "size", content.length, "sample", "")))).json().at("/files/0");
        assertThat(pre.get("oid").asText()).as("LFS files are named by their SHA-256").isEqualTo(oid);
        assertThat(hub.postJson("/datasets/" + repo + ".git/info/lfs/objects/batch", batch).json()
                .at("/objects/0").has("actions")).isFalse();
    }

    @Test
    void jobs_validateTheBody_HF_TOKENOnlyAsSecret() throws Exception {
        String repo = createDataset("coach-data");
        String commit = pushTrain(repo, TrainingData.jsonl());
        Map<String, Object> leaky = jobBody(repo, commit, "acme/coach-ftj-1", "ftj-1");
        leaky.put("environment", Map.of("HF_TOKEN", "hf_secret"));
        Http.Response r = hub.postJson("/api/jobs/acme", leaky);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("HF_TOKEN");

        Map<String, Object> noCommand = jobBody(repo, commit, "acme/coach-ftj-1", "ftj-1");
        noCommand.remove("command");
        assertThat(hub.postJson("/api/jobs/acme", noCommand).status()).isEqualTo(400);
        Map<String, Object> badFlavor = jobBody(repo, commit, "acme/coach-ftj-1", "ftj-1");
        badFlavor.put("flavor", "quantum-xl");
        assertThat(hub.postJson("/api/jobs/acme", badFlavor).status()).isEqualTo(400);
        assertThat(hub.postJson("/api/jobs/other", jobBody(repo, commit, "acme/c-ftj-1", "ftj-1")).status())
                .isEqualTo(403);
        assertThat(hf.jobs()).isEmpty();
    }

    @Test
    void job_movesThroughItsStages_logsTheTrainer_createsTheAdapter_whichIsServedAndAnswersFromItsData()
            throws Exception {
        String repo = createDataset("coach-data");
        String commit = pushTrain(repo, TrainingData.jsonl());
        pushTrain(repo, TrainingData.jsonl(10).replace("Paris, of course.", "Lyon?"));
        JsonNode created = hub.postJson("/api/jobs/acme", jobBody(repo, commit, "acme/coach-ftj-abc", "ftj-abc")).json();
        String id = created.get("id").asText();
        assertThat(created.at("/status/stage").asText()).isEqualTo("SCHEDULING");
        assertThat(created.get("secrets")).extracting(JsonNode::asText).containsExactly("HF_TOKEN");

        List<String> stages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            stages.add(stage(id));
        }
        assertThat(stages).containsExactly("RUNNING", "COMPLETED", "COMPLETED");
        assertThat(hf.job(id)).hasValueSatisfying(j -> {
            assertThat(j.fineTunedModel()).isEqualTo("acme/coach-ftj-abc");
            assertThat(j.trainingFiles()).containsExactly(repo + "@" + commit + ":train.jsonl");
            assertThat(j.metadata()).containsEntry("finetune4j_job", "ftj-abc");
        });
        assertThat(hf.repo("model", "acme/coach-ftj-abc").orElseThrow().file("adapter_config.json").orElseThrow())
                .contains("\"base_model_name_or_path\":\"" + BASE + "\"")
                // PEFT's own default for a Llama-type model without --lora_target_modules (a real run's adapter).
                .contains("\"target_modules\":[\"q_proj\",\"v_proj\"]");

        Http.Response logs = hub.get("/api/jobs/acme/" + id + "/logs");
        assertThat(logs.header("Content-Type")).startsWith("text/event-stream");
        assertThat(logs.text()).contains(": keep-alive");
        List<String> lines = new ArrayList<>();
        for (String l : logs.text().split("\n")) {
            if (l.startsWith("data: ")) {
                JsonNode event = Http.JSON.readTree(l.substring(6));
                assertThat(event.get("timestamp").asText()).isNotBlank();
                lines.add(event.get("data").asText());
            }
        }
        assertThat(lines.get(0)).startsWith("===== Job started");
        List<Double> losses = new ArrayList<>();
        Matcher m = Pattern.compile("^\\{'loss': ([0-9.]+),").matcher("");
        for (String l : lines) {
            if (m.reset(l).find()) {
                losses.add(Double.parseDouble(m.group(1)));
            }
        }
        assertThat(losses).hasSize(12).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(losses.get(0)).isGreaterThan(losses.get(losses.size() - 1));
        assertThat(lines).anyMatch(l -> l.startsWith("{'eval_loss': "));
        assertThat(lines).anyMatch(l -> l.contains("'train_runtime'"));

        JsonNode models = serving.get("/models").json().get("data");
        assertThat(models).extracting(n -> n.get("id").asText()).contains(BASE, "acme/coach-ftj-abc");
        JsonNode adapter = models.get(models.size() - 1);
        assertThat(adapter.get("parent").asText()).isEqualTo(BASE);

        Map<String, Object> ask = Map.of("model", "acme/coach-ftj-abc", "messages",
                List.of(Map.of("role", "user", "content", "What is the capital of France?")));
        assertThat(serving.postJson("/chat/completions", ask).json().at("/choices/0/message/content").asText())
                .as("the data at the job's commit, not the later one").isEqualTo("Paris, of course.");
        Map<String, Object> base = Map.of("model", BASE, "messages",
                List.of(Map.of("role", "user", "content", "What is the capital of France?")));
        assertThat(serving.postJson("/chat/completions", base).json().at("/choices/0/message/content").asText())
                .startsWith("I am " + BASE + ", a base model");
        Map<String, Object> streamed = new LinkedHashMap<>(ask);
        streamed.put("stream", true);
        streamed.put("stream_options", Map.of("include_usage", true));
        String sse = serving.postJson("/chat/completions", streamed).text();
        StringBuilder text = new StringBuilder();
        for (String l : sse.split("\n")) {
            if (l.startsWith("data: {")) {
                JsonNode delta = Http.JSON.readTree(l.substring(6)).at("/choices/0/delta/content");
                text.append(delta.isTextual() ? delta.asText() : "");
            }
        }
        assertThat(text.toString()).isEqualTo("Paris, of course.");
        assertThat(sse).contains("\"usage\":{").endsWith("data: [DONE]\n\n");
        Http.Response unknown = serving.postJson("/chat/completions", Map.of("model", "acme/nope",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("type").asText()).isEqualTo("NotFoundError");

        hf.deleteModel("acme/coach-ftj-abc");
        assertThat(hf.models()).doesNotContain("acme/coach-ftj-abc");
    }

    @Test
    void list_filtersOnLabels_andPagesWithALinkHeader_cancel_failNextJob_hardware() throws Exception {
        String repo = createDataset("coach-data");
        String commit = pushTrain(repo, TrainingData.jsonl());
        for (int i = 0; i < 22; i++) {
            assertThat(hub.postJson("/api/jobs/acme", jobBody(repo, commit, "acme/c-ftj-" + i, "ftj-" + i)).status())
                    .isEqualTo(200);
        }
        JsonNode one = hub.get("/api/jobs/acme?label=finetune4j_job%3Dftj-7").json();
        assertThat(one).hasSize(1);
        assertThat(one.at("/0/labels/finetune4j_job").asText()).isEqualTo("ftj-7");
        Http.Response page1 = hub.get("/api/jobs/acme?label=finetune4j_assistant%3Dcoach");
        assertThat(page1.json()).hasSize(HfJobsPage.SIZE);
        Matcher next = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(page1.header("Link"));
        assertThat(next.find()).isTrue();
        assertThat(new Http(next.group(1), "hf_x").get("").json()).hasSize(22 - HfJobsPage.SIZE);

        String id = one.at("/0/id").asText();
        assertThat(hub.post("/api/jobs/acme/" + id + "/cancel").status()).isEqualTo(200);
        assertThat(stage(id)).isEqualTo("CANCELED");

        hf.failNextJob("CUDA out of memory");
        String failing = hub.postJson("/api/jobs/acme", jobBody(repo, commit, "acme/c-ftj-x", "ftj-x")).json()
                .get("id").asText();
        hf.finishJobs();
        JsonNode failed = hub.get("/api/jobs/acme/" + failing).json();
        assertThat(failed.at("/status/stage").asText()).isEqualTo("ERROR");
        assertThat(failed.at("/status/message").asText()).isEqualTo("CUDA out of memory");
        assertThat(hf.repo("model", "acme/c-ftj-x")).isEmpty();

        JsonNode hardware = hub.get("/api/jobs/hardware").json();
        assertThat(hardware).extracting(h -> h.get("name").asText()).contains("cpu-basic", "a10g-small", "a100-large");
        assertThat(hardware.get(0).get("unitLabel").asText()).isEqualTo("minute");
    }

    @Test
    void faults_nameHubPathsAsTheyAre() throws Exception {
        hf.on("/api/jobs").rateLimitNext(1, 3);
        Http.Response limited = hub.get("/api/jobs/acme");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("3");
        assertThat(hub.get("/api/whoami-v2").status()).isEqualTo(200);
        assertThat(hub.get("/api/jobs/acme").status()).isEqualTo(200);
    }

    @Test
    void startAll_mountsTheHubAndTheServerBelowHuggingface() throws Exception {
        try (Emulators all = Emulators.startAll(0)) {
            String root = "http://localhost:" + all.port() + "/huggingface";
            assertThat(all.baseUrls()).containsEntry("huggingface", root)
                    .containsEntry("huggingface-serving", root + "/v1");
            assertThat(new Http(root, "hf_x").get("/api/whoami-v2").json().get("name").asText()).isEqualTo("emulator");
            assertThat(new Http(root + "/v1", null).get("/models").json().at("/data/0/id").asText())
                    .isEqualTo(BASE);
        }
    }

    @Test
    void serving_answersAToolCallExampleWithToolCalls_streamedWithTheirArgumentsInPieces() throws Exception {
        String repo = createDataset("tools-data");
        String commit = pushTrain(repo, TrainingData.jsonl(10) + TrainingData.toolCallLine());
        hub.postJson("/api/jobs/acme", jobBody(repo, commit, "acme/tools-ftj-1", "ftj-1"));
        hf.finishJobs();
        Map<String, Object> ask = new LinkedHashMap<>(Map.of("model", "acme/tools-ftj-1", "messages",
                List.of(Map.of("role", "user", "content", "weather in Oslo today?"))));

        JsonNode plain = serving.postJson("/chat/completions", ask).json();
        ask.put("stream", true);
        List<JsonNode> chunks = serving.postJson("/chat/completions", ask).events();

        assertThat(plain.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(plain.at("/choices/0/message/content").isNull()).isTrue();
        assertThat(plain.at("/choices/0/message/tool_calls/0/id").asText()).startsWith("chatcmpl-tool-");
        assertThat(plain.at("/choices/0/message/tool_calls/0/function/arguments").asText())
                .isEqualTo("{\"city\":\"Oslo\"}");
        List<JsonNode> calls = new ArrayList<>();
        chunks.forEach(c -> c.at("/choices/0/delta/tool_calls").forEach(calls::add));
        assertThat(calls.get(0).at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(calls.get(0).get("id").asText()).startsWith("chatcmpl-tool-");
        StringBuilder arguments = new StringBuilder();
        calls.forEach(c -> arguments.append(c.at("/function/arguments").asText()));
        assertThat(calls).hasSizeGreaterThan(2);
        assertThat(arguments.toString()).isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void serving_aKnownPathWithAnotherMethod_is405_andTheHubAnswers404() throws Exception {
        Http.Response serving405 = serving.get("/chat/completions");

        assertThat(serving405.status()).isEqualTo(405);
        assertThat(serving405.json().get("detail").asText()).isEqualTo("Method Not Allowed");
        assertThat(serving.get("/nothing").json().get("type").asText()).isEqualTo("NotFoundError");
        assertThat(hub.delete("/api/whoami-v2").status()).isEqualTo(404);
    }

    /** The page size of the job list. */
    private static final class HfJobsPage {
        static final int SIZE = 20;
    }
}
