package dev.finetune4j.dataset;

import dev.finetune4j.FineTuneException;
import dev.finetune4j.ValidationException;
import dev.finetune4j.internal.validate.ImportRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads and validates JSONL training files as a stream: the file is never loaded whole, every line
 * gets its number and stable issue codes, bad lines never stop the good ones, and duplicates
 * (the same conversation again) are reported and skipped.
 *
 * <p>Thread-safe: every call is independent.
 */
public final class JsonlReader {

    private JsonlReader() {}

    /**
     * Validates a file without keeping its examples.
     *
     * @throws FineTuneException when the file cannot be read
     */
    public static ValidationReport validate(Path file, ImportOptions options) {
        return read(file, options, e -> { });
    }

    /**
     * Reads a file, handing accepted examples to {@code sink} in file order.
     *
     * <p>In strict mode the sink may already have received examples when a later line fails; the
     * call then throws. Use a {@link Dataset} import for all-or-nothing storage.
     *
     * @throws ValidationException in strict mode when any line has an error
     * @throws FineTuneException when the file cannot be read
     */
    public static ValidationReport read(Path file, ImportOptions options, Consumer<ReadExample> sink) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, options, sink);
        } catch (IOException e) {
            throw new FineTuneException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a stream (not closed here), handing accepted examples to {@code sink} in order.
     *
     * @throws ValidationException in strict mode when any line has an error
     */
    public static ValidationReport read(InputStream in, ImportOptions options, Consumer<ReadExample> sink) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(sink, "sink");
        ValidationReport report = new ImportRun(options).run(in, sink);
        if (options.strict() && report.hasErrors()) {
            throw strictFailure(report);
        }
        return report;
    }

    static ValidationException strictFailure(ValidationReport report) {
        ValidationIssue first = report.errors().isEmpty() ? null : report.errors().get(0);
        return new ValidationException("the input has " + report.invalid() + " invalid line(s)"
                + (first == null ? "" : "; first: " + first), report);
    }
}
