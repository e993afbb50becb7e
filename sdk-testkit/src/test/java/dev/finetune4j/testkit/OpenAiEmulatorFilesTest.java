package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiEmulatorFilesTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    private final Http http = new Http(openai.baseUrl());

    private static Map<String, Object> form(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void upload_fineTuneJsonl_returnsTheFileObjectAndKeepsTheContent() throws Exception {
        String jsonl = TrainingData.jsonl();

        Http.Response r = http.postMultipart("/files",
                form("purpose", "fine-tune", "file", Http.FilePart.of("train.jsonl", jsonl)));

        assertThat(r.status()).isEqualTo(200);
        JsonNode f = r.json();
        assertThat(f.get("id").asText()).matches("file-[A-Za-z0-9]{22}");
        assertThat(f.get("object").asText()).isEqualTo("file");
        assertThat(f.get("purpose").asText()).isEqualTo("fine-tune");
        assertThat(f.get("filename").asText()).isEqualTo("train.jsonl");
        assertThat(f.get("bytes").asLong()).isEqualTo(jsonl.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(f.get("created_at").isIntegralNumber()).isTrue();
        assertThat(f.get("status").asText()).isEqualTo("processed");
        assertThat(r.header("x-request-id")).startsWith("req_");
        assertThat(openai.files()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(f.get("id").asText());
            assertThat(e.content()).isEqualTo(jsonl);
        });
        assertThat(http.get("/files/" + f.get("id").asText() + "/content").text()).isEqualTo(jsonl);
    }

    @Test
    void upload_withoutPurpose_is400WithOpenAisErrorShape() throws Exception {
        Http.Response r = http.postMultipart("/files", form("file", Http.FilePart.of("train.jsonl", "{}")));

        assertThat(r.status()).isEqualTo(400);
        JsonNode error = r.json().get("error");
        assertThat(error.get("message").asText()).isEqualTo("Missing required parameter: 'purpose'.");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).isEqualTo("purpose");
        assertThat(error.get("code").asText()).isEqualTo("missing_required_parameter");
        assertThat(openai.files()).isEmpty();
    }

    @Test
    void upload_withUnknownPurpose_is400NamingThePurpose() throws Exception {
        Http.Response r = http.postMultipart("/files",
                form("purpose", "training", "file", Http.FilePart.of("train.jsonl", "{}")));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asText()).contains("'training'").contains("'fine-tune'");
        assertThat(r.json().at("/error/param").asText()).isEqualTo("purpose");
        assertThat(r.json().at("/error").has("code")).isTrue();
    }

    @Test
    void upload_fineTuneFileThatIsNotJsonl_isRejected() throws Exception {
        Http.Response r = http.postMultipart("/files",
                form("purpose", "fine-tune", "file", Http.FilePart.of("train.csv", "a,b")));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asText()).isEqualTo("Invalid file format for Fine-Tuning API. Must be .jsonl");
    }

    @Test
    void rejectNextUpload_refusesOnlyTheNextUpload() throws Exception {
        openai.rejectNextUpload("File contains personal data");

        Http.Response first = http.postMultipart("/files",
                form("purpose", "fine-tune", "file", Http.FilePart.of("a.jsonl", TrainingData.jsonl())));
        Http.Response second = http.postMultipart("/files",
                form("purpose", "fine-tune", "file", Http.FilePart.of("a.jsonl", TrainingData.jsonl())));

        assertThat(first.status()).isEqualTo(400);
        assertThat(first.json().at("/error/message").asText()).isEqualTo("File contains personal data");
        assertThat(second.status()).isEqualTo(200);
    }

    @Test
    void getListDelete_followTheFilesApi() throws Exception {
        String a = http.uploadJsonl("a.jsonl", TrainingData.jsonl());
        String b = http.uploadJsonl("b.jsonl", TrainingData.jsonl(10));

        JsonNode one = http.get("/files/" + a).json();
        JsonNode list = http.get("/files?purpose=fine-tune&limit=1").json();
        JsonNode next = http.get("/files?purpose=fine-tune&limit=1&after=" + b).json();
        JsonNode deleted = http.delete("/files/" + a).json();
        Http.Response gone = http.get("/files/" + a);

        assertThat(one.get("filename").asText()).isEqualTo("a.jsonl");
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data")).extracting(n -> n.get("id").asText()).containsExactly(b); // newest first
        assertThat(list.get("has_more").asBoolean()).isTrue();
        assertThat(list.get("first_id").asText()).isEqualTo(b);
        assertThat(next.get("data")).extracting(n -> n.get("id").asText()).containsExactly(a);
        assertThat(next.get("has_more").asBoolean()).isFalse();
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(deleted.get("id").asText()).isEqualTo(a);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().at("/error/message").asText()).isEqualTo("No such File object: " + a);
    }

    @Test
    void uploadsApi_partsThenComplete_makesAFile() throws Exception {
        String content = TrainingData.jsonl();
        byte[] bytes = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int half = bytes.length / 2;

        JsonNode upload = http.postJson("/uploads", Map.of("filename", "big.jsonl", "purpose", "fine-tune",
                "bytes", bytes.length, "mime_type", "text/jsonl")).json();
        String uploadId = upload.get("id").asText();
        JsonNode p1 = http.postMultipart("/uploads/" + uploadId + "/parts",
                form("data", new Http.FilePart("blob", java.util.Arrays.copyOfRange(bytes, 0, half)))).json();
        JsonNode p2 = http.postMultipart("/uploads/" + uploadId + "/parts",
                form("data", new Http.FilePart("blob", java.util.Arrays.copyOfRange(bytes, half, bytes.length)))).json();
        JsonNode done = http.postJson("/uploads/" + uploadId + "/complete",
                Map.of("part_ids", List.of(p1.get("id").asText(), p2.get("id").asText()))).json();

        assertThat(upload.get("status").asText()).isEqualTo("pending");
        assertThat(upload.get("object").asText()).isEqualTo("upload");
        assertThat(p1.get("object").asText()).isEqualTo("upload.part");
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.at("/file/object").asText()).isEqualTo("file");
        assertThat(done.at("/file/bytes").asLong()).isEqualTo(bytes.length);
        assertThat(http.get("/files/" + done.at("/file/id").asText() + "/content").text()).isEqualTo(content);
    }

    @Test
    void uploadsApi_completeWithWrongByteCount_is400() throws Exception {
        JsonNode upload = http.postJson("/uploads", Map.of("filename", "x.jsonl", "purpose", "fine-tune",
                "bytes", 100, "mime_type", "text/jsonl")).json();
        String id = upload.get("id").asText();
        JsonNode part = http.postMultipart("/uploads/" + id + "/parts",
                form("data", Http.FilePart.of("blob", "short"))).json();

        Http.Response r = http.postJson("/uploads/" + id + "/complete", Map.of("part_ids", List.of(part.get("id").asText())));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asText()).contains("100").contains("5 bytes");
    }

    @Test
    void request_withoutApiKey_is401() throws Exception {
        Http.Response r = new Http(openai.baseUrl(), null).get("/files");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().at("/error/message").asText()).startsWith("You didn't provide an API key.");
    }

    @Test
    void unknownRoute_is404InvalidUrl() throws Exception {
        Http.Response r = http.get("/fine_tunes");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().at("/error/message").asText()).isEqualTo("Invalid URL (GET /v1/fine_tunes)");
    }
}
