package dev.finetune4j.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.chat.ResponseFormat;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.spi.ChatCall;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes the body of an OpenAI-style {@code POST /chat/completions} straight to bytes (no tree:
 * this is on every chat call), in the wire form a {@link Wire} describes.
 */
public final class ChatBody {

    private ChatBody() {}

    /**
     * What differs between servers that speak the protocol.
     *
     * @param maxTokensField the name the token limit goes under ({@code max_tokens}, {@code
     *     max_completion_tokens})
     * @param seedField the name the seed goes under ({@code seed}, Mistral's {@code random_seed})
     * @param sendName whether a message's {@code name} is sent
     * @param defaultToolParameters the parameters schema (compact JSON) of a tool that has none, or
     *     null to leave {@code parameters} out
     * @param streamUsage whether a stream asks for usage ({@code stream_options.include_usage})
     * @param fields fields every call carries, unless the call writes the same name itself
     */
    public record Wire(String maxTokensField, String seedField, boolean sendName, String defaultToolParameters,
            boolean streamUsage, Map<String, Object> fields) {

        /** Checks the parts. */
        public Wire {
            Objects.requireNonNull(maxTokensField, "maxTokensField");
            Objects.requireNonNull(seedField, "seedField");
            Objects.requireNonNull(fields, "fields");
        }
    }

    /**
     * The body of one call.
     *
     * @param stream whether to ask for a stream of events
     * @throws IllegalArgumentException when one of the call's extra fields names a field written
     *     from the call itself
     */
    public static byte[] write(ChatCall call, Wire wire, boolean stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        Set<String> written = new HashSet<>();
        ChatOptions o = call.options();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            field(g, written, "model").writeString(call.model());
            field(g, written, "messages").writeStartArray();
            for (Message m : call.messages()) {
                // the training file's message form, without the training-only weight
                ExampleCodec.writeMessage(g, m, wire.sendName(), false);
            }
            g.writeEndArray();
            if (!call.tools().isEmpty()) {
                field(g, written, "tools").writeStartArray();
                for (ToolDefinition t : call.tools()) {
                    ExampleCodec.writeTool(g, t, wire.defaultToolParameters());
                }
                g.writeEndArray();
            }
            if (o.temperature().isPresent()) {
                field(g, written, "temperature").writeNumber(o.temperature().getAsDouble());
            }
            if (o.topP().isPresent()) {
                field(g, written, "top_p").writeNumber(o.topP().getAsDouble());
            }
            if (o.maxTokens().isPresent()) {
                field(g, written, wire.maxTokensField()).writeNumber(o.maxTokens().getAsInt());
            }
            if (!o.stop().isEmpty()) {
                field(g, written, "stop").writeStartArray();
                for (String s : o.stop()) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
            if (o.seed().isPresent()) {
                field(g, written, wire.seedField()).writeNumber(o.seed().getAsLong());
            }
            if (o.responseFormat().isPresent()) {
                responseFormat(field(g, written, "response_format"), o.responseFormat().get());
            }
            if (stream) {
                field(g, written, "stream").writeBoolean(true);
                if (wire.streamUsage()) {
                    field(g, written, "stream_options").writeStartObject();
                    g.writeBooleanField("include_usage", true);
                    g.writeEndObject();
                }
            }
            for (String name : o.extraFields().keySet()) {
                if (written.contains(name)) {
                    throw new IllegalArgumentException("extra field '" + name + "' names a field the chat request "
                            + "already has from the call's own options; set it through them instead");
                }
            }
            for (Map.Entry<String, Object> f : wire.fields().entrySet()) {
                if (!written.contains(f.getKey()) && !o.extraFields().containsKey(f.getKey())) {
                    g.writeFieldName(f.getKey());
                    JsonValues.write(g, f.getValue());
                }
            }
            for (Map.Entry<String, Object> f : o.extraFields().entrySet()) {
                g.writeFieldName(f.getKey());
                JsonValues.write(g, f.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            // a generator over a byte array does not fail on I/O
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static JsonGenerator field(JsonGenerator g, Set<String> written, String name) throws IOException {
        written.add(name);
        g.writeFieldName(name);
        return g;
    }

    private static void responseFormat(JsonGenerator g, ResponseFormat f) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", f.type().wireName());
        if (f.type() == ResponseFormat.Type.JSON_SCHEMA) {
            g.writeObjectFieldStart("json_schema");
            g.writeStringField("name", f.schemaName().orElseThrow());
            g.writeFieldName("schema");
            g.writeRawValue(f.schemaJson().orElseThrow());
            g.writeBooleanField("strict", f.strict());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
