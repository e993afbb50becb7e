package dev.finetune4j.eval;

import java.util.Objects;

/**
 * When a candidate may replace what is live: better overall on one scorer by at least
 * {@code minImprovement}, and no field worse by more than {@code maxFieldRegression}.
 * Values are fractions: 0.01 is one point.
 *
 * @param scorer the scorer deciding, e.g. {@code json-fields}
 * @param minImprovement how much better the mean must be (strictly above 0 when 0)
 * @param maxFieldRegression how much worse any single field may be
 * @param requireSignificance whether the 95 % interval of the difference must lie above zero too
 */
public record PromotionRule(String scorer, double minImprovement, double maxFieldRegression,
        boolean requireSignificance) {

    /** Checks the values. */
    public PromotionRule {
        Objects.requireNonNull(scorer, "scorer");
        if (minImprovement < 0 || maxFieldRegression < 0) {
            throw new IllegalArgumentException("minImprovement and maxFieldRegression must be >= 0");
        }
    }

    /** Overall better on {@code scorer}, no field worse by more than one point, significance not required. */
    public static PromotionRule betterWithoutFieldRegression(String scorer) {
        return new PromotionRule(scorer, 0, 0.01, false);
    }
}
