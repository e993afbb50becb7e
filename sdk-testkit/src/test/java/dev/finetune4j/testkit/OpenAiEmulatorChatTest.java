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

class OpenAiEmulatorChatTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.builder().progression(JobProgression.manual()).build();

    private final Http http = new Http(openai.baseUrl());

    /** Trains a model on the twelve test pairs and returns its id. */
    private String trainedModel() throws IOException {
        String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
        http.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file, "suffix", "quiz"));
        openai.finishJobs();
        return openai.jobs().get(0).fineTunedModel();
    }

    private static Map<String, Object> chat(String model, String question) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", List.of(Map.of("role", "system", "content", "You are terse."),
                Map.of("role", "user", "content", question)));
        return body;
    }

    private String answer(String model, String question) throws IOException {
        Http.Response r = http.postJson("/chat/completions", chat(model, question));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().at("/choices/0/message/content").asText();
    }

    @Test
    void baseModel_givesAFixedGenericAnswer_inTheChatCompletionShape() throws Exception {
        JsonNode r = http.postJson("/chat/completions", chat("gpt-4o-mini", "What is the capital of France?")).json();

        assertThat(r.get("id").asText()).startsWith("chatcmpl-");
        assertThat(r.get("object").asText()).isEqualTo("chat.completion");
        assertThat(r.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(r.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(r.at("/choices/0/message/content").asText())
                .startsWith("I am gpt-4o-mini-2024-07-18, a base model").contains("What is the capital of France?");
        assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = r.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isBetween(15, 40);
        assertThat(usage.get("completion_tokens").asInt()).isPositive();
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
        assertThat(answer("gpt-4o-mini", "What is the capital of France?"))
                .isEqualTo(r.at("/choices/0/message/content").asText());
    }

    @Test
    void fineTunedModel_answersWithTheReplyOfTheMostSimilarTrainingExample() throws Exception {
        String model = trainedModel();

        assertThat(model).startsWith("ft:gpt-4o-mini-2024-07-18:emulator:quiz:");
        assertThat(answer(model, "what's the capital city of france")).isEqualTo("Paris, of course.");
        assertThat(answer(model, "How many legs has a spider got?")).isEqualTo("Eight legs.");
        assertThat(answer(model, "log 3 sets of 10 push-ups please"))
                .isEqualTo("{\"exercise\":\"push-up\",\"sets\":3,\"reps\":10}");
    }

    @Test
    void evaluatingTheTrainedModelAgainstItsBase_showsADifference() throws Exception {
        String model = trainedModel();
        int trainedRight = 0;
        int baseRight = 0;

        for (String[] pair : TrainingData.PAIRS) {
            trainedRight += answer(model, pair[0]).equals(pair[1]) ? 1 : 0;
            baseRight += answer("gpt-4o-mini", pair[0]).equals(pair[1]) ? 1 : 0;
        }

        assertThat(trainedRight).isEqualTo(TrainingData.PAIRS.size());
        assertThat(baseRight).isZero();
    }

    @Test
    void checkpointModels_answerToo() throws Exception {
        trainedModel();
        String jobId = openai.jobs().get(0).id();
        String checkpoint = http.get("/fine_tuning/jobs/" + jobId + "/checkpoints").json()
                .at("/data/0/fine_tuned_model_checkpoint").asText();

        assertThat(answer(checkpoint, "Which planet is the red one?")).isEqualTo("Mars is the red planet.");
    }

    @Test
    void streaming_sendsChunksThenUsageThenDone() throws Exception {
        String model = trainedModel();
        Map<String, Object> body = chat(model, "Who wrote Hamlet?");
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));

        Http.Response r = http.postJson("/chat/completions", body);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("text/event-stream");
        List<String> data = new ArrayList<>();
        for (String line : r.text().split("\n")) {
            if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            } else {
                assertThat(line).isEmpty();
            }
        }
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String d : data.subList(0, data.size() - 1)) {
            chunks.add(Http.JSON.readTree(d));
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks) {
            assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.get("id").asText()).isEqualTo(chunks.get(0).get("id").asText());
            if (c.get("choices").size() > 0) {
                text.append(c.at("/choices/0/delta/content").asText(""));
                assertThat(c.get("usage").isNull()).isTrue();
            }
        }
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(text.toString()).isEqualTo("William Shakespeare wrote Hamlet.");
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isPositive();
    }

    @Test
    void unknownModel_is404ModelNotFound() throws Exception {
        Http.Response r = http.postJson("/chat/completions", chat("gpt-nope", "hi"));

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("model_not_found");
        assertThat(r.json().at("/error/message").asText()).contains("gpt-nope");
    }

    @Test
    void deletingAFineTunedModel_makesChatToIt404() throws Exception {
        String model = trainedModel();
        JsonNode before = http.get("/models/" + model).json();

        JsonNode deleted = http.delete("/models/" + model).json();
        Http.Response chat = http.postJson("/chat/completions", chat(model, "What is the capital of France?"));
        Http.Response get = http.get("/models/" + model);

        assertThat(before.get("object").asText()).isEqualTo("model");
        assertThat(before.get("owned_by").asText()).startsWith("org-");
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(deleted.get("id").asText()).isEqualTo(model);
        assertThat(chat.status()).isEqualTo(404);
        assertThat(chat.json().at("/error/code").asText()).isEqualTo("model_not_found");
        assertThat(get.status()).isEqualTo(404);
    }

    @Test
    void deleteModel_fromTheTest_actsLikeTheOwnerDeletingIt() throws Exception {
        String model = trainedModel();

        openai.deleteModel(model);

        assertThat(http.postJson("/chat/completions", chat(model, "hi")).status()).isEqualTo(404);
        assertThat(openai.models()).doesNotContain(model);
    }

    @Test
    void deletingABaseModel_is403() throws Exception {
        Http.Response r = http.delete("/models/gpt-4o-mini");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(http.postJson("/chat/completions", chat("gpt-4o-mini", "hi")).status()).isEqualTo(200);
    }

    @Test
    void maxTokens_cutsTheAnswerWithFinishReasonLength() throws Exception {
        Map<String, Object> body = chat("gpt-4o-mini", "Tell me everything");
        body.put("max_completion_tokens", 5);

        JsonNode r = http.postJson("/chat/completions", body).json();

        assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(r.at("/usage/completion_tokens").asInt()).isLessThanOrEqualTo(5);
    }

    @Test
    void toolCallExamples_areAnsweredWithToolCalls() throws Exception {
        String line = "{\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Oslo?\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]}]}\n";
        String file = http.uploadJsonl("tools.jsonl", TrainingData.jsonl(10) + line);
        http.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file));
        openai.finishJobs();
        String model = openai.jobs().get(0).fineTunedModel();

        JsonNode r = http.postJson("/chat/completions", chat(model, "weather in Oslo today?")).json();

        assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(r.at("/choices/0/message/content").isNull()).isTrue();
        assertThat(r.at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(r.at("/choices/0/message/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(r.at("/choices/0/message/tool_calls/0/id").asText()).startsWith("call_");
    }

    @Test
    void listModels_hasBaseAndFineTunedModels() throws Exception {
        String model = trainedModel();

        JsonNode list = http.get("/models").json();

        List<String> ids = new ArrayList<>();
        list.get("data").forEach(m -> ids.add(m.get("id").asText()));
        assertThat(ids).contains("gpt-4o-mini", "gpt-4o-mini-2024-07-18", model);
        assertThat(ids).noneMatch(id -> id.contains(":ckpt-step-"));
    }

    /** A model trained on ten text examples and one whose answer is a get_weather tool call. */
    private String toolCallModel() throws IOException {
        String file = http.uploadJsonl("tools.jsonl", TrainingData.jsonl(10) + TrainingData.toolCallLine());
        http.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file));
        openai.finishJobs();
        return openai.jobs().get(0).fineTunedModel();
    }

    @Test
    void streamedToolCalls_sendTheCallsHeadThenItsArgumentsInPieces_andFinishWithToolCalls() throws Exception {
        Map<String, Object> body = chat(toolCallModel(), "weather in Oslo today?");
        body.put("stream", true);

        Http.Response r = http.postJson("/chat/completions", body);

        List<JsonNode> chunks = r.events();
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks.get(0).at("/choices/0/delta/content").isNull()).isTrue();
        List<JsonNode> calls = new ArrayList<>();
        chunks.forEach(c -> c.at("/choices/0/delta/tool_calls").forEach(calls::add));
        JsonNode head = calls.get(0);
        assertThat(head.get("index").asInt()).isZero();
        assertThat(head.get("id").asText()).startsWith("call_");
        assertThat(head.get("type").asText()).isEqualTo("function");
        assertThat(head.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(head.at("/function/arguments").asText()).isEmpty();
        List<JsonNode> pieces = calls.subList(1, calls.size());
        assertThat(pieces).hasSizeGreaterThan(1).allSatisfy(p -> {
            assertThat(p.get("index").asInt()).isZero();
            assertThat(p.has("id")).isFalse();
            assertThat(p.at("/function/name").isMissingNode()).isTrue();
        });
        StringBuilder arguments = new StringBuilder();
        pieces.forEach(p -> arguments.append(p.at("/function/arguments").asText()));
        assertThat(arguments.toString()).isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(r.text()).endsWith("data: [DONE]\n\n");
    }

    /** The conversation after the model called get_weather for Oslo and the tool answered. */
    private static Map<String, Object> afterToolResult(String model) {
        Map<String, Object> call = Map.of("id", "call_abc", "type", "function",
                "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Oslo\"}"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", List.of(Map.of("role", "user", "content", "weather in Oslo today?"),
                Map.of("role", "assistant", "tool_calls", List.of(call)),
                Map.of("role", "tool", "tool_call_id", "call_abc", "content", "{\"celsius\":3}")));
        return body;
    }

    @Test
    void afterAToolResult_theModelAnswersWithWhatFollowsTheResultInItsExample() throws Exception {
        String file = http.uploadJsonl("tools.jsonl", TrainingData.jsonl(10) + TrainingData.toolRoundTripLine());
        http.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file));
        openai.finishJobs();
        String model = openai.jobs().get(0).fineTunedModel();

        JsonNode question = http.postJson("/chat/completions", chat(model, "weather in Oslo today?")).json();
        JsonNode afterResult = http.postJson("/chat/completions", afterToolResult(model)).json();

        assertThat(question.at("/choices/0/finish_reason").asText()).as("the question: the call comes first")
                .isEqualTo("tool_calls");
        assertThat(question.at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(afterResult.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(afterResult.at("/choices/0/message/content").asText()).isEqualTo("It is 3 degrees in Oslo.");
        assertThat(afterResult.at("/choices/0/message/tool_calls").isMissingNode()).isTrue();
    }

    @Test
    void afterAToolResult_anExampleThatEndsWithTheCall_givesTheCallAgain() throws Exception {
        JsonNode afterResult = http.postJson("/chat/completions", afterToolResult(toolCallModel())).json();

        assertThat(afterResult.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(afterResult.at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void chatCompletionsWithAnotherMethod_are404InvalidUrl() throws Exception {
        Http.Response r = http.get("/chat/completions");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().at("/error/message").asText()).isEqualTo("Invalid URL (GET /v1/chat/completions)");
    }
}
