package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OpenAiEmulatorJobsTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.builder().organization("acme").build();

    private final Http http = new Http(openai.baseUrl());

    private Map<String, Object> createBody(String trainingFile) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "gpt-4o-mini");
        body.put("training_file", trainingFile);
        return body;
    }

    private JsonNode create(Map<String, Object> body) throws IOException {
        Http.Response r = http.postJson("/fine_tuning/jobs", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    private List<String> pollStatuses(String jobId, int polls) throws IOException {
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            statuses.add(http.get("/fine_tuning/jobs/" + jobId).json().get("status").asText());
        }
        return statuses;
    }

    @Test
    void create_returnsAJobWithEveryRequiredField() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        Map<String, Object> body = createBody(file);
        body.put("suffix", "avatar-42");
        body.put("seed", 7);
        body.put("metadata", Map.of("assistant", "avatar-42"));
        body.put("method", Map.of("type", "supervised",
                "supervised", Map.of("hyperparameters", Map.of("n_epochs", 2))));

        JsonNode job = create(body);

        assertThat(job.get("id").asText()).matches("ftjob-[A-Za-z0-9]{24}");
        assertThat(job.get("object").asText()).isEqualTo("fine_tuning.job");
        assertThat(job.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(job.get("status").asText()).isEqualTo("validating_files");
        assertThat(job.get("training_file").asText()).isEqualTo(file);
        assertThat(job.get("organization_id").asText()).startsWith("org-");
        assertThat(job.get("seed").asInt()).isEqualTo(7);
        assertThat(job.get("user_provided_suffix").asText()).isEqualTo("avatar-42");
        assertThat(job.at("/metadata/assistant").asText()).isEqualTo("avatar-42");
        assertThat(job.at("/method/type").asText()).isEqualTo("supervised");
        assertThat(job.at("/method/supervised/hyperparameters/n_epochs").asInt()).isEqualTo(2);
        assertThat(job.at("/hyperparameters/batch_size").asText()).isEqualTo("auto");
        for (String field : List.of("created_at", "error", "finished_at", "fine_tuned_model", "hyperparameters", "id",
                "model", "object", "organization_id", "result_files", "status", "trained_tokens", "training_file",
                "validation_file", "seed")) {
            assertThat(job.has(field)).as(field).isTrue();
        }
        assertThat(job.get("fine_tuned_model").isNull()).isTrue();
        assertThat(job.get("error").isNull()).isTrue();
    }

    @Test
    void create_withAnUnknownField_is400LikeTheRealApi() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        Map<String, Object> body = createBody(file);
        body.put("foo", 1);

        Http.Response r = http.postJson("/fine_tuning/jobs", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/message").asText()).isEqualTo("Unrecognized request argument supplied: foo");
        assertThat(r.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(openai.jobs()).isEmpty();
    }

    @Test
    void create_withInvalidRequests_is400NamingTheParameter() throws Exception {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        Map<String, Object> longSuffix = createBody(file);
        longSuffix.put("suffix", "x".repeat(65));
        Map<String, Object> missingFile = createBody("file-doesnotexist");
        Map<String, Object> tooMuchMetadata = createBody(file);
        Map<String, String> md = new LinkedHashMap<>();
        for (int i = 0; i < 17; i++) {
            md.put("k" + i, "v");
        }
        tooMuchMetadata.put("metadata", md);
        Map<String, Object> badModel = createBody(file);
        badModel.put("model", "gpt-99");
        Map<String, Object> badEpochs = createBody(file);
        badEpochs.put("method", Map.of("type", "supervised",
                "supervised", Map.of("hyperparameters", Map.of("n_epochs", 51))));

        assertThat(http.postJson("/fine_tuning/jobs", longSuffix).json().at("/error/param").asText()).isEqualTo("suffix");
        JsonNode noFile = http.postJson("/fine_tuning/jobs", missingFile).json().get("error");
        assertThat(noFile.get("message").asText()).isEqualTo("invalid training_file: file-doesnotexist");
        assertThat(noFile.get("param").asText()).isEqualTo("training_file");
        assertThat(http.postJson("/fine_tuning/jobs", tooMuchMetadata).json().at("/error/code").asText())
                .isEqualTo("object_above_max_properties");
        assertThat(http.postJson("/fine_tuning/jobs", badModel).json().at("/error/code").asText())
                .isEqualTo("model_not_available");
        assertThat(http.postJson("/fine_tuning/jobs", badEpochs).json().at("/error/param").asText())
                .isEqualTo("hyperparameters.n_epochs");
        assertThat(openai.jobs()).isEmpty();
    }

    @Test
    void lifecycle_eachPollMovesOneStatus_untilSucceededWithAFineTunedModel() throws Exception {
        String train = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        String valid = http.uploadJsonl("valid.jsonl", TrainingData.jsonl(10));
        Map<String, Object> body = createBody(train);
        body.put("validation_file", valid);
        body.put("suffix", "quiz");
        String id = create(body).get("id").asText();

        List<String> statuses = pollStatuses(id, 4);
        JsonNode job = http.get("/fine_tuning/jobs/" + id).json();

        assertThat(statuses).containsExactly("queued", "running", "succeeded", "succeeded");
        assertThat(job.get("fine_tuned_model").asText()).matches("ft:gpt-4o-mini-2024-07-18:acme:quiz:[A-Za-z0-9]{8}");
        assertThat(job.get("finished_at").isIntegralNumber()).isTrue();
        int epochs = job.at("/hyperparameters/n_epochs").asInt();
        assertThat(epochs).isEqualTo(8); // the cookbook's auto rule: 100 / 12 examples
        assertThat(job.at("/method/supervised/hyperparameters/n_epochs").asInt()).isEqualTo(epochs);
        long trainedTokens = job.get("trained_tokens").asLong();
        assertThat(trainedTokens).isPositive();
        assertThat(trainedTokens % epochs).as("epochs x tokens per epoch").isZero();
        assertThat(job.get("result_files")).hasSize(1);
        String csv = http.get("/files/" + job.get("result_files").get(0).asText() + "/content").text();
        assertThat(csv).startsWith("step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n");
        assertThat(openai.job(id)).hasValueSatisfying(j -> {
            assertThat(j.status()).isEqualTo("succeeded");
            assertThat(j.fineTunedModel()).isEqualTo(job.get("fine_tuned_model").asText());
        });
        assertThat(openai.models()).contains(job.get("fine_tuned_model").asText());
    }

    @Test
    void events_areNewestFirst_pageWithAfter_andIncludeMetrics() throws Exception {
        String train = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        String id = create(createBody(train)).get("id").asText();
        pollStatuses(id, 3);

        JsonNode all = http.get("/fine_tuning/jobs/" + id + "/events?limit=1000").json();
        JsonNode firstPage = http.get("/fine_tuning/jobs/" + id + "/events?limit=2").json();
        String after = firstPage.get("data").get(1).get("id").asText();
        JsonNode secondPage = http.get("/fine_tuning/jobs/" + id + "/events?limit=2&after=" + after).json();

        JsonNode data = all.get("data");
        assertThat(data.get(0).get("message").asText()).isEqualTo("The job has successfully completed");
        assertThat(data.get(data.size() - 1).get("message").asText()).isEqualTo("Created fine-tuning job: " + id);
        assertThat(data.get(0).get("object").asText()).isEqualTo("fine_tuning.job.event");
        assertThat(data.get(0).get("id").asText()).startsWith("ftevent-");
        List<JsonNode> metrics = new ArrayList<>();
        data.forEach(e -> {
            if (e.get("type").asText().equals("metrics")) {
                metrics.add(e);
            }
        });
        assertThat(metrics).isNotEmpty();
        assertThat(metrics.get(0).at("/data/step").asInt()).isGreaterThan(metrics.get(metrics.size() - 1).at("/data/step").asInt());
        assertThat(metrics.get(0).at("/data/train_loss").asDouble())
                .isLessThan(metrics.get(metrics.size() - 1).at("/data/train_loss").asDouble());
        assertThat(metrics.get(0).get("message").asText()).matches("Step \\d+/\\d+: training loss=\\d+\\.\\d\\d");
        assertThat(firstPage.get("has_more").asBoolean()).isTrue();
        assertThat(secondPage.get("data").get(0).get("id").asText()).isEqualTo(data.get(2).get("id").asText());
    }

    @Test
    void checkpoints_comeFromTheLastEpochs_withDecreasingLosses() throws Exception {
        String train = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        String valid = http.uploadJsonl("valid.jsonl", TrainingData.jsonl(10));
        Map<String, Object> body = createBody(train);
        body.put("validation_file", valid);
        body.put("method", Map.of("type", "supervised",
                "supervised", Map.of("hyperparameters", Map.of("n_epochs", 4, "batch_size", 3))));
        String id = create(body).get("id").asText();
        pollStatuses(id, 3);

        JsonNode page = http.get("/fine_tuning/jobs/" + id + "/checkpoints").json();

        JsonNode data = page.get("data");
        assertThat(data).hasSize(3);
        assertThat(data).extracting(c -> c.get("step_number").asInt()).containsExactly(16, 12, 8); // 4 steps per epoch
        assertThat(data.get(0).get("object").asText()).isEqualTo("fine_tuning.job.checkpoint");
        assertThat(data.get(0).get("id").asText()).startsWith("ftckpt_");
        assertThat(data.get(0).get("fine_tuning_job_id").asText()).isEqualTo(id);
        assertThat(data.get(0).get("fine_tuned_model_checkpoint").asText()).endsWith(":ckpt-step-16");
        double[] trainLoss = {data.get(2).at("/metrics/train_loss").asDouble(), data.get(1).at("/metrics/train_loss").asDouble(),
                data.get(0).at("/metrics/train_loss").asDouble()};
        double[] validLoss = {data.get(2).at("/metrics/valid_loss").asDouble(),
                data.get(1).at("/metrics/valid_loss").asDouble(), data.get(0).at("/metrics/valid_loss").asDouble()};
        assertThat(trainLoss[0]).isGreaterThan(trainLoss[1]);
        assertThat(trainLoss[1]).isGreaterThan(trainLoss[2]);
        assertThat(validLoss[0]).isGreaterThan(validLoss[1]);
        assertThat(validLoss[1]).isGreaterThan(validLoss[2]);
        assertThat(page.get("first_id").asText()).isEqualTo(data.get(0).get("id").asText());
        assertThat(page.get("last_id").asText()).isEqualTo(data.get(2).get("id").asText());
        assertThat(page.get("has_more").asBoolean()).isFalse();
    }

    @Test
    void list_pagesNewestFirst_andFiltersOnMetadata() throws Exception {
        String train = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        List<String> ids = new ArrayList<>();
        for (String assistant : List.of("a", "b", "a")) {
            Map<String, Object> body = createBody(train);
            body.put("metadata", Map.of("assistant", assistant));
            ids.add(create(body).get("id").asText());
        }

        JsonNode first = http.get("/fine_tuning/jobs?limit=2").json();
        JsonNode rest = http.get("/fine_tuning/jobs?limit=2&after=" + ids.get(1)).json();
        JsonNode onlyA = http.get("/fine_tuning/jobs?metadata%5Bassistant%5D=a").json();

        assertThat(first.get("data")).extracting(j -> j.get("id").asText()).containsExactly(ids.get(2), ids.get(1));
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertThat(rest.get("data")).extracting(j -> j.get("id").asText()).containsExactly(ids.get(0));
        assertThat(rest.get("has_more").asBoolean()).isFalse();
        assertThat(onlyA.get("data")).extracting(j -> j.get("id").asText()).containsExactly(ids.get(2), ids.get(0));
    }

    @Test
    void tooFewExamples_failsTheJobWithInvalidNExamples() throws Exception {
        String train = http.uploadJsonl("train.jsonl", TrainingData.jsonl(7));
        String id = create(createBody(train)).get("id").asText();

        JsonNode job = http.get("/fine_tuning/jobs/" + id).json();

        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.at("/error/code").asText()).isEqualTo("invalid_n_examples");
        assertThat(job.at("/error/param").asText()).isEqualTo("training_file");
        assertThat(job.at("/error/message").asText())
                .isEqualTo("Training file has 7 example(s), but must have at least 10 examples");
        assertThat(job.get("fine_tuned_model").isNull()).isTrue();
    }

    @Test
    void malformedTrainingLine_failsTheJobWithInvalidTrainingFile() throws Exception {
        String train = http.uploadJsonl("train.jsonl", TrainingData.jsonl() + "{\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]}\n");
        String id = create(createBody(train)).get("id").asText();

        JsonNode job = http.get("/fine_tuning/jobs/" + id).json();

        assertThat(job.get("status").asText()).isEqualTo("failed");
        assertThat(job.at("/error/code").asText()).isEqualTo("invalid_training_file");
        assertThat(job.at("/error/message").asText()).contains("Line 13").contains("'bot'");
    }

    @Test
    void failNextJob_failsTheNextJobAfterItRan() throws Exception {
        String train = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        openai.failNextJob("The job failed due to an internal error.");
        String failing = create(createBody(train)).get("id").asText();
        String fine = create(createBody(train)).get("id").asText();

        List<String> statuses = pollStatuses(failing, 3);
        JsonNode job = http.get("/fine_tuning/jobs/" + failing).json();
        pollStatuses(fine, 3);

        assertThat(statuses).containsExactly("queued", "running", "failed");
        assertThat(job.at("/error/code").asText()).isEqualTo("internal_error");
        assertThat(job.at("/error/message").asText()).isEqualTo("The job failed due to an internal error.");
        assertThat(openai.job(fine)).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo("succeeded"));
    }

    @Test
    void cancelPauseResume_changeTheStatusAsTheRealApiDoes() throws Exception {
        String train = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        String toCancel = create(createBody(train)).get("id").asText();
        String toPause = create(createBody(train)).get("id").asText();
        pollStatuses(toPause, 2); // running

        JsonNode cancelled = http.post("/fine_tuning/jobs/" + toCancel + "/cancel").json();
        JsonNode cancelAgain = http.post("/fine_tuning/jobs/" + toCancel + "/cancel").json();
        JsonNode paused = http.post("/fine_tuning/jobs/" + toPause + "/pause").json();
        String whilePaused = http.get("/fine_tuning/jobs/" + toPause).json().get("status").asText();
        JsonNode resumed = http.post("/fine_tuning/jobs/" + toPause + "/resume").json();
        List<String> after = pollStatuses(toPause, 2);

        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelAgain.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(paused.get("status").asText()).isEqualTo("paused");
        assertThat(whilePaused).isEqualTo("paused");
        assertThat(resumed.get("status").asText()).isEqualTo("queued");
        assertThat(after).containsExactly("running", "succeeded");
    }

    @Test
    void unknownJob_is404() throws Exception {
        Http.Response r = http.get("/fine_tuning/jobs/ftjob-nothere");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void fineTuningAFineTunedModel_keepsTheBaseInTheNewModelsName() throws Exception {
        String train = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        String first = create(createBody(train)).get("id").asText();
        pollStatuses(first, 3);
        String parent = openai.job(first).orElseThrow().fineTunedModel();
        Map<String, Object> body = createBody(train);
        body.put("model", parent);
        body.put("suffix", "v2");
        String second = create(body).get("id").asText();

        pollStatuses(second, 3);

        assertThat(openai.job(second).orElseThrow().model()).isEqualTo(parent);
        assertThat(openai.job(second).orElseThrow().fineTunedModel()).matches("ft:gpt-4o-mini-2024-07-18:acme:v2:\\w{8}");
    }

    /** The final checkpoint's metrics of a job on {@code jsonl}, three epochs of four-example batches. */
    private JsonNode finalMetrics(String jsonl) throws IOException {
        Map<String, Object> body = createBody(http.uploadJsonl("train.jsonl", jsonl));
        body.put("method", Map.of("type", "supervised",
                "supervised", Map.of("hyperparameters", Map.of("n_epochs", 3, "batch_size", 4))));
        String id = create(body).get("id").asText();
        pollStatuses(id, 3);
        return http.get("/fine_tuning/jobs/" + id + "/checkpoints").json().at("/data/0/metrics");
    }

    @Test
    void finalMetrics_dependOnTheTrainingData_andRepeatForTheSameData() throws Exception {
        String v1 = TrainingData.jsonl();
        String v2 = TrainingData.jsonl(11) + TrainingData.line("Translate goodbye into Spanish", "Adios.") + "\n";

        JsonNode first = finalMetrics(v1);
        JsonNode other = finalMetrics(v2);
        JsonNode again = finalMetrics(v1);

        assertThat(first.get("step").asInt()).isEqualTo(other.get("step").asInt()).isEqualTo(9);
        assertThat(other.get("train_loss").asDouble()).isNotEqualTo(first.get("train_loss").asDouble());
        assertThat(other.get("train_mean_token_accuracy").asDouble())
                .isNotEqualTo(first.get("train_mean_token_accuracy").asDouble());
        assertThat(again).isEqualTo(first);
    }
}
