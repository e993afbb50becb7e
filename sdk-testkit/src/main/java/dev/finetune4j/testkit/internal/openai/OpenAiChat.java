package dev.finetune4j.testkit.internal.openai;

import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.invalid;
import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.missing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ChatReplies;
import dev.finetune4j.testkit.internal.ChatReplies.Answer;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.tokens.TokenCounter;
import java.util.regex.Matcher;

/**
 * {@code POST /v1/chat/completions}, plain and streamed. A base model gives a fixed, generic
 * answer; a fine-tuned model answers with the reply of its most similar training example, so an
 * evaluation of a trained model against its base shows a real difference. Called under
 * {@link OpenAiApi}'s lock.
 */
final class OpenAiChat {

    private final OpenAiApi api;
    private final String fingerprint;

    OpenAiChat(OpenAiApi api) {
        this.api = api;
        this.fingerprint = "fp_" + api.ids.hex(10);
    }

    Reply complete(HttpCall call) {
        ObjectNode body = OpenAiApi.jsonBody(call);
        String model = OpenAiApi.requiredText(body, "model");
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw missing("messages");
        }
        if (!messages.isArray()) {
            throw invalid("Invalid type for 'messages': expected an array of objects, but got "
                    + OpenAiApi.kind(messages) + " instead.", "messages", "invalid_type");
        }
        if (messages.isEmpty()) {
            throw invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty "
                    + "array instead.", "messages", "empty_array");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).path("role").isTextual()) {
                throw invalid("Missing required parameter: 'messages[" + i + "].role'.", "messages[" + i + "].role",
                        "missing_required_parameter");
            }
        }
        int n = body.path("n").asInt(1);
        if (n < 1 || n > 128) {
            throw invalid("Invalid 'n': integer must be between 1 and 128.", "n", "integer_out_of_range");
        }
        JsonNode maxNode = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens")
                : body.get("max_tokens");
        int maxTokens = maxNode == null || maxNode.isNull() ? Integer.MAX_VALUE : maxNode.asInt();
        if (maxTokens < 1) {
            throw invalid("Invalid 'max_tokens': integer below minimum value. Expected a value >= 1.", "max_tokens",
                    "integer_below_min_value");
        }

        String served;
        Answer answer;
        String question = ChatReplies.lastUserText(messages);
        if (api.isBaseModel(model)) {
            served = api.snapshot(model);
            answer = new Answer(ChatReplies.base(served, question,
                    body.path("response_format").path("type").asText("")), null);
        } else {
            OpenAiApi.FineTunedModel ft = api.fineTuned.get(model);
            if (ft == null) {
                throw OpenAiErrors.modelNotFound(model);
            }
            served = model;
            answer = ChatReplies.trained(ft.examples, question);
        }

        TokenCounter counter = TokenCounter.forModel(served);
        int promptTokens = 3;
        for (JsonNode m : messages) {
            promptTokens += 3 + counter.countText(m.path("role").asText()) + counter.countText(TrainingSet.text(m));
        }
        String finish = answer.toolCalls() != null ? "tool_calls" : "stop";
        String text = answer.text();
        if (text != null && counter.countText(text) > maxTokens) {
            text = ChatReplies.truncate(text, maxTokens, counter);
            finish = "length";
        }
        int completionTokens = text != null ? counter.countText(text) : counter.countText(Jsons.write(answer.toolCalls()));
        String id = api.ids.alnum("chatcmpl-", 29);
        long created = api.config.clock().epochSecond();
        ObjectNode usage = usage(promptTokens, completionTokens * n);

        if (body.path("stream").asBoolean(false)) {
            boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            return stream(id, created, served, n, text, answer.toolCalls(), finish, includeUsage ? usage : null);
        }
        ObjectNode out = Jsons.object();
        out.put("id", id);
        out.put("object", "chat.completion");
        out.put("created", created);
        out.put("model", served);
        ArrayNode choices = out.putArray("choices");
        for (int i = 0; i < n; i++) {
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            if (text != null) {
                message.put("content", text);
            } else {
                message.putNull("content");
                message.set("tool_calls", withFreshIds(answer.toolCalls(), false));
            }
            message.putNull("refusal");
            message.putArray("annotations");
            choice.putNull("logprobs");
            choice.put("finish_reason", finish);
        }
        out.set("usage", usage);
        out.put("service_tier", "default");
        out.put("system_fingerprint", fingerprint);
        return Reply.ok(out);
    }

    private Reply stream(String id, long created, String model, int n, String text, ArrayNode toolCalls, String finish,
                         ObjectNode usage) {
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ObjectNode first = Jsons.object().put("role", "assistant");
            if (text != null) {
                first.put("content", "");
            }
            first.putNull("refusal");
            sse.append(chunk(id, created, model, i, first, null, usage != null));
            if (text != null) {
                Matcher m = ChatReplies.PIECES.matcher(text);
                while (m.find()) {
                    sse.append(chunk(id, created, model, i, Jsons.object().put("content", m.group()), null, usage != null));
                }
            } else {
                ArrayNode calls = withFreshIds(toolCalls, true);
                sse.append(chunk(id, created, model, i, (ObjectNode) Jsons.object().set("tool_calls", calls), null,
                        usage != null));
            }
            sse.append(chunk(id, created, model, i, Jsons.object(), finish, usage != null));
        }
        if (usage != null) {
            ObjectNode last = base(id, created, model);
            last.putArray("choices");
            last.set("usage", usage);
            sse.append("data: ").append(Jsons.write(last)).append("\n\n");
        }
        sse.append("data: [DONE]\n\n");
        return Reply.status(200)
                .header("Content-Type", "text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .body(sse.toString());
    }

    private ObjectNode base(String id, long created, String model) {
        ObjectNode c = Jsons.object();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        c.put("service_tier", "default");
        c.put("system_fingerprint", fingerprint);
        return c;
    }

    private String chunk(String id, long created, String model, int index, ObjectNode delta, String finish,
                         boolean usageNull) {
        ObjectNode c = base(id, created, model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", index);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        if (usageNull) {
            c.putNull("usage");
        }
        return "data: " + Jsons.write(c) + "\n\n";
    }

    private ArrayNode withFreshIds(ArrayNode toolCalls, boolean indexed) {
        ArrayNode out = Jsons.array();
        int i = 0;
        for (JsonNode call : toolCalls) {
            ObjectNode c = Jsons.object();
            if (indexed) {
                c.put("index", i);
            }
            c.put("id", api.ids.alnum("call_", 24));
            c.put("type", "function");
            ObjectNode fn = c.putObject("function");
            fn.put("name", call.path("function").path("name").asText());
            JsonNode args = call.path("function").path("arguments");
            fn.put("arguments", args.isTextual() ? args.asText() : Jsons.write(args));
            out.add(c);
            i++;
        }
        return out;
    }

    private static ObjectNode usage(int prompt, int completion) {
        ObjectNode u = Jsons.object();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        u.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return u;
    }
}
