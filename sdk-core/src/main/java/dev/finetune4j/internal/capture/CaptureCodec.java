package dev.finetune4j.internal.capture;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.CorruptDataException;
import dev.finetune4j.capture.Capture;
import dev.finetune4j.capture.Feedback;
import dev.finetune4j.capture.Rating;
import dev.finetune4j.capture.Redactor;
import dev.finetune4j.chat.Arm;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ServedBy;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a capture line and of a feedback record. Redaction happens here, while writing, so
 * that no unredacted text is ever serialised.
 */
final class CaptureCodec {

    private CaptureCodec() {}

    /** One capture as a line of JSON (no line break), every text passed through {@code redactor}. */
    static String write(String callId, ChatRequest request, ChatResponse response, long latencyNanos,
            Redactor redactor) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            ServedBy s = response.servedBy();
            g.writeStartObject();
            g.writeStringField("call_id", callId);
            g.writeStringField("assistant", s.assistant());
            g.writeArrayFieldStart("messages");
            for (Message m : request.messages()) {
                ExampleCodec.writeMessage(g, redact(m, redactor));
            }
            g.writeEndArray();
            if (!request.tools().isEmpty()) {
                g.writeArrayFieldStart("tools");
                for (ToolDefinition t : request.tools()) {
                    ExampleCodec.writeTool(g, t);
                }
                g.writeEndArray();
            }
            g.writeStringField("answer", redacted(response.content(), redactor));
            if (!response.toolCalls().isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ToolCall c : response.toolCalls()) {
                    ExampleCodec.writeToolCall(g, redact(c, redactor));
                }
                g.writeEndArray();
            }
            g.writeNumberField("model_version", s.modelVersion());
            g.writeNumberField("prompt_version", s.promptVersion());
            g.writeStringField("provider", s.provider());
            g.writeStringField("model", s.providerModelId());
            g.writeStringField("arm", s.arm().name().toLowerCase(java.util.Locale.ROOT));
            g.writeBooleanField("fallback", s.fallback());
            if (s.fallback()) {
                g.writeStringField("fallback_reason", s.fallbackReason());
            }
            g.writeNumberField("input_tokens", response.usage().inputTokens());
            g.writeNumberField("output_tokens", response.usage().outputTokens());
            if (response.cost().isPresent()) {
                g.writeStringField("cost", response.cost().get().amount().toPlainString());
                g.writeStringField("currency", response.cost().get().currency());
            }
            g.writeNumberField("latency_us", latencyNanos / 1000);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Message redact(Message m, Redactor r) {
        if (r == Redactor.NONE) {
            return m;   // nothing to change: no copy of every message of every capture
        }
        List<ToolCall> calls = new ArrayList<>(m.toolCalls().size());
        for (ToolCall c : m.toolCalls()) {
            calls.add(redact(c, r));
        }
        return Message.of(m.role(), m.content().map(t -> redacted(t, r)).orElse(null),
                m.name().map(t -> redacted(t, r)).orElse(null),
                m.weight().isPresent() ? m.weight().getAsInt() : null, calls, m.toolCallId().orElse(null));
    }

    private static ToolCall redact(ToolCall c, Redactor r) {
        if (r == Redactor.NONE) {
            return c;
        }
        return new ToolCall(c.id(), c.name(), redacted(c.arguments(), r));
    }

    /** The redactor's text, never null. */
    static String redacted(String text, Redactor r) {
        String out = r.redact(text);
        if (out == null) {
            throw new IllegalStateException("the redactor returned null");
        }
        return out;
    }

    /**
     * Reads one capture line.
     *
     * @param where the segment and line, for the exception
     * @throws CorruptDataException when the line is not a capture (the store verified its bytes, so
     *     this means a writer of another version or a bug, never silently skipped)
     */
    static Capture read(String line, String where) {
        try {
            JsonNode n = Json.mapper().readTree(line);
            List<Message> messages = new ArrayList<>();
            for (JsonNode m : n.get("messages")) {
                messages.add(message(m));
            }
            List<ToolDefinition> tools = new ArrayList<>();
            for (JsonNode t : n.path("tools")) {
                JsonNode f = t.get("function");
                tools.add(ToolDefinition.of(f.get("name").asText(), text(f, "description"),
                        f.has("parameters") ? f.get("parameters").toString() : null));
            }
            List<ToolCall> calls = toolCalls(n.path("tool_calls"));
            ServedBy servedBy = new ServedBy(n.get("assistant").asText(), n.get("model_version").asInt(),
                    n.get("prompt_version").asInt(), n.get("provider").asText(), n.get("model").asText(),
                    Arm.valueOf(n.get("arm").asText().toUpperCase(java.util.Locale.ROOT)),
                    n.get("fallback").asBoolean(), n.path("fallback_reason").asText(""));
            Money cost = n.has("cost") ? new Money(new BigDecimal(n.get("cost").asText()), n.get("currency").asText())
                    : null;
            String callId = n.get("call_id").asText();
            return new Capture(callId, Instant.ofEpochMilli(CallIds.millis(callId)), messages, tools,
                    n.get("answer").asText(), calls, servedBy,
                    new Usage(n.get("input_tokens").asLong(), n.get("output_tokens").asLong()), cost,
                    Duration.ofNanos(n.get("latency_us").asLong() * 1000), null);
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException(where, "not a capture record: " + e.getMessage(), e);
        }
    }

    private static Message message(JsonNode m) {
        Role role = Role.fromWireName(m.get("role").asText())
                .orElseThrow(() -> new IllegalArgumentException("unknown role " + m.get("role")));
        return Message.of(role, text(m, "content"), text(m, "name"),
                m.has("weight") ? m.get("weight").asInt() : null, toolCalls(m.path("tool_calls")),
                text(m, "tool_call_id"));
    }

    private static List<ToolCall> toolCalls(JsonNode array) {
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : array) {
            JsonNode f = c.get("function");
            calls.add(new ToolCall(c.get("id").asText(), f.get("name").asText(), f.get("arguments").asText()));
        }
        return calls;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A feedback record: the call, when it was given and its parts. */
    static String writeFeedback(String callId, String assistant, Instant at, Feedback f) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("call_id", callId);
            g.writeStringField("assistant", assistant);
            g.writeStringField("time", at.toString());
            if (f.rating().isPresent()) {
                g.writeStringField("rating", f.rating().get().wireName());
            }
            if (f.score().isPresent()) {
                g.writeNumberField("score", f.score().getAsDouble());
            }
            if (f.correction().isPresent()) {
                g.writeStringField("correction", f.correction().get());
            }
            if (f.note().isPresent()) {
                g.writeStringField("note", f.note().get());
            }
            if (!f.tags().isEmpty()) {
                g.writeObjectFieldStart("tags");
                for (Map.Entry<String, String> e : f.tags().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Reads a feedback record.
     *
     * @throws CorruptDataException when it is not one
     */
    static Feedback readFeedback(String json, String where) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            Map<String, String> tags = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("tags").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                tags.put(e.getKey(), e.getValue().asText());
            }
            Rating rating = n.has("rating") ? Rating.valueOf(n.get("rating").asText().toUpperCase(java.util.Locale.ROOT))
                    : null;
            return Feedback.of(rating, n.has("score") ? n.get("score").asDouble() : null, text(n, "correction"),
                    text(n, "note"), tags);
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException(where, "not a feedback record: " + e.getMessage(), e);
        }
    }
}
