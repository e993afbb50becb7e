package dev.finetune4j.cost;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What a training job is expected to cost before it runs, computed as OpenAI's cookbook does:
 * {@code billedTokens = epochs × tokensPerEpoch}, where {@code tokensPerEpoch} is the sum over
 * examples of {@code min(maxTokensPerExample, tokens)}, and
 * {@code cost = max(billedTokens / 1,000,000 × training price, minimum job fee)}.
 *
 * <p>An estimate, not a quote: the provider's own count (OpenAI's {@code trained_tokens}, Mistral's
 * job {@code metadata.cost}) is the final word, and counts for non-OpenAI models are approximations
 * when {@code exactTokens} is false. Made by {@link PriceTable#estimate}; tests and custom providers
 * build one with {@link #builder()} (a class with a builder rather than a record, so that a field can
 * be added without breaking callers).
 *
 * <p>Immutable and thread-safe; equal when every field is equal.
 */
public final class CostEstimate {

    private final String provider;
    private final String model;
    private final String pricedAs;
    private final long examples;
    private final int epochs;
    private final boolean epochsAuto;
    private final long tokensPerEpoch;
    private final long billedTokens;
    private final Money cost;
    private final boolean minimumFeeApplied;
    private final LocalDate priceEffectiveDate;
    private final String priceSource;
    private final boolean exactTokens;

    private CostEstimate(Builder b) {
        this.provider = Objects.requireNonNull(b.provider, "provider");
        this.model = Objects.requireNonNull(b.model, "model");
        this.pricedAs = Objects.requireNonNull(b.pricedAs, "pricedAs");
        this.examples = b.examples;
        this.epochs = b.epochs;
        this.epochsAuto = b.epochsAuto;
        this.tokensPerEpoch = b.tokensPerEpoch;
        this.billedTokens = b.billedTokens;
        this.cost = Objects.requireNonNull(b.cost, "cost");
        this.minimumFeeApplied = b.minimumFeeApplied;
        this.priceEffectiveDate = Objects.requireNonNull(b.priceEffectiveDate, "priceEffectiveDate");
        this.priceSource = Objects.requireNonNull(b.priceSource, "priceSource");
        this.exactTokens = b.exactTokens;
        if (examples < 0 || epochs < 0 || tokensPerEpoch < 0 || billedTokens < 0) {
            throw new IllegalArgumentException("examples, epochs and token counts must not be negative, were "
                    + examples + ", " + epochs + ", " + tokensPerEpoch + ", " + billedTokens);
        }
    }

    /** A builder with no field set; {@code provider}, {@code model}, {@code pricedAs}, {@code cost}, {@code priceEffectiveDate} and {@code priceSource} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this estimate's fields, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The provider id, e.g. {@code openai}. */
    public String provider() {
        return provider;
    }

    /** The model the job trains, as asked (a base model or a fine-tuned parent). */
    public String model() {
        return model;
    }

    /** The price table entry that priced it, e.g. {@code gpt-4o-mini}. */
    public String pricedAs() {
        return pricedAs;
    }

    /** The number of training examples. */
    public long examples() {
        return examples;
    }

    /** The epochs estimated for. */
    public int epochs() {
        return epochs;
    }

    /** Whether {@code epochs} was resolved with {@link Epochs#resolveAuto}. */
    public boolean epochsAuto() {
        return epochsAuto;
    }

    /** The billable tokens of one pass over the examples. */
    public long tokensPerEpoch() {
        return tokensPerEpoch;
    }

    /** {@code epochs × tokensPerEpoch}. */
    public long billedTokens() {
        return billedTokens;
    }

    /** The expected training cost, exact (not rounded). */
    public Money cost() {
        return cost;
    }

    /** Whether the cost is the provider's minimum job fee rather than the tokens' price. */
    public boolean minimumFeeApplied() {
        return minimumFeeApplied;
    }

    /** The date from which the price used applies. */
    public LocalDate priceEffectiveDate() {
        return priceEffectiveDate;
    }

    /** Where the price used comes from. */
    public String priceSource() {
        return priceSource;
    }

    /** Whether the token counts are exact for the model's tokenizer. */
    public boolean exactTokens() {
        return exactTokens;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CostEstimate c && provider.equals(c.provider) && model.equals(c.model)
                && pricedAs.equals(c.pricedAs) && examples == c.examples && epochs == c.epochs
                && epochsAuto == c.epochsAuto && tokensPerEpoch == c.tokensPerEpoch && billedTokens == c.billedTokens
                && cost.equals(c.cost) && minimumFeeApplied == c.minimumFeeApplied
                && priceEffectiveDate.equals(c.priceEffectiveDate) && priceSource.equals(c.priceSource)
                && exactTokens == c.exactTokens;
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, model, pricedAs, examples, epochs, epochsAuto, tokensPerEpoch, billedTokens,
                cost, minimumFeeApplied, priceEffectiveDate, priceSource, exactTokens);
    }

    @Override
    public String toString() {
        return "CostEstimate[provider=" + provider + ", model=" + model + ", pricedAs=" + pricedAs + ", examples="
                + examples + ", epochs=" + epochs + ", epochsAuto=" + epochsAuto + ", tokensPerEpoch="
                + tokensPerEpoch + ", billedTokens=" + billedTokens + ", cost=" + cost + ", minimumFeeApplied="
                + minimumFeeApplied + ", priceEffectiveDate=" + priceEffectiveDate + ", priceSource=" + priceSource
                + ", exactTokens=" + exactTokens + "]";
    }

    /** Builds a {@link CostEstimate}. Not thread-safe; {@link #build()} checks the fields. */
    public static final class Builder {

        private String provider;
        private String model;
        private String pricedAs;
        private long examples;
        private int epochs;
        private boolean epochsAuto;
        private long tokensPerEpoch;
        private long billedTokens;
        private Money cost;
        private boolean minimumFeeApplied;
        private LocalDate priceEffectiveDate;
        private String priceSource;
        private boolean exactTokens;

        private Builder() {
        }

        private Builder(CostEstimate c) {
            provider = c.provider;
            model = c.model;
            pricedAs = c.pricedAs;
            examples = c.examples;
            epochs = c.epochs;
            epochsAuto = c.epochsAuto;
            tokensPerEpoch = c.tokensPerEpoch;
            billedTokens = c.billedTokens;
            cost = c.cost;
            minimumFeeApplied = c.minimumFeeApplied;
            priceEffectiveDate = c.priceEffectiveDate;
            priceSource = c.priceSource;
            exactTokens = c.exactTokens;
        }

        /** The provider id (required). */
        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        /** The model the job trains (required). */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The price table entry that priced it (required). */
        public Builder pricedAs(String pricedAs) {
            this.pricedAs = pricedAs;
            return this;
        }

        /** The number of training examples (0). */
        public Builder examples(long examples) {
            this.examples = examples;
            return this;
        }

        /** The epochs, and whether they were resolved automatically (0, false). */
        public Builder epochs(int epochs, boolean auto) {
            this.epochs = epochs;
            this.epochsAuto = auto;
            return this;
        }

        /** The billable tokens of one pass (0). */
        public Builder tokensPerEpoch(long tokens) {
            this.tokensPerEpoch = tokens;
            return this;
        }

        /** The billed tokens (0). */
        public Builder billedTokens(long tokens) {
            this.billedTokens = tokens;
            return this;
        }

        /** The expected cost, and whether it is the minimum job fee (required; false). */
        public Builder cost(Money cost, boolean minimumFeeApplied) {
            this.cost = cost;
            this.minimumFeeApplied = minimumFeeApplied;
            return this;
        }

        /** The price used: the date it applies from and where it comes from (required). */
        public Builder price(LocalDate effectiveDate, String source) {
            this.priceEffectiveDate = effectiveDate;
            this.priceSource = source;
            return this;
        }

        /** Whether the token counts are exact for the model's tokenizer (false). */
        public Builder exactTokens(boolean exact) {
            this.exactTokens = exact;
            return this;
        }

        /**
         * The estimate.
         *
         * @throws NullPointerException naming a required field that was not set
         * @throws IllegalArgumentException when a count is negative
         */
        public CostEstimate build() {
            return new CostEstimate(this);
        }
    }
}
