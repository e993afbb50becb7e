package dev.finetune4j.job;

import dev.finetune4j.cost.CostEstimate;
import dev.finetune4j.cost.PriceQuote;
import dev.finetune4j.tokens.TokenStats;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a fine-tune spec would train and cost, computed locally (no network): the dataset version's
 * training split counted with the provider's tokenizer, epochs, billed tokens and price; and, from a
 * provider that prices jobs on request ({@link dev.finetune4j.spi.Capability#PRICE_QUOTE}), the
 * provider's own {@link #quote()} when one was asked ({@link FineTuneJobs#quote}, or a submission).
 *
 * <p>Immutable and thread-safe; equal when every field is equal. A class with a {@link #builder()}
 * rather than a public constructor, so that a field can be added without breaking callers.
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
    private final PriceQuote quote;
    private final List<String> warnings;

    private JobEstimate(Builder b) {
        this.provider = Objects.requireNonNull(b.provider, "provider");
        this.model = Objects.requireNonNull(b.model, "model");
        this.datasetVersionId = Objects.requireNonNull(b.datasetVersionId, "datasetVersionId");
        this.datasetVersionNumber = b.datasetVersionNumber;
        this.trainingExamples = b.trainingExamples;
        this.validationExamples = b.validationExamples;
        this.tokens = Objects.requireNonNull(b.tokens, "tokens");
        this.cost = b.cost;
        this.quote = b.quote;
        this.warnings = List.copyOf(b.warnings);
        if (trainingExamples < 0 || validationExamples < 0) {
            throw new IllegalArgumentException("example counts must not be negative, were " + trainingExamples
                    + " and " + validationExamples);
        }
    }

    /**
     * A builder with no field set; {@code provider}, {@code model}, {@code datasetVersion} and
     * {@code tokens} are required. The library builds estimates; tests and custom providers may too.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this estimate's fields, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
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

    /**
     * The provider's own price for the job, asked after the upload and before the create; absent
     * for a local estimate, for a provider that does not quote, or when the provider could not.
     */
    public Optional<PriceQuote> quote() {
        return Optional.ofNullable(quote);
    }

    /** Things worth knowing before paying (below the recommended minimum, approximate token counts, ...). */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "JobEstimate[" + provider + " " + model + ", " + trainingExamples + " training examples, "
                + (cost == null ? "no price" : cost.billedTokens() + " billed tokens, " + cost.cost())
                + (quote == null ? "" : ", quoted " + quote.price()) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobEstimate e && provider.equals(e.provider) && model.equals(e.model)
                && datasetVersionId.equals(e.datasetVersionId) && datasetVersionNumber == e.datasetVersionNumber
                && trainingExamples == e.trainingExamples && validationExamples == e.validationExamples
                && tokens.equals(e.tokens) && Objects.equals(cost, e.cost) && Objects.equals(quote, e.quote)
                && warnings.equals(e.warnings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, model, datasetVersionId, datasetVersionNumber, trainingExamples,
                validationExamples, tokens, cost, quote, warnings);
    }

    /** Builds a {@link JobEstimate}. Not thread-safe; {@link #build()} checks the fields. */
    public static final class Builder {

        private String provider;
        private String model;
        private String datasetVersionId;
        private int datasetVersionNumber;
        private long trainingExamples;
        private long validationExamples;
        private TokenStats tokens;
        private CostEstimate cost;
        private PriceQuote quote;
        private List<String> warnings = List.of();

        private Builder() {
        }

        private Builder(JobEstimate e) {
            provider = e.provider;
            model = e.model;
            datasetVersionId = e.datasetVersionId;
            datasetVersionNumber = e.datasetVersionNumber;
            trainingExamples = e.trainingExamples;
            validationExamples = e.validationExamples;
            tokens = e.tokens;
            cost = e.cost;
            quote = e.quote;
            warnings = e.warnings;
        }

        /** The provider (required). */
        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        /** The model that would be trained from (required). */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The dataset version's id and number (required). */
        public Builder datasetVersion(String id, int number) {
            this.datasetVersionId = id;
            this.datasetVersionNumber = number;
            return this;
        }

        /** The examples on the training and validation sides of the split (0, 0). */
        public Builder examples(long training, long validation) {
            this.trainingExamples = training;
            this.validationExamples = validation;
            return this;
        }

        /** Token statistics of the training split (required). */
        public Builder tokens(TokenStats tokens) {
            this.tokens = tokens;
            return this;
        }

        /** The cost; null when the price table has no price for the model (null). */
        public Builder cost(CostEstimate cost) {
            this.cost = cost;
            return this;
        }

        /** The provider's own quote; null when there is none (null). */
        public Builder quote(PriceQuote quote) {
            this.quote = quote;
            return this;
        }

        /** Things worth knowing before paying (none); the list is copied. */
        public Builder warnings(List<String> warnings) {
            this.warnings = List.copyOf(warnings);
            return this;
        }

        /**
         * The estimate.
         *
         * @throws NullPointerException naming a required field that was not set
         * @throws IllegalArgumentException when an example count is negative
         */
        public JobEstimate build() {
            return new JobEstimate(this);
        }
    }
}
