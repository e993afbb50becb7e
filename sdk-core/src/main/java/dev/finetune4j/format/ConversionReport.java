package dev.finetune4j.format;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link DatasetWriter} wrote and what it could not carry over.
 *
 * <p>Counting rules: {@code examplesRead = examplesWritten + examplesSkipped}. A skipped example
 * is counted under exactly one skipping loss (the first the format checks), so the counts of the
 * {@linkplain ConversionLoss#skipsExample() skipping} losses add up to {@code examplesSkipped}.
 * A written example counts once under each detail loss it suffered, however many of its messages
 * were affected. Tags are this library's own metadata, never part of a provider format, so leaving
 * them out is not a loss.
 *
 * @param format the format written
 * @param examplesRead the examples handed to the writer
 * @param examplesWritten the examples written, one line each
 * @param examplesSkipped the examples not written because the format cannot express them
 * @param losses per loss, the number of examples affected; only losses that occurred, in
 *     {@link ConversionLoss} order; unmodifiable
 * @param notes for the first {@value #MAX_NOTES} losses, a sentence naming the example (its
 *     1-based position in the stream and its id), the messages affected and the consequence;
 *     unmodifiable
 */
public record ConversionReport(DatasetFormat format, long examplesRead, long examplesWritten,
        long examplesSkipped, Map<ConversionLoss, Long> losses, List<String> notes) {

    /** The most notes a report keeps; later losses are only counted. */
    public static final int MAX_NOTES = 100;

    /**
     * Copies the collections and checks the counts.
     *
     * @throws IllegalArgumentException if a count is negative or read is not written + skipped
     */
    public ConversionReport {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(losses, "losses");
        Objects.requireNonNull(notes, "notes");
        if (examplesWritten < 0 || examplesSkipped < 0 || examplesRead != examplesWritten + examplesSkipped) {
            throw new IllegalArgumentException("inconsistent counts: read " + examplesRead + ", written "
                    + examplesWritten + ", skipped " + examplesSkipped);
        }
        EnumMap<ConversionLoss, Long> copy = new EnumMap<>(ConversionLoss.class);
        losses.forEach((loss, count) -> {
            Objects.requireNonNull(loss, "loss");
            if (count == null || count < 0) {
                throw new IllegalArgumentException("count of " + loss.code() + " must be >= 0, was " + count);
            }
            if (count > 0) {
                copy.put(loss, count);
            }
        });
        losses = Collections.unmodifiableMap(copy);
        notes = List.copyOf(notes);
    }

    /** How many examples suffered {@code loss}; 0 when none did. */
    public long count(ConversionLoss loss) {
        return losses.getOrDefault(Objects.requireNonNull(loss, "loss"), 0L);
    }

    /** Whether every example was written with nothing dropped. */
    public boolean isLossless() {
        return examplesSkipped == 0 && losses.isEmpty();
    }
}
