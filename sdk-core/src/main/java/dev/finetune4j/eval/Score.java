package dev.finetune4j.eval;

import java.util.Map;
import java.util.TreeMap;

/**
 * How one answer scored.
 *
 * @param value from 0 (wrong) to 1 (right); for field scorers the share of expected fields right
 * @param fields per-field correctness for structured answers (field name to right/wrong); empty otherwise
 * @param parseable false when the answer could not be read as the scorer expects (e.g. invalid JSON)
 */
public record Score(double value, Map<String, Boolean> fields, boolean parseable) {

    /** Checks and copies. */
    public Score {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("value must be from 0 to 1, was " + value);
        }
        fields = java.util.Collections.unmodifiableMap(new TreeMap<>(fields));
    }

    /** A plain right (1) or wrong (0). */
    public static Score of(boolean right) {
        return new Score(right ? 1 : 0, Map.of(), true);
    }

    /** Whether the answer counts as right (value 1). */
    public boolean right() {
        return value >= 1;
    }
}
