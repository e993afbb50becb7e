package dev.finetune4j.migration;

import dev.finetune4j.cost.Money;
import dev.finetune4j.job.JobEstimate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a migration would cost before anything is spent, computed locally.
 *
 * @param training the target training's estimate (tokens, epochs, cost when priced)
 * @param needsDeployment whether the target needs a deployment before the new model answers
 * @param baselineCalls how many calls recording the baseline makes on the source
 * @param baselineTokens input plus expected output tokens of those calls (counted with the source's tokenizer)
 * @param baselineCost what those calls cost at the source's fine-tuned prices, when priced
 * @param evaluationCalls how many calls evaluating the new version makes on the target
 * @param notes what could not be estimated and why (e.g. deployment price, training time)
 */
public record MigrationEstimate(JobEstimate training, boolean needsDeployment, long baselineCalls,
        long baselineTokens, Optional<Money> baselineCost, long evaluationCalls, List<String> notes) {

    /** Checks the parts and copies the list. */
    public MigrationEstimate {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(baselineCost, "baselineCost");
        notes = List.copyOf(notes);
    }
}
