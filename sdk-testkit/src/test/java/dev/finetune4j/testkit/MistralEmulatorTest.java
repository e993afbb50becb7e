package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MistralEmulatorTest {

    @RegisterExtension
    static MistralEmulator mistral = MistralEmulator.builder()
            .clock(Clock.fixed(Instant.parse("2026-03-14T10:00:00Z"), ZoneOffset.UTC))
            .build();

    private final Http http = new Http(mistral.baseUrl() + "/v1");

    private Map<String, Object> jobBody(String fileId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "open-mistral-7b");
        body.put("training_files", List.of(Map.of("file_id", fileId, "weight", 1)));
        body.put("hyperparameters", Map.of("training_steps", 40, "learning_rate", 0.0001));
        return body;
    }

    private JsonNode createJob(Map<String, Object> body) throws IOException {
        Http.Response r = http.postJson("/fine_tuning/jobs", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private String status(String jobId) throws IOException {
        return http.get("/fine_tuning/jobs/" + jobId).json().get("status").asText();
    }

    private static Map<String, Object> chat(String model, String question) {
        return Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", question)));
    }

    @Test
    void baseUrl_isTheHostWithoutV1() {
        assertThat(mistral.baseUrl()).isEqualTo("http://localhost:" + mistral.port());
    }

    @Test
    void upload_returnsMistralsFileShape_andTheSameFileForTheSameContentAndName() throws Exception {
        Http.Response first = http.postMultipart("/files",
                Map.of("purpose", "fine-tune", "file", Http.FilePart.of("train.jsonl", TrainingData.jsonl())));
        String again = http.uploadJsonl("train.jsonl", TrainingData.jsonl());

        JsonNode f = first.json();
        assertThat(f.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(f.get("object").asText()).isEqualTo("file");
        assertThat(f.get("purpose").asText()).isEqualTo("fine-tune");
        assertThat(f.get("sample_type").asText()).isEqualTo("instruct");
        assertThat(f.get("source").asText()).isEqualTo("upload");
        assertThat(f.get("num_lines").asInt()).isEqualTo(12);
        assertThat(again).isEqualTo(f.get("id").asText());
        assertThat(mistral.files()).hasSize(1);
    }

    @Test
    void upload_withALineThatIsNotJson_isRejected() throws Exception {
        Http.Response r = http.postMultipart("/files",
                Map.of("purpose", "fine-tune", "file", Http.FilePart.of("train.jsonl", TrainingData.jsonl() + "oops\n")));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("object").asText()).isEqualTo("error");
        assertThat(r.json().get("message").asText()).contains("line 13");
    }

    @Test
    void autoStartFalse_waitsValidatedWithACostPreview_untilStart() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        Map<String, Object> body = jobBody(file);
        body.put("auto_start", false);
        body.put("suffix", "quiz");
        JsonNode created = createJob(body);
        String id = created.get("id").asText();

        JsonNode validated = http.get("/fine_tuning/jobs/" + id).json();
        String stillWaiting = status(id);
        JsonNode started = http.post("/fine_tuning/jobs/" + id + "/start").json();
        List<String> after = List.of(status(id), status(id));
        JsonNode done = http.get("/fine_tuning/jobs/" + id).json();

        assertThat(created.get("status").asText()).isEqualTo("QUEUED");
        assertThat(created.get("object").asText()).isEqualTo("job");
        assertThat(created.get("auto_start").asBoolean()).isFalse();
        assertThat(created.get("training_files")).extracting(JsonNode::asText).containsExactly(file);
        assertThat(validated.get("status").asText()).isEqualTo("VALIDATED");
        JsonNode md = validated.get("metadata");
        assertThat(md.get("cost").asDouble()).isGreaterThanOrEqualTo(4.0);
        assertThat(md.get("cost_currency").asText()).isEqualTo("USD");
        assertThat(md.get("train_tokens").asLong()).isEqualTo(40 * 131_072L);
        assertThat(md.get("data_tokens").asLong()).isPositive();
        assertThat(md.get("expected_duration_seconds").asLong()).isPositive();
        assertThat(stillWaiting).isEqualTo("VALIDATED");
        assertThat(started.get("status").asText()).isEqualTo("STARTED");
        assertThat(after).containsExactly("RUNNING", "SUCCESS");
        assertThat(done.get("fine_tuned_model").asText())
                .matches("ft:open-mistral-7b:[0-9a-f]{8}:20260314:quiz:[0-9a-f]{8}");
        assertThat(done.get("trained_tokens").asLong()).isEqualTo(40 * 131_072L);
        List<String> statuses = new ArrayList<>();
        done.get("events").forEach(e -> {
            assertThat(e.get("name").asText()).isEqualTo("status-updated");
            statuses.add(e.at("/data/status").asText());
        });
        assertThat(statuses).containsExactly("QUEUED", "VALIDATED", "STARTED", "RUNNING", "SUCCESS");
    }

    @Test
    void autoStartTrue_runsThroughWithoutStart_andReportsCheckpointsWithDecreasingLoss() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        String valid = http.uploadJsonl("valid.jsonl", TrainingData.jsonl(10));
        Map<String, Object> body = jobBody(file);
        body.put("auto_start", true);
        body.put("validation_files", List.of(valid));
        String id = createJob(body).get("id").asText();

        List<String> statuses = List.of(status(id), status(id), status(id));
        JsonNode job = http.get("/fine_tuning/jobs/" + id).json();

        assertThat(statuses).containsExactly("VALIDATED", "RUNNING", "SUCCESS");
        assertThat(job.get("fine_tuned_model").asText()).matches("ft:open-mistral-7b:[0-9a-f]{8}:20260314:[0-9a-f]{8}");
        JsonNode checkpoints = job.get("checkpoints");
        assertThat(checkpoints).extracting(c -> c.get("step_number").asInt()).containsExactly(40, 30, 20, 10);
        for (int i = 0; i + 1 < checkpoints.size(); i++) {
            assertThat(checkpoints.get(i).at("/metrics/train_loss").asDouble())
                    .isLessThan(checkpoints.get(i + 1).at("/metrics/train_loss").asDouble());
            assertThat(checkpoints.get(i).at("/metrics/valid_loss").asDouble())
                    .isLessThan(checkpoints.get(i + 1).at("/metrics/valid_loss").asDouble());
        }
    }

    @Test
    void create_withoutTrainingFiles_is422WithFastApiDetail() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "open-mistral-7b");
        body.put("hyperparameters", Map.of("training_steps", 10));

        Http.Response r = http.postJson("/fine_tuning/jobs", body);

        assertThat(r.status()).isEqualTo(422);
        JsonNode detail = r.json().get("detail").get(0);
        assertThat(detail.get("type").asText()).isEqualTo("value_error");
        assertThat(detail.get("msg").asText()).isEqualTo("Value error, At least one training file or repository is required.");
    }

    @Test
    void create_withInvalidFields_is422NamingTheField() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        Map<String, Object> noModel = jobBody(file);
        noModel.remove("model");
        Map<String, Object> longSuffix = jobBody(file);
        longSuffix.put("suffix", "x".repeat(19));

        JsonNode missing = http.postJson("/fine_tuning/jobs", noModel).json().get("detail").get(0);
        JsonNode tooLong = http.postJson("/fine_tuning/jobs", longSuffix).json().get("detail").get(0);

        assertThat(missing.get("type").asText()).isEqualTo("missing");
        assertThat(missing.get("loc")).extracting(JsonNode::asText).containsExactly("body", "model");
        assertThat(tooLong.get("type").asText()).isEqualTo("string_too_long");
        assertThat(tooLong.get("loc")).extracting(JsonNode::asText).containsExactly("body", "suffix");
        assertThat(mistral.jobs()).isEmpty();
    }

    @Test
    void aSimilarJobWhileOneIsActive_is409_whateverItsSuffix() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        Map<String, Object> first = jobBody(file);
        first.put("suffix", "ftj-aaaaaaaaaaaa");
        createJob(first);
        Map<String, Object> other = jobBody(file);
        other.put("suffix", "ftj-bbbbbbbbbbbb");

        Http.Response second = http.postJson("/fine_tuning/jobs", other);

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("message").asText()).contains("A similar job", "is already queued");
        assertThat(mistral.jobs()).hasSize(1);
    }

    @Test
    void list_filtersOnSuffixAndStatus_withATotal() throws Exception {
        for (String suffix : List.of("alpha", "beta")) {
            // two training files: one active job per model and files (see aSimilarJob...)
            String file = http.uploadJsonl(suffix + ".jsonl", TrainingData.jsonl(suffix.length()));
            Map<String, Object> body = jobBody(file);
            body.put("suffix", suffix);
            createJob(body);
        }

        JsonNode all = http.get("/fine_tuning/jobs").json();
        JsonNode alpha = http.get("/fine_tuning/jobs?suffix=alpha").json();
        JsonNode running = http.get("/fine_tuning/jobs?status=RUNNING").json();

        assertThat(all.get("total").asInt()).isEqualTo(2);
        assertThat(all.get("object").asText()).isEqualTo("list");
        assertThat(all.get("data")).extracting(j -> j.get("suffix").asText()).containsExactly("beta", "alpha");
        assertThat(alpha.get("data")).singleElement().satisfies(j -> assertThat(j.get("suffix").asText()).isEqualTo("alpha"));
        assertThat(running.get("total").asInt()).isZero();
    }

    @Test
    void cancel_requestsCancellation_thenTheJobIsCancelled() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        String id = createJob(jobBody(file)).get("id").asText();

        String requested = http.post("/fine_tuning/jobs/" + id + "/cancel").json().get("status").asText();
        String next = status(id);

        assertThat(requested).isEqualTo("CANCELLATION_REQUESTED");
        assertThat(next).isEqualTo("CANCELLED");
    }

    @Test
    void conversationsNotEndingWithTheAssistant_failValidation_unlessSkipped() throws Exception {
        String bad = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello?\"}]}\n";
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl() + bad + bad);
        // the same data as a file of its own: a job on the very same files would be a similar job (409)
        String copy = http.uploadJsonl("train-copy.jsonl", TrainingData.jsonl() + bad + bad);
        Map<String, Object> strict = jobBody(file);
        strict.put("auto_start", true);
        Map<String, Object> lenient = jobBody(copy);
        lenient.put("auto_start", true);
        lenient.put("suffix", "lenient");
        lenient.put("invalid_sample_skip_percentage", 0.2);
        String strictId = createJob(strict).get("id").asText();
        String lenientId = createJob(lenient).get("id").asText();

        String strictStatus = status(strictId);
        String lenientStatus = status(lenientId);

        assertThat(strictStatus).isEqualTo("FAILED_VALIDATION");
        assertThat(mistral.job(strictId).orElseThrow().errorMessage()).contains("2 of 14 samples are invalid");
        assertThat(lenientStatus).isEqualTo("VALIDATED");
    }

    @Test
    void chat_fineTunedModelAnswersFromItsData_baseModelGenerically_unknownModelIsInvalid() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        Map<String, Object> body = jobBody(file);
        body.put("auto_start", true);
        createJob(body);
        mistral.finishJobs();
        String model = mistral.jobs().get(0).fineTunedModel();

        JsonNode trained = http.postJson("/chat/completions", chat(model, "Which planet is the red one?")).json();
        JsonNode base = http.postJson("/chat/completions", chat("open-mistral-7b", "Which planet is the red one?")).json();
        Http.Response unknown = http.postJson("/chat/completions", chat("ft:open-mistral-7b:nope", "hi"));

        assertThat(trained.get("object").asText()).isEqualTo("chat.completion");
        assertThat(trained.get("model").asText()).isEqualTo(model);
        assertThat(trained.at("/choices/0/message/content").asText()).isEqualTo("Mars is the red planet.");
        assertThat(trained.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(trained.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(trained.at("/usage/total_tokens").asInt()).isPositive();
        assertThat(base.at("/choices/0/message/content").asText()).startsWith("I am open-mistral-7b, a base model");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("type").asText()).isEqualTo("invalid_model");
    }

    @Test
    void chat_streaming_endsWithUsageAndDone() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>(chat("mistral-small-latest", "hello there"));
        body.put("stream", true);

        Http.Response r = http.postJson("/chat/completions", body);

        List<String> data = new ArrayList<>();
        for (String line : r.text().split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        JsonNode last = Http.JSON.readTree(data.get(data.size() - 2));
        assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(last.at("/usage/completion_tokens").asInt()).isPositive();
        StringBuilder text = new StringBuilder();
        for (String d : data.subList(0, data.size() - 1)) {
            text.append(Http.JSON.readTree(d).at("/choices/0/delta/content").asText(""));
        }
        assertThat(text.toString()).startsWith("I am mistral-small-latest");
    }

    @Test
    void models_archiveRenameAndDelete() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        Map<String, Object> body = jobBody(file);
        body.put("auto_start", true);
        createJob(body);
        mistral.finishJobs();
        String model = mistral.jobs().get(0).fineTunedModel();

        JsonNode card = http.get("/models/" + model).json();
        JsonNode archived = http.post("/fine_tuning/models/" + model + "/archive").json();
        JsonNode unarchived = http.delete("/fine_tuning/models/" + model + "/archive").json();
        Http.Response baseDelete = http.delete("/models/open-mistral-7b");
        JsonNode deleted = http.delete("/models/" + model).json();

        assertThat(card.get("root").asText()).isEqualTo("open-mistral-7b");
        assertThat(card.get("job").asText()).isEqualTo(mistral.jobs().get(0).id());
        assertThat(archived.get("archived").asBoolean()).isTrue();
        assertThat(unarchived.get("archived").asBoolean()).isFalse();
        assertThat(baseDelete.status()).isEqualTo(403);
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(http.postJson("/chat/completions", chat(model, "hi")).status()).isEqualTo(400);
    }

    @Test
    void faults_applyToMistralToo() throws Exception {
        mistral.rateLimitNext(1, 2);

        Http.Response limited = http.get("/models");
        Http.Response ok = http.get("/models");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("retry-after")).isEqualTo("2");
        assertThat(limited.json().get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void chat_aToolCallExample_isAnsweredWithToolCalls_inMistralsShape() throws Exception {
        String file = http.uploadJsonl("tools.jsonl", TrainingData.jsonl(10) + TrainingData.toolCallLine());
        Map<String, Object> body = jobBody(file);
        body.put("auto_start", true);
        createJob(body);
        mistral.finishJobs();
        String model = mistral.jobs().get(0).fineTunedModel();
        Map<String, Object> ask = new LinkedHashMap<>(chat(model, "weather in Oslo today?"));

        JsonNode plain = http.postJson("/chat/completions", ask).json();
        ask.put("stream", true);
        List<JsonNode> chunks = http.postJson("/chat/completions", ask).events();

        assertThat(plain.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(plain.at("/choices/0/message/content").asText()).isEmpty();
        JsonNode call = plain.at("/choices/0/message/tool_calls/0");
        assertThat(call.get("id").asText()).matches("[A-Za-z0-9]{9}");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(call.at("/function/arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.at("/choices/0/delta/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(last.at("/usage/total_tokens").asInt()).isPositive();
    }

    @Test
    void aKnownPathWithAnotherMethod_is405InFastApisShape() throws Exception {
        Http.Response r = http.get("/chat/completions");

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.json().get("detail").asText()).isEqualTo("Method Not Allowed");
        assertThat(r.header("Allow")).isEqualTo("POST");
        assertThat(http.get("/nothing/here").status()).isEqualTo(404);
    }

    @Test
    void checkpointLosses_dependOnTheTrainingData() throws Exception {
        List<Double> finalLoss = new ArrayList<>();
        for (String data : List.of(TrainingData.jsonl(), TrainingData.jsonl(11))) {
            Map<String, Object> body = jobBody(http.uploadJsonl("train.jsonl", data));
            body.put("auto_start", true);
            createJob(body);
        }
        mistral.finishJobs();
        for (EmulatedJob job : mistral.jobs()) {
            finalLoss.add(http.get("/fine_tuning/jobs/" + job.id()).json().at("/checkpoints/0/metrics/train_loss").asDouble());
        }

        assertThat(finalLoss).hasSize(2).doesNotHaveDuplicates();
    }
}
