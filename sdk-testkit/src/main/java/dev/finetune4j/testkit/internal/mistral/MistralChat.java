package dev.finetune4j.testkit.internal.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ChatTurn;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/chat/completions} in Mistral's shape: FastAPI's 422s for a bad request, 400
 * {@code invalid_model} for an unknown model, {@code content: ""} beside tool calls, and a stream
 * whose last content chunk carries the finish reason and the usage (tool calls in one delta).
 * Called under {@link MistralApi}'s lock.
 */
final class MistralChat {

    private final MistralApi api;

    MistralChat(MistralApi api) {
        this.api = api;
    }

    Reply complete(HttpCall call) {
        ObjectNode body = MistralApi.jsonBody(call);
        JsonNode modelNode = body.get("model");
        if (modelNode == null || modelNode.isNull()) {
            throw MistralErrors.missing("model", body);
        }
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw MistralErrors.missing("messages", body);
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw MistralErrors.unprocessable("too_short", List.of("body", "messages"),
                    "List should have at least 1 item after validation, not 0", messages);
        }
        String model = modelNode.asText();
        JsonNode max = body.get("max_tokens");
        ChatTurn turn = ChatTurn.of(model, api.answer(model, body,
                        () -> MistralErrors.of(400, "Invalid model: " + model, "invalid_model", "1500")), messages,
                max != null && max.isInt() && max.asInt() > 0 ? max.asInt() : Integer.MAX_VALUE,
                ChatTurn.PromptCount.PLAIN, () -> api.ids().alnum("", 9));
        String id = api.ids().hex(32);
        long created = api.epochSecond();
        String text = turn.text() == null ? "" : turn.text();
        if (body.path("stream").asBoolean(false)) {
            List<ObjectNode> deltas = new ArrayList<>();
            deltas.add(Jsons.object().put("role", "assistant").put("content", ""));
            if (turn.toolCalls() != null) {
                deltas.add((ObjectNode) Jsons.object().put("content", "").set("tool_calls", turn.toolCalls()));
            } else {
                deltas.addAll(turn.deltas());
            }
            List<ObjectNode> chunks = turn.chunks(id, created, 0, deltas);
            chunks.get(chunks.size() - 1).set("usage", turn.usage(1));
            return ChatTurn.stream(chunks);
        }
        ObjectNode out = turn.envelope(id, "chat.completion", created);
        out.set("usage", turn.usage(1));
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("content", text);
        message.set("tool_calls", turn.toolCalls());
        message.put("prefix", false).put("role", "assistant");
        choice.put("finish_reason", turn.finish());
        return Reply.ok(out);
    }
}
