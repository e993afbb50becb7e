package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.ValidationReport;
import dev.finetune4j.format.ConversionLoss;
import dev.finetune4j.format.ConversionReport;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.DatasetWriter;
import dev.finetune4j.format.WriterOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Writes examples with a {@link DatasetWriter} to a file or stdout, and renders its report. */
final class Conversions {

    /** Notes shown in human output; the JSON document carries every note the report kept. */
    private static final int SHOWN_NOTES = 10;

    private Conversions() {}

    /**
     * Writes to {@code output} through a temporary file in the same directory, moved into place
     * when complete, so a failure never leaves half a file behind.
     *
     * @param producer hands every example to the writer
     */
    static ConversionReport toFile(DatasetFormat format, WriterOptions options, Path output,
            Consumer<DatasetWriter> producer) {
        Path absolute = output.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new InputException("cannot write " + output + ": no such directory " + dir);
        }
        if (Files.isDirectory(absolute)) {
            throw new InputException("cannot write " + output + ": it is a directory");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
            ConversionReport report;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                report = toStream(format, options, out, producer);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // best effort: the temporary file is hidden and named after the output
                }
            }
        }
    }

    /** Writes to a stream that stays open (stdout). */
    static ConversionReport toStream(DatasetFormat format, WriterOptions options, OutputStream out,
            Consumer<DatasetWriter> producer) {
        DatasetWriter writer = DatasetWriter.open(format, out, options);
        try {
            producer.accept(writer);
        } finally {
            // flushes the buffered lines; the stream stays open
            writer.close();
        }
        return writer.report();
    }

    /** {@code "examples_read", "examples_written", "examples_skipped", "losses": {code: n}, "notes": [...]}. */
    static void putReport(ObjectNode doc, ConversionReport report) {
        doc.put("examples_read", report.examplesRead());
        doc.put("examples_written", report.examplesWritten());
        doc.put("examples_skipped", report.examplesSkipped());
        ObjectNode losses = doc.putObject("losses");
        for (Map.Entry<ConversionLoss, Long> e : report.losses().entrySet()) {
            losses.put(e.getKey().code(), e.getValue());
        }
        ArrayNode notes = doc.putArray("notes");
        report.notes().forEach(notes::add);
    }

    /**
     * The warnings whose lines were read with a change, so that what is written differs from the
     * line although the writer lost nothing: legacy function calling converted to tools, unknown
     * top-level keys left out.
     */
    private static final Set<IssueCode> INPUT_CHANGES =
            EnumSet.of(IssueCode.LEGACY_FUNCTIONS_CONVERTED, IssueCode.EXAMPLE_UNRECOGNIZED_KEY);

    /** How many lines each changing warning of {@link #INPUT_CHANGES} concerned, in code order. */
    static Map<IssueCode, Long> inputChanges(ValidationReport input) {
        Map<IssueCode, Long> changes = new EnumMap<>(IssueCode.class);
        for (IssueCode code : INPUT_CHANGES) {
            if (input.count(code) > 0) {
                changes.put(code, input.count(code));
            }
        }
        return changes;
    }

    /** {@code "input_changes": {code: lines}} and {@code "lossless"}: nothing changed on reading or dropped on writing. */
    static void putInputChanges(ObjectNode doc, Map<IssueCode, Long> changes, ConversionReport report) {
        ObjectNode node = doc.putObject("input_changes");
        changes.forEach((code, n) -> node.put(code.code(), n));
        doc.put("lossless", changes.isEmpty() && report.isLossless());
    }

    /** The losses of a report, one line per loss code and the first notes; or "lossless" when something was written. */
    static void printLosses(PrintWriter out, ConversionReport report) {
        printLosses(out, report, Map.of());
    }

    /**
     * The lines changed on reading, then the losses of writing; "lossless" only when nothing was
     * changed, dropped or skipped and something was written.
     */
    static void printLosses(PrintWriter out, ConversionReport report, Map<IssueCode, Long> inputChanges) {
        for (Map.Entry<IssueCode, Long> e : inputChanges.entrySet()) {
            out.println("  " + e.getKey().code() + ": " + Reports.count(e.getValue(), "line")
                    + (e.getKey() == IssueCode.LEGACY_FUNCTIONS_CONVERTED
                            ? " read with functions / function_call / role function converted to tools / tool_calls / tool"
                            : " read without their unknown top-level keys"));
        }
        if (report.isLossless() && report.examplesWritten() > 0 && inputChanges.isEmpty()) {
            out.println("lossless: every example written with nothing dropped");
            return;
        }
        for (Map.Entry<ConversionLoss, Long> e : report.losses().entrySet()) {
            out.println("  " + e.getKey().code() + ": " + Reports.count(e.getValue(), "example")
                    + (e.getKey().skipsExample() ? " skipped"
                            : e.getKey() == ConversionLoss.TOOL_CALL_IDS_REWRITTEN ? " written with it"
                            : " written without it"));
        }
        int shown = Math.min(SHOWN_NOTES, report.notes().size());
        for (int i = 0; i < shown; i++) {
            out.println("  " + report.notes().get(i));
        }
        if (report.notes().size() > shown) {
            out.println("  ... " + (report.notes().size() - shown) + " more notes (--json lists them)");
        }
    }
}
