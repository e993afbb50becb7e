package dev.finetune4j.eval;

import java.util.List;
import java.util.Objects;

/**
 * What a non-inferiority gate found, before anything is changed.
 *
 * @param passed whether the candidate may take over
 * @param reason one line with the figures: means, difference, its 95 % interval, the margin, agreement
 * @param problems each reason the gate refused (empty when it passed)
 * @param agreement the share of examples on which the candidate's answer scored right against the reference's
 * @param comparison the candidate against the reference
 * @param report the evaluation behind it
 */
public record GateVerdict(boolean passed, String reason, List<String> problems, double agreement,
        Comparison comparison, EvalReport report) {

    /** Checks the parts and copies the list. */
    public GateVerdict {
        Objects.requireNonNull(reason, "reason");
        problems = List.copyOf(problems);
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(report, "report");
    }
}
