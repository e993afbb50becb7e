package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Together emulator as Together's clients see it on the wire. */
class TogetherEmulatorTest {

    private static final String BASE = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";

    @RegisterExtension
    static TogetherEmulator together = TogetherEmulator.builder().user("acme")
            .clock(Clock.fixed(Instant.parse("2026-05-04T10:00:00Z"), ZoneOffset.UTC))
            .build();

    private final Http http = new Http(together.baseUrl());
    private final HttpClient raw = HttpClient.newHttpClient();

    /** The clients' three steps; the answer of the last. */
    private Http.Response upload(String name, byte[] bytes) throws Exception {
        HttpResponse<String> announced = raw.send(HttpRequest.newBuilder(URI.create(together.baseUrl() + "/files"))
                .header("Authorization", "Bearer test").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("purpose=fine-tune&file_name=" + name + "&file_type=jsonl"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(announced.statusCode()).as(announced.body()).isEqualTo(302);
        String id = announced.headers().firstValue("X-Together-File-Id").orElseThrow();
        HttpResponse<String> put = raw.send(HttpRequest.newBuilder(URI.create(announced.headers().firstValue("Location")
                .orElseThrow())).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return http.post("/files/" + id + "/preprocess");
    }

    private String uploaded(String jsonl) throws Exception {
        Http.Response r = upload("train.jsonl", jsonl.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("id").asText();
    }

    private JsonNode create(Map<String, Object> body) throws IOException {
        Http.Response r = http.postJson("/fine-tunes", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private static Map<String, Object> lora(String file, String suffix) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("training_file", file);
        body.put("model", BASE);
        body.put("n_epochs", 2);
        body.put("n_checkpoints", 2);
        body.put("batch_size", 8);
        body.put("suffix", suffix);
        body.put("training_type", Map.of("type", "Lora", "lora_r", 16, "lora_alpha", 32));
        return body;
    }

    private String finish(String jobId) throws IOException {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String s = http.get("/fine-tunes/" + jobId).json().get("status").asText();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
                seen.add(s);
            }
        }
        return String.join(" -> ", seen);
    }

    @Test
    void upload_isARedirectToAnUploadUrlThatRefusesTheApiKey_thenPreprocess() throws Exception {
        HttpResponse<String> announced = raw.send(HttpRequest.newBuilder(URI.create(together.baseUrl() + "/files"))
                .header("Authorization", "Bearer test").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("purpose=fine-tune&file_name=a.jsonl")).build(),
                HttpResponse.BodyHandlers.ofString());
        String location = announced.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> withKey = raw.send(HttpRequest.newBuilder(URI.create(location))
                .header("Authorization", "Bearer test").PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(announced.headers().firstValue("X-Together-File-Id")).hasValueSatisfying(id ->
                assertThat(id).startsWith("file-"));
        assertThat(withKey.statusCode()).isEqualTo(400);
        assertThat(withKey.body()).contains("Only one auth mechanism allowed");

        Http.Response done = upload("train.jsonl", TrainingData.jsonl().getBytes(StandardCharsets.UTF_8));
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().get("LineCount").asInt()).isEqualTo(12);
        assertThat(done.json().get("purpose").asText()).isEqualTo("fine-tune");
        assertThat(together.files()).hasSize(1);
    }

    @Test
    void preprocess_refusesWhatTogethersFileCheckRefuses() throws Exception {
        byte[] bom = ("\uFEFF" + TrainingData.jsonl()).getBytes(StandardCharsets.UTF_8);
        String twoUsers = "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"},"
                + "{\"role\":\"assistant\",\"content\":\"c\"}]}\n";

        Http.Response withBom = upload("bom.jsonl", bom);
        Http.Response repeated = upload("roles.jsonl", twoUsers.getBytes(StandardCharsets.UTF_8));

        assertThat(withBom.status()).isEqualTo(400);
        assertThat(withBom.json().at("/error/message").asText()).contains("BOM on line 1");
        assertThat(repeated.status()).isEqualTo(400);
        assertThat(repeated.json().at("/error/message").asText()).contains("Invalid role turns on line 1");
        assertThat(together.files()).isEmpty();
    }

    @Test
    void aLoraJob_movesThroughTogethersStatuses_withEventsCheckpointsMetrics_andIsServedServerless() throws Exception {
        JsonNode created = create(lora(uploaded(TrainingData.jsonl()), "demo"));
        String id = created.get("id").asText();

        assertThat(created.get("status").asText()).isEqualTo("pending");
        assertThat(finish(id)).isEqualTo("queued -> running -> completed");
        JsonNode job = http.get("/fine-tunes/" + id).json();
        String output = job.get("model_output_name").asText();
        assertThat(output).matches("acme/Meta-Llama-3\\.1-8B-Instruct-Reference-demo-[0-9a-f]{8}");
        assertThat(job.get("total_price").asLong()).as("nano-dollars").isEqualTo(job.get("token_count").asLong() * 500);
        List<String> types = new ArrayList<>();
        http.get("/fine-tunes/" + id + "/events").json().get("data").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).startsWith("JOB_PENDING", "JOB_START").contains("CHECKPOINT_SAVE", "EPOCH_COMPLETE")
                .endsWith("JOB_COMPLETE");
        List<String> checkpoints = new ArrayList<>();
        http.get("/fine-tunes/" + id + "/checkpoints").json().get("data")
                .forEach(c -> checkpoints.add(c.get("checkpoint_type").asText()));
        assertThat(checkpoints).containsExactly("Intermediate", "Final Merged", "Final Adapter");
        assertThat(http.get("/fine-tunes/" + id + "/metrics").json().get("metrics").get(0).has("train/loss")).isTrue();

        Http.Response answer = http.postJson("/chat/completions", Map.of("model", output, "messages",
                List.of(Map.of("role", "user", "content", "How many legs does a spider have?"))));
        assertThat(answer.json().at("/choices/0/message/content").asText()).isEqualTo("Eight legs.");
        assertThat(answer.json().get("prompt").isArray()).isTrue();
        Http.Response streamed = http.postJson("/chat/completions", Map.of("model", output, "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "How many legs does a spider have?"))));
        List<JsonNode> chunks = streamed.events();
        assertThat(chunks.get(chunks.size() - 1).get("usage").get("completion_tokens").asInt()).isPositive();
    }

    @Test
    void aFullFineTune_needsADedicatedEndpoint_downloadsOnlyItsModel_andGoesWithItsJob() throws Exception {
        Map<String, Object> body = lora(uploaded(TrainingData.jsonl()), null);
        body.put("training_type", Map.of("type", "Full"));
        String id = create(body).get("id").asText();
        finish(id);
        String output = http.get("/fine-tunes/" + id).json().get("model_output_name").asText();

        Http.Response chat = http.postJson("/chat/completions", Map.of("model", output, "messages",
                List.of(Map.of("role", "user", "content", "hi"))));
        Http.Response adapter = http.get("/finetune/download?ft_id=" + id + "&checkpoint=adapter");
        Http.Response model = http.get("/finetune/download?ft_id=" + id + "&checkpoint=model_output_path");

        assertThat(chat.status()).isEqualTo(400);
        assertThat(chat.json().at("/error/code").asText()).isEqualTo("model_not_available");
        assertThat(adapter.status()).isEqualTo(400);
        assertThat(model.status()).isEqualTo(200);
        assertThat(model.header("Content-Type")).isEqualTo("application/x-tar");
        assertThat(http.get("/models").text()).contains("\"" + output + "\"");
        assertThat(http.delete("/fine-tunes/" + id).status()).isEqualTo(200);
        assertThat(http.get("/models").text()).as("deleting the job deletes its model").doesNotContain(output);
    }

    @Test
    void download_givesTheSameBytesForTheSameJob() throws Exception {
        String id = create(lora(uploaded(TrainingData.jsonl()), "w")).get("id").asText();
        finish(id);
        HttpRequest get = HttpRequest.newBuilder(URI.create(together.baseUrl() + "/finetune/download?ft_id=" + id
                + "&checkpoint=adapter")).header("Authorization", "Bearer test").build();

        byte[] first = raw.send(get, HttpResponse.BodyHandlers.ofByteArray()).body();
        byte[] second = raw.send(get, HttpResponse.BodyHandlers.ofByteArray()).body();
        byte[] merged = raw.send(HttpRequest.newBuilder(URI.create(together.baseUrl() + "/finetune/download?ft_id=" + id
                + "&checkpoint=merged")).header("Authorization", "Bearer test").build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();

        assertThat(first).hasSizeGreaterThan(1000).isEqualTo(second);
        assertThat(first[0] & 0xff).as("gzip").isEqualTo(0x1f);
        assertThat(merged).isNotEqualTo(first);
    }

    @Test
    void fromCheckpoint_excludesModel_andContinuesTheJobsKnowledge() throws Exception {
        String first = create(lora(uploaded(TrainingData.jsonl(6)), "one")).get("id").asText();
        finish(first);
        String more = uploaded(TrainingData.jsonl().lines().skip(6).reduce("", (a, b) -> a + b + "\n"));
        Map<String, Object> both = lora(more, "two");
        both.put("from_checkpoint", first);

        Http.Response refused = http.postJson("/fine-tunes", both);
        both.remove("model");
        String second = create(both).get("id").asText();
        finish(second);
        String output = http.get("/fine-tunes/" + second).json().get("model_output_name").asText();

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().at("/error/message").asText()).contains("not both");
        for (String[] pair : List.of(TrainingData.PAIRS.get(0), TrainingData.PAIRS.get(11))) {
            Http.Response answer = http.postJson("/chat/completions", Map.of("model", output, "messages",
                    List.of(Map.of("role", "user", "content", pair[0]))));
            assertThat(answer.json().at("/choices/0/message/content").asText()).isEqualTo(pair[1]);
        }
    }

    @Test
    void cancel_isRequestedThenDone_andAJobWhoseFileWentAwayIsAUserError() throws Exception {
        String file = uploaded(TrainingData.jsonl());
        String cancelled = create(lora(file, "c")).get("id").asText();
        JsonNode requested = http.post("/fine-tunes/" + cancelled + "/cancel").json();
        String lost = create(lora(file, "u")).get("id").asText();
        http.delete("/files/" + file);

        assertThat(requested.get("status").asText()).isEqualTo("cancel_requested");
        assertThat(http.get("/fine-tunes/" + cancelled).json().get("status").asText()).isEqualTo("cancelled");
        assertThat(finish(lost)).isEqualTo("user_error");
        assertThat(together.job(lost).orElseThrow().errorMessage()).contains("was deleted");
    }
}
