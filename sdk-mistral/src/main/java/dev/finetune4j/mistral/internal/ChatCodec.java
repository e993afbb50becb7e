package dev.finetune4j.mistral.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.spi.ChatCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Mistral's chat completion JSON ({@code POST /v1/chat/completions}), both ways.
 *
 * <p>Messages carry {@code role}, {@code content}, {@code tool_calls} and {@code tool_call_id}; a
 * message's {@code name} and training {@code weight} are not part of Mistral's chat request and are
 * left out. Answers may give {@code content} as a string or as a list of chunks ({@code {"type":
 * "text", "text": ...}}), and tool-call {@code arguments} as a JSON string or an object; both are
 * read.
 *
 * <p>Stateless and thread-safe.
 */
public final class ChatCodec {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChatCodec() {}

    /**
     * The request body: {@code model}, {@code messages}, {@code tools} when any, {@code temperature}
     * and {@code max_tokens} when set, and {@code stream: true} for a streamed call.
     */
    public static ObjectNode requestBody(ChatCall call, boolean stream) {
        Objects.requireNonNull(call, "call");
        ObjectNode body = NODES.objectNode();
        body.put("model", call.model());
        ArrayNode messages = body.putArray("messages");
        for (Message m : call.messages()) {
            messages.add(message(m));
        }
        if (!call.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition t : call.tools()) {
                tools.add(tool(t));
            }
        }
        call.temperatureValue().ifPresent(t -> body.put("temperature", t));
        call.maxTokensValue().ifPresent(n -> body.put("max_tokens", n));
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    private static ObjectNode message(Message m) {
        ObjectNode node = NODES.objectNode();
        node.put("role", m.role().wireName());
        m.content().ifPresent(c -> node.put("content", c));
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = node.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) {
                ObjectNode call = calls.addObject();
                call.put("id", c.id());
                call.put("type", "function");
                call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
            }
        }
        m.toolCallId().ifPresent(id -> node.put("tool_call_id", id));
        return node;
    }

    private static ObjectNode tool(ToolDefinition t) {
        ObjectNode node = NODES.objectNode();
        node.put("type", "function");
        ObjectNode function = node.putObject("function");
        function.put("name", t.name());
        t.description().ifPresent(d -> function.put("description", d));
        // Mistral's Function requires parameters; a tool without any takes an empty object schema.
        function.set("parameters", t.parametersJson().map(ChatCodec::parse)
                .orElseGet(() -> {
                    ObjectNode empty = NODES.objectNode().put("type", "object");
                    empty.putObject("properties");
                    return empty;
                }));
        return node;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            // ToolDefinition only holds JSON it has parsed itself.
            throw new IllegalStateException("tool parameters are not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * One parsed choice of an answer or of a stream chunk.
     *
     * @param text the text (of the message, or of the delta); empty when none
     * @param toolCalls the tool calls
     * @param finishReason the finish reason, or null while the stream goes on
     */
    public record Choice(String text, List<ToolCall> toolCalls, String finishReason) {}

    /**
     * The first choice of a chat answer ({@code choices[0].message}) or of a stream chunk ({@code
     * choices[0].delta}); empty when there is no choice.
     */
    public static Optional<Choice> firstChoice(JsonNode answer) {
        JsonNode choices = answer.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            return Optional.empty();
        }
        JsonNode choice = choices.get(0);
        JsonNode message = choice.has("delta") ? choice.path("delta") : choice.path("message");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : message.path("tool_calls")) {
            JsonNode fn = c.path("function");
            JsonNode args = fn.get("arguments");
            String arguments = args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString();
            calls.add(new ToolCall(Optional.ofNullable(JobCodec.text(c.get("id"))).orElse(""),
                    Optional.ofNullable(JobCodec.text(fn.get("name"))).orElse(""), arguments));
        }
        return Optional.of(new Choice(content(message.get("content")), calls, JobCodec.text(choice.get("finish_reason"))));
    }

    /** Text content: a string, or the {@code text} of every text chunk of a list, joined. */
    static String content(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode chunk : content) {
            if (chunk.isTextual()) {
                sb.append(chunk.asText());
            } else if (chunk.path("text").isTextual() && "text".equals(chunk.path("type").asText("text"))) {
                sb.append(chunk.get("text").asText());
            }
        }
        return sb.toString();
    }

    /** {@code usage.prompt_tokens} and {@code usage.completion_tokens}, or empty when the answer has no usage. */
    public static Optional<Usage> usage(JsonNode answer) {
        JsonNode usage = answer.get("usage");
        if (usage == null || !usage.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new Usage(Math.max(0, usage.path("prompt_tokens").asLong(0)),
                Math.max(0, usage.path("completion_tokens").asLong(0))));
    }
}
