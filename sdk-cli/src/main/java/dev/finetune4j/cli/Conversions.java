package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.format.ConversionLoss;
import dev.finetune4j.format.ConversionReport;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.DatasetWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
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
    static ConversionReport toFile(DatasetFormat format, Path output, Consumer<DatasetWriter> producer) {
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
                report = toStream(format, out, producer);
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
    static ConversionReport toStream(DatasetFormat format, OutputStream out, Consumer<DatasetWriter> producer) {
        DatasetWriter writer = DatasetWriter.open(format, out);
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

    /** The losses of a report, one line per loss code and the first notes; or "lossless" when something was written. */
    static void printLosses(PrintWriter out, ConversionReport report) {
        if (report.isLossless() && report.examplesWritten() > 0) {
            out.println("lossless: every example written with nothing dropped");
            return;
        }
        for (Map.Entry<ConversionLoss, Long> e : report.losses().entrySet()) {
            out.println("  " + e.getKey().code() + ": " + Reports.count(e.getValue(), "example")
                    + (e.getKey().skipsExample() ? " skipped" : " written without it"));
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
