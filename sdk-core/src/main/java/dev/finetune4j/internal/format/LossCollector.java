package dev.finetune4j.internal.format;

import dev.finetune4j.format.ConversionLoss;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The losses of one example while it is being converted: at most one skip, and one note per
 * dropped detail. Reused from example to example; not thread-safe.
 */
public final class LossCollector {

    private final EnumMap<ConversionLoss, String> dropped = new EnumMap<>(ConversionLoss.class);
    private ConversionLoss skip;
    private String skipDetail;

    /** Forgets everything, ready for the next example. */
    public void clear() {
        dropped.clear();
        skip = null;
        skipDetail = null;
    }

    /**
     * Records a dropped detail; a second detail with the same loss is ignored (encoders describe
     * all affected messages in one sentence).
     *
     * @throws IllegalArgumentException if {@code loss} skips examples
     */
    public void drop(ConversionLoss loss, String detail) {
        if (loss.skipsExample()) {
            throw new IllegalArgumentException(loss.code() + " skips the example; use skip()");
        }
        dropped.putIfAbsent(loss, Objects.requireNonNull(detail, "detail"));
    }

    /**
     * Records why the example cannot be written; only the first reason is kept.
     *
     * @throws IllegalArgumentException if {@code loss} does not skip examples
     */
    public void skip(ConversionLoss loss, String detail) {
        if (!loss.skipsExample()) {
            throw new IllegalArgumentException(loss.code() + " does not skip the example; use drop()");
        }
        if (skip == null) {
            skip = loss;
            skipDetail = Objects.requireNonNull(detail, "detail");
        }
    }

    /** The reason the example is skipped, or {@code null} when it is written. */
    public ConversionLoss skipped() {
        return skip;
    }

    /** The sentence explaining the skip, or {@code null}. */
    public String skipDetail() {
        return skipDetail;
    }

    /** The dropped details, in {@link ConversionLoss} order. */
    public Map<ConversionLoss, String> dropped() {
        return dropped;
    }
}
