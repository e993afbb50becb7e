package dev.finetune4j.eval;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * When a replacement may take over although it is not better: it is not worse than the reference
 * (typically a {@link Baseline} of the model being replaced) by more than {@code margin} on one
 * scorer at 95 % confidence — the low end of the 95 % paired-bootstrap interval of the difference
 * lies above {@code -margin} —, no field is worse by more than its own margin, and its answers agree
 * with the reference's on at least {@code minAgreement} of the examples. Values are fractions: 0.02
 * is two points.
 *
 * @param scorer the scorer deciding, e.g. {@code json-fields}
 * @param margin how much worse the mean may be at the interval's low end (default 0.02)
 * @param fieldMargin how much worse any field may be, unless {@code fieldMargins} names it (default 0.02)
 * @param fieldMargins margins for named fields, overriding {@code fieldMargin}
 * @param minAgreement the least share of examples on which the candidate's answer scores right
 *     against the reference's answer (0 = reported, not required)
 */
public record NonInferiorityRule(String scorer, double margin, double fieldMargin, Map<String, Double> fieldMargins,
        double minAgreement) {

    /** The default margin: two points. */
    public static final double DEFAULT_MARGIN = 0.02;

    /** Checks the values and copies the map. */
    public NonInferiorityRule {
        Objects.requireNonNull(scorer, "scorer");
        if (margin < 0 || fieldMargin < 0 || minAgreement < 0 || minAgreement > 1) {
            throw new IllegalArgumentException("margins must be >= 0 and minAgreement 0 to 1, were " + margin + ", "
                    + fieldMargin + " and " + minAgreement);
        }
        fieldMargins.forEach((field, m) -> {
            if (m == null || m < 0) {
                throw new IllegalArgumentException("the margin of field '" + field + "' must be >= 0, was " + m);
            }
        });
        fieldMargins = java.util.Collections.unmodifiableMap(new TreeMap<>(fieldMargins));
    }

    /** Two points overall and per field, agreement reported but not required. */
    public static NonInferiorityRule of(String scorer) {
        return new NonInferiorityRule(scorer, DEFAULT_MARGIN, DEFAULT_MARGIN, Map.of(), 0);
    }

    /** This rule with another overall margin. */
    public NonInferiorityRule withMargin(double newMargin) {
        return new NonInferiorityRule(scorer, newMargin, fieldMargin, fieldMargins, minAgreement);
    }

    /** This rule with a margin of its own for one field. */
    public NonInferiorityRule withFieldMargin(String field, double fieldMarginForIt) {
        Map<String, Double> m = new TreeMap<>(fieldMargins);
        m.put(Objects.requireNonNull(field, "field"), fieldMarginForIt);
        return new NonInferiorityRule(scorer, margin, fieldMargin, m, minAgreement);
    }

    /** This rule requiring at least this share of agreement with the reference's answers. */
    public NonInferiorityRule withMinAgreement(double share) {
        return new NonInferiorityRule(scorer, margin, fieldMargin, fieldMargins, share);
    }

    /** The margin that applies to a field. */
    public double marginOf(String field) {
        return fieldMargins.getOrDefault(field, fieldMargin);
    }
}
