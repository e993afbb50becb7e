package dev.finetune4j.eval;

import java.util.Map;
import java.util.TreeMap;

/**
 * One target's results for one scorer.
 *
 * @param target the target
 * @param scorer the scorer's name
 * @param mean the mean score over the examples (failed calls count as 0)
 * @param right examples scored fully right
 * @param examples examples scored
 * @param unparseable answers the scorer could not read (e.g. invalid JSON)
 * @param failedCalls calls that failed (provider errors) and scored 0
 * @param fields per-field accuracy for structured scorers
 */
public record TargetSummary(EvalTarget target, String scorer, double mean, long right, long examples,
        long unparseable, long failedCalls, Map<String, FieldAccuracy> fields) {

    /** Copies the map, sorted by field name. */
    public TargetSummary {
        fields = java.util.Collections.unmodifiableMap(new TreeMap<>(fields));
    }
}
