package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.internal.json.ChatCompletion;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI chat-completions wire format that vLLM, TGI and Inference Endpoints serve: request
 * bodies, answers and stream chunks. Stateless.
 */
public final class ChatJson {

    private ChatJson() {}

    /** The body of {@code POST /chat/completions}; {@code stream} adds {@code stream_options.include_usage}. */
    public static ObjectNode request(ChatCall call, boolean stream) {
        ObjectNode body = Json.mapper().createObjectNode().put("model", call.model());
        ArrayNode messages = body.putArray("messages");
        for (Message m : call.messages()) {
            ObjectNode o = messages.addObject().put("role", m.role().wireName());
            if (m.content().isPresent()) {
                o.put("content", m.content().get());
            } else {
                o.putNull("content");
            }
            m.name().ifPresent(n -> o.put("name", n));
            if (!m.toolCalls().isEmpty()) {
                ArrayNode calls = o.putArray("tool_calls");
                for (ToolCall c : m.toolCalls()) {
                    calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
                            .put("name", c.name()).put("arguments", c.arguments());
                }
            }
            m.toolCallId().ifPresent(id -> o.put("tool_call_id", id));
        }
        if (!call.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition t : call.tools()) {
                ObjectNode f = tools.addObject().put("type", "function").putObject("function").put("name", t.name());
                t.description().ifPresent(d -> f.put("description", d));
                t.parametersJson().ifPresent(p -> f.set("parameters", parse(p)));
            }
        }
        call.temperatureValue().ifPresent(t -> body.put("temperature", t));
        call.maxTokensValue().ifPresent(n -> body.put("max_tokens", n));
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    /** An answer of {@code POST /chat/completions}. */
    public static ChatResult result(ChatCompletion answer, String requestId, String requestedModel) {
        List<ToolCall> calls = new ArrayList<>();
        for (ChatCompletion.RawToolCall c : answer.toolCalls()) {
            calls.add(new ToolCall(c.id() == null ? "" : c.id(), c.name() == null ? "" : c.name(),
                    c.arguments() == null ? "{}" : c.arguments()));
        }
        String finish = answer.finishReason() != null ? answer.finishReason() : calls.isEmpty() ? "stop" : "tool_calls";
        return new ChatResult(answer.content() == null ? "" : answer.content(), calls, finish,
                answer.hasUsage() ? new Usage(answer.promptTokens(), answer.completionTokens()) : Usage.NONE,
                answer.model() != null ? answer.model() : requestedModel, requestId == null ? "" : requestId);
    }

    /** The usage object, {@link Usage#NONE} when absent. */
    public static Usage usage(JsonNode usage) {
        if (!usage.isObject()) {
            return Usage.NONE;
        }
        return new Usage(Math.max(0, usage.path("prompt_tokens").asLong(0)),
                Math.max(0, usage.path("completion_tokens").asLong(0)));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool parameters are not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
