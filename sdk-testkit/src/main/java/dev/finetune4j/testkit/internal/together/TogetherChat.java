package dev.finetune4j.testkit.internal.together;

import static dev.finetune4j.testkit.internal.together.TogetherErrors.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ChatTurn;
import dev.finetune4j.testkit.internal.Emulation;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/chat/completions} in Together's shape: OpenAI's, plus {@code prompt: []} on a
 * completion, a {@code seed} per choice, and a stream whose last chunk carries the usage without
 * being asked (Together has no {@code stream_options}). A fine-tuned model answers from its
 * training data when Together would serve it serverless; otherwise the 400 Together gives a model
 * that needs a dedicated endpoint. Called under {@link TogetherApi}'s lock.
 */
final class TogetherChat {

    private final TogetherApi api;

    TogetherChat(TogetherApi api) {
        this.api = api;
    }

    Reply complete(HttpCall call) {
        ObjectNode body = TogetherApi.jsonBody(call);
        JsonNode modelNode = body.get("model");
        if (modelNode == null || !modelNode.isTextual() || modelNode.asText().isBlank()) {
            throw invalid("model is required", "model");
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw invalid("messages must be a non-empty list", "messages");
        }
        if (body.has("stream_options")) {
            throw invalid("Unknown field: stream_options", "stream_options");
        }
        int maxTokens = Emulation.maxTokens(body, "max_tokens");
        if (maxTokens < 1) {
            throw invalid("max_tokens must be at least 1, was " + maxTokens, "max_tokens");
        }
        String model = modelNode.asText();
        ChatTurn turn = ChatTurn.of(model, api.answerVia(model, body), messages, maxTokens,
                ChatTurn.PromptCount.PLAIN, () -> "call_" + api.ids().alnum("", 24));
        String id = api.ids().hex(16) + "-" + api.ids().hex(4);
        long created = api.epochSecond();
        long seed = Math.abs((long) api.ids().nextInt(Integer.MAX_VALUE)) * 7919L;
        if (body.path("stream").asBoolean(false)) {
            List<ObjectNode> deltas = new ArrayList<>();
            deltas.add(Jsons.object().put("role", "assistant").put("content", ""));
            deltas.addAll(turn.deltas());
            deltas.add(Jsons.object());
            List<ObjectNode> chunks = turn.chunks(id, created, 0, deltas);
            chunks.forEach(c -> c.putNull("usage"));
            ObjectNode last = chunks.get(chunks.size() - 1);
            last.set("usage", turn.usage(1));
            return ChatTurn.stream(chunks);
        }
        ObjectNode out = turn.envelope(id, "chat.completion", created);
        out.putArray("prompt");
        ArrayNode choices = out.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("finish_reason", turn.finish());
        choice.put("seed", seed);
        choice.putNull("logprobs");
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        message.put("content", turn.text());
        if (turn.toolCalls() != null) {
            message.set("tool_calls", turn.toolCalls());
        }
        out.set("usage", turn.usage(1));
        return Reply.ok(out);
    }
}
