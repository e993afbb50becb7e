package dev.finetune4j.format;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.internal.format.FormatEncoder;
import dev.finetune4j.internal.format.LossCollector;
import dev.finetune4j.internal.json.Json;
import java.io.BufferedOutputStream;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes examples as JSON Lines of one {@link DatasetFormat}, one example per line (UTF-8, each
 * line ending in {@code '\n'}), and reports what the format could not hold.
 *
 * <p>Streaming: memory does not grow with the number of examples; the writer keeps counters, at
 * most {@value ConversionReport#MAX_NOTES} notes and a buffer of one line. A line reaches the
 * stream whole or not at all.
 *
 * <p>What each format keeps (details in the {@link ConversionLoss} codes of the report):
 * <ul>
 *   <li>{@link DatasetFormat#OPENAI}: the canonical form of {@link Example#toJson()}; lossless.
 *   <li>{@link DatasetFormat#MISTRAL}: the OpenAI shape without {@code name} and
 *       {@code parallel_tool_calls}; {@code weight} is kept (honoured by mistral-finetune; whether
 *       the hosted API honours it is unverified); tool call ids Mistral refuses (it wants exactly 9
 *       letters and digits) are rewritten consistently and reported. Mistral's other content rules
 *       are checked by validation, not repaired here.
 *   <li>{@link DatasetFormat#HF_MESSAGES}: {@code {"messages","tools"?}} in the OpenAI shape without
 *       {@code name} and {@code weight} (a weight-0 turn becomes trained); tool call arguments are
 *       JSON objects, as Transformers chat templates expect, or strings with
 *       {@link WriterOptions.ToolArguments#STRING}.
 *   <li>{@link DatasetFormat#HF_PROMPT_COMPLETION}: {@code {"prompt","completion","tools"?}}; the
 *       completion is the last assistant message, everything before it is the untrained prompt,
 *       messages after it are dropped; tool call arguments as for hf-messages.
 *   <li>{@link DatasetFormat#ALPACA}: {@code {"instruction","input","output","system"?}} for
 *       single-turn examples only: instruction = user, input = {@code ""}, output = assistant, and
 *       the system message, if any, in LLaMA-Factory's {@code system} column.
 *   <li>{@link DatasetFormat#VERTEX_GEMINI}: {@code {"systemInstruction"?,"contents","tools"?}}
 *       with assistant as {@code model}, contents starting with a user turn and alternating (an
 *       example without a user message is skipped, as alpaca and bedrock-claude skip it); tool calls
 *       and results become
 *       {@code functionCall}/{@code functionResponse} parts (best effort, not confirmed against
 *       Vertex validation).
 *   <li>{@link DatasetFormat#BEDROCK_CLAUDE}: {@code {"system"?,"messages"}} of strictly
 *       alternating user/assistant text; examples with tools are skipped.
 * </ul>
 * Tags are never written: they are this library's metadata, not part of any provider format, so
 * leaving them out is not reported as a loss.
 *
 * <p>The writer does not own the stream: it buffers lines and {@link #close()} flushes them and
 * the stream but leaves the stream open, so the caller closes what it opened. Not thread-safe.
 *
 * <pre>{@code
 * try (OutputStream out = Files.newOutputStream(path);
 *      DatasetWriter writer = DatasetWriter.open(DatasetFormat.ALPACA, out)) {
 *     examples.forEach(writer::write);
 *     ConversionReport report = writer.report();
 * }
 * }</pre>
 */
public final class DatasetWriter implements AutoCloseable {

    /** A line buffer that grew beyond this is dropped after use rather than kept for the next. */
    private static final int KEPT_BUFFER_CHARS = 1 << 20;

    private final DatasetFormat format;
    private final WriterOptions options;
    private final OutputStream out;
    private final FormatEncoder encoder;
    private final LossCollector losses = new LossCollector();
    private final long[] counts = new long[ConversionLoss.values().length];
    private final List<String> notes = new ArrayList<>();
    // Lines are generated as text and encoded here rather than by Jackson's UTF-8 generator:
    // that one escapes emoji as surrogate pairs, or, with COMBINE_UNICODE_SURROGATES_IN_UTF8,
    // silently merges an unpaired surrogate with the next character. This way the bytes equal
    // those of Example.toJson(), and invalid text is refused.
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder();
    private CharArrayWriter line = new CharArrayWriter(1024);
    private long read;
    private long written;
    private long skipped;
    private boolean closed;

    private DatasetWriter(DatasetFormat format, OutputStream out, WriterOptions options) {
        this.format = format;
        this.options = options;
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.encoder = FormatEncoder.forFormat(format, options);
    }

    /**
     * A writer of {@code format} onto {@code out} with {@link WriterOptions#defaults()}.
     *
     * @param format the format to write; every format can be written
     * @param out where the lines go; written in blocks, flushed by {@link #close()}, never closed
     * @throws NullPointerException if an argument is null
     */
    public static DatasetWriter open(DatasetFormat format, OutputStream out) {
        return open(format, out, WriterOptions.defaults());
    }

    /**
     * A writer of {@code format} onto {@code out} with {@code options}, for the formats that can
     * write a part in more than one way.
     *
     * @throws NullPointerException if an argument is null
     */
    public static DatasetWriter open(DatasetFormat format, OutputStream out, WriterOptions options) {
        return new DatasetWriter(Objects.requireNonNull(format, "format"), Objects.requireNonNull(out, "out"),
                Objects.requireNonNull(options, "options"));
    }

    /** The options this writer writes with. */
    public WriterOptions options() {
        return options;
    }

    /** The format this writer writes. */
    public DatasetFormat format() {
        return format;
    }

    /**
     * Converts and writes one example as one line, or skips it when the format cannot express it;
     * either way the outcome is counted in the {@link #report()}.
     *
     * @return {@code true} if a line was written, {@code false} if the example was skipped
     * @throws NullPointerException if {@code example} is null
     * @throws IllegalStateException if the writer is closed
     * @throws IllegalArgumentException if the example's text is not valid Unicode (an unpaired
     *     surrogate) and so cannot be encoded as UTF-8; nothing is written and nothing counted
     * @throws UncheckedIOException if the stream fails (a failure may also surface only at
     *     {@link #close()}, since lines are buffered)
     */
    public boolean write(Example example) {
        Objects.requireNonNull(example, "example");
        if (closed) {
            throw new IllegalStateException("this " + format.id() + " writer is closed");
        }
        losses.clear();
        line.reset();
        boolean ok;
        try (JsonGenerator g = Json.mapper().createGenerator(line)) {
            ok = encoder.encode(example, g, losses);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding example " + (read + 1) + " as " + format.id() + " failed", e);
        }
        ByteBuffer bytes = null;
        if (ok) {
            line.write('\n');
            try {
                bytes = utf8.encode(CharBuffer.wrap(line.toCharArray()));
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("example " + (read + 1) + " (id " + example.id()
                        + ") cannot be written as " + format.id() + ": its text contains an unpaired UTF-16 "
                        + "surrogate, which is not valid Unicode", e);
            } finally {
                if (line.size() > KEPT_BUFFER_CHARS) {
                    line = new CharArrayWriter(1024);
                }
            }
        }
        read++;
        if (ok) {
            try {
                out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            } catch (IOException e) {
                throw new UncheckedIOException("writing example " + read + " failed", e);
            }
            written++;
            for (Map.Entry<ConversionLoss, String> loss : losses.dropped().entrySet()) {
                count(loss.getKey(), example, loss.getValue());
            }
        } else {
            skipped++;
            count(losses.skipped(), example, "skipped: " + losses.skipDetail());
        }
        return ok;
    }

    private void count(ConversionLoss loss, Example example, String detail) {
        counts[loss.ordinal()]++;
        if (notes.size() < ConversionReport.MAX_NOTES) {
            notes.add("example " + read + " (id " + example.id() + "): " + detail);
        }
    }

    /**
     * What has been written and lost so far (a snapshot; may be called before and after
     * {@link #close()}).
     */
    public ConversionReport report() {
        Map<ConversionLoss, Long> map = new EnumMap<>(ConversionLoss.class);
        for (ConversionLoss loss : ConversionLoss.values()) {
            if (counts[loss.ordinal()] > 0) {
                map.put(loss, counts[loss.ordinal()]);
            }
        }
        return new ConversionReport(format, read, written, skipped, map, notes);
    }

    /**
     * Writes the buffered lines, flushes the stream and stops accepting examples; the stream stays
     * open. Calling it again does nothing.
     *
     * @throws UncheckedIOException if flushing fails
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("flushing the " + format.id() + " output failed", e);
        }
    }
}
