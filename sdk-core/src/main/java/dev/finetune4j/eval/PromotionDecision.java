package dev.finetune4j.eval;

import dev.finetune4j.assistant.Selection;
import java.util.Objects;

/**
 * What a promotion gate decided.
 *
 * @param promoted whether the candidate was activated
 * @param reason why, with the numbers
 * @param report the evaluation behind the decision
 * @param comparison the comparison the rule was applied to
 * @param selection the selection after the decision (unchanged when not promoted)
 */
public record PromotionDecision(boolean promoted, String reason, EvalReport report, Comparison comparison,
        Selection selection) {

    /** Checks the parts. */
    public PromotionDecision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(selection, "selection");
    }
}
