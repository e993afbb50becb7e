package dev.finetune4j.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Writes examples in their canonical JSON form: OpenAI chat fine-tuning JSONL with a fixed key
 * order, optionally followed by our {@code tags} extension. The id of an example is derived from
 * this form, so it must never change for existing data.
 */
public final class ExampleCodec {

    private static final HexFormat HEX = HexFormat.of();

    private ExampleCodec() {}

    /** The canonical JSON line of an example. */
    public static String toJson(Example example, boolean includeTags) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            write(g, example, includeTags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes one example object to a generator (no line break). */
    public static void write(JsonGenerator g, Example example, boolean includeTags) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("messages");
        for (Message m : example.messages()) {
            writeMessage(g, m);
        }
        g.writeEndArray();
        if (!example.tools().isEmpty()) {
            g.writeArrayFieldStart("tools");
            for (ToolDefinition t : example.tools()) {
                writeTool(g, t);
            }
            g.writeEndArray();
        }
        if (example.parallelToolCalls().isPresent()) {
            g.writeBooleanField("parallel_tool_calls", example.parallelToolCalls().get());
        }
        if (includeTags && !example.tags().isEmpty()) {
            g.writeObjectFieldStart("tags");
            for (Map.Entry<String, String> e : example.tags().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Writes one message in OpenAI chat form. */
    public static void writeMessage(JsonGenerator g, Message m) throws IOException {
        writeMessage(g, m, true, true);
    }

    /**
     * Writes one message in OpenAI chat form, optionally without {@code name} and {@code weight}
     * (for formats of the same shape that lack them); the key order is the canonical one.
     */
    public static void writeMessage(JsonGenerator g, Message m, boolean withName, boolean withWeight)
            throws IOException {
        writeMessage(g, m, withName, withWeight, ExampleCodec::writeToolCall);
    }

    /** Writes one tool call of a message; lets a format write a call its own way. */
    @FunctionalInterface
    public interface ToolCallWriter {
        /** Writes {@code call} as one JSON object. */
        void write(JsonGenerator g, ToolCall call) throws IOException;
    }

    /**
     * Writes one message as {@link #writeMessage(JsonGenerator, Message, boolean, boolean)} does,
     * each tool call written by {@code calls}.
     */
    public static void writeMessage(JsonGenerator g, Message m, boolean withName, boolean withWeight,
            ToolCallWriter calls) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", m.role().wireName());
        if (withName && m.name().isPresent()) {
            g.writeStringField("name", m.name().get());
        }
        if (m.content().isPresent()) {
            g.writeStringField("content", m.content().get());
        }
        if (!m.toolCalls().isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ToolCall c : m.toolCalls()) {
                calls.write(g, c);
            }
            g.writeEndArray();
        }
        if (m.toolCallId().isPresent()) {
            g.writeStringField("tool_call_id", m.toolCallId().get());
        }
        if (withWeight && m.weight().isPresent()) {
            g.writeNumberField("weight", m.weight().getAsInt());
        }
        g.writeEndObject();
    }

    /** Writes {@code {"id","type":"function","function":{"name","arguments"}}}. */
    public static void writeToolCall(JsonGenerator g, ToolCall c) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", c.name());
        g.writeStringField("arguments", c.arguments());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Writes {@code {"type":"function","function":{"name","description","parameters"}}}. */
    public static void writeTool(JsonGenerator g, ToolDefinition t) throws IOException {
        writeTool(g, t, null);
    }

    /**
     * Writes a tool as {@link #writeTool(JsonGenerator, ToolDefinition)} does, with {@code
     * defaultParameters} (compact JSON) as the parameters of a tool that has none; null leaves them
     * out.
     */
    public static void writeTool(JsonGenerator g, ToolDefinition t, String defaultParameters) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        writeToolFunction(g, t);
        if (t.parametersJson().isEmpty() && defaultParameters != null) {
            g.writeFieldName("parameters");
            g.writeRawValue(defaultParameters);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Writes the fields of a function declaration: name, description, parameters. */
    public static void writeToolFunction(JsonGenerator g, ToolDefinition t) throws IOException {
        g.writeStringField("name", t.name());
        if (t.description().isPresent()) {
            g.writeStringField("description", t.description().get());
        }
        if (t.parametersJson().isPresent()) {
            g.writeFieldName("parameters");
            g.writeRawValue(t.parametersJson().get());
        }
    }

    /** The id of an example: the first 128 bits of SHA-256 over the canonical form, as hex. */
    public static String id(Example example) {
        // The canonical line is streamed through the digest, never held: a 30 MB message costs a
        // buffer of 2 KB. Same generator, and UTF-8 encoded as OutputStreamWriter does (an unpaired
        // surrogate becomes '?'), as toJson(example, false).getBytes(UTF_8): the same id.
        Utf8Writer utf8 = DIGEST_WRITER.get();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(utf8)) {
            write(g, example, false);
        } catch (IOException | RuntimeException e) {
            utf8.digest(); // leaves the thread's writer empty for the next id
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        return HEX.formatHex(utf8.digest(), 0, 16);
    }

    /** One digest writer per thread: ids are computed on the import's worker threads. */
    private static final ThreadLocal<Utf8Writer> DIGEST_WRITER =
            ThreadLocal.withInitial(() -> new Utf8Writer(sha256()));

    /**
     * Writes the canonical JSON line of an example, UTF-8, to {@code out} (no line break): the bytes
     * of {@code toJson(example, includeTags).getBytes(UTF_8)}, without making that string or array.
     */
    public static void writeLine(OutputStream out, Example example, boolean includeTags) throws IOException {
        Utf8Writer utf8 = new Utf8Writer(out);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(utf8)) {
            write(g, example, includeTags);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The canonical JSON line of an example as UTF-8 bytes (no line break): what {@link #writeLine}
     * writes, held in an array, so an import's workers can make it and the thread that stores the
     * lines only copies it.
     */
    public static byte[] lineBytes(Example example, boolean includeTags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            writeLine(out, example, includeTags);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** SHA-256 of some bytes. */
    public static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
