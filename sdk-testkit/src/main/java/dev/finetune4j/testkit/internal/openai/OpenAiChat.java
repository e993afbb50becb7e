package dev.finetune4j.testkit.internal.openai;

import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.invalid;
import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.missing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ChatTurn;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/chat/completions}, plain and streamed, in OpenAI's shape: what is answered comes
 * from {@link ChatTurn}; this class checks the request as OpenAI does and writes the completion,
 * its chunks ({@code refusal}, {@code service_tier}, {@code system_fingerprint}) and usage with its
 * details. Called under {@link OpenAiApi}'s lock.
 */
final class OpenAiChat {

    private final OpenAiApi api;
    private final String fingerprint;

    OpenAiChat(OpenAiApi api) {
        this.api = api;
        this.fingerprint = "fp_" + api.ids().hex(10);
    }

    Reply complete(HttpCall call) {
        ObjectNode body = OpenAiApi.jsonBody(call);
        String requested = OpenAiApi.requiredText(body, "model");
        String model = api.dialect.chatModel(requested);
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
        int maxTokens = OpenAiApi.maxTokens(body, "max_completion_tokens", "max_tokens");
        if (maxTokens < 1) {
            throw invalid("Invalid 'max_tokens': integer below minimum value. Expected a value >= 1.", "max_tokens",
                    "integer_below_min_value");
        }
        ChatTurn turn = ChatTurn.of(api.isBaseModel(model) ? api.servedName(model) : model,
                api.answer(model, body, () -> OpenAiErrors.modelNotFound(model)), messages, maxTokens,
                ChatTurn.PromptCount.OPENAI, () -> api.ids().alnum("call_", 24));
        String id = api.ids().alnum("chatcmpl-", 29);
        long created = api.epochSecond();
        ObjectNode usage = usage(turn, n);
        if (body.path("stream").asBoolean(false)) {
            boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            return stream(turn, id, created, n, includeUsage ? usage : null);
        }
        ObjectNode out = turn.envelope(id, "chat.completion", created);
        ArrayNode choices = out.putArray("choices");
        for (int i = 0; i < n; i++) {
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", turn.text());
            if (turn.toolCalls() != null) {
                message.set("tool_calls", turn.toolCalls());
            }
            message.putNull("refusal");
            message.putArray("annotations");
            choice.putNull("logprobs");
            choice.put("finish_reason", turn.finish());
        }
        out.set("usage", usage);
        out.put("service_tier", "default");
        out.put("system_fingerprint", fingerprint);
        return Reply.ok(out);
    }

    /**
     * Per choice: a first chunk with the role, the text word by word (or the tool calls, their
     * arguments in pieces), a chunk with the finish reason; then, when asked, a chunk with the usage
     * and no choices. Every chunk has {@code usage: null} when usage is sent at the end.
     */
    private Reply stream(ChatTurn turn, String id, long created, int n, ObjectNode usage) {
        List<ObjectNode> chunks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<ObjectNode> deltas = new ArrayList<>();
            ObjectNode first = Jsons.object().put("role", "assistant");
            first.put("content", turn.text() == null ? null : "");
            deltas.add(first.putNull("refusal"));
            deltas.addAll(turn.deltas());
            deltas.add(Jsons.object());
            chunks.addAll(turn.chunks(id, created, i, deltas));
        }
        chunks.forEach(c -> {
            c.put("service_tier", "default").put("system_fingerprint", fingerprint);
            if (usage != null) {
                c.putNull("usage");
            }
        });
        if (usage != null) {
            ObjectNode last = turn.envelope(id, "chat.completion.chunk", created).put("service_tier", "default")
                    .put("system_fingerprint", fingerprint);
            last.putArray("choices");
            last.set("usage", usage);
            chunks.add(last);
        }
        return ChatTurn.stream(chunks);
    }

    private static ObjectNode usage(ChatTurn turn, int n) {
        ObjectNode u = turn.usage(n);
        u.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        u.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return u;
    }
}
