package dev.finetune4j.job;

import dev.finetune4j.cost.CostEstimate;
import dev.finetune4j.tokens.TokenStats;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a fine-tune spec would train and cost, computed locally (no network): the dataset version's
 * training split counted with the provider's tokenizer, epochs, billed tokens and price.
 *
 * <p>Immutable.
 */
public final class JobEstimate {

    private final String provider;
    private final String model;
    private final String datasetVersionId;
    private final int datasetVersionNumber;
    private final long trainingExamples;
    private final long validationExamples;
    private final TokenStats tokens;
    private final CostEstimate cost;
    private final List<String> warnings;

    /** Creates an estimate; the library creates these. {@code cost} may be null when no price is known. */
    public JobEstimate(String provider, String model, String datasetVersionId, int datasetVersionNumber,
            long trainingExamples, long validationExamples, TokenStats tokens, CostEstimate cost,
            List<String> warnings) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.model = Objects.requireNonNull(model, "model");
        this.datasetVersionId = Objects.requireNonNull(datasetVersionId, "datasetVersionId");
        this.datasetVersionNumber = datasetVersionNumber;
        this.trainingExamples = trainingExamples;
        this.validationExamples = validationExamples;
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.cost = cost;
        this.warnings = List.copyOf(warnings);
    }

    /** The provider. */
    public String provider() {
        return provider;
    }

    /** The model that would be trained from. */
    public String model() {
        return model;
    }

    /** The dataset version's id. */
    public String datasetVersionId() {
        return datasetVersionId;
    }

    /** The dataset version's number. */
    public int datasetVersionNumber() {
        return datasetVersionNumber;
    }

    /** Examples on the training side of the split. */
    public long trainingExamples() {
        return trainingExamples;
    }

    /** Examples on the validation side (0 when validation is off). */
    public long validationExamples() {
        return validationExamples;
    }

    /** Token statistics of the training split. */
    public TokenStats tokens() {
        return tokens;
    }

    /** Epochs, billed tokens and cost; absent when the price table has no price for the model. */
    public Optional<CostEstimate> cost() {
        return Optional.ofNullable(cost);
    }

    /** Things worth knowing before paying (below the recommended minimum, approximate token counts, ...). */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "JobEstimate[" + provider + " " + model + ", " + trainingExamples + " training examples, "
                + (cost == null ? "no price" : cost.billedTokens() + " billed tokens, " + cost.cost()) + "]";
    }
}
