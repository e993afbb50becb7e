package dev.finetune4j.cost;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A provider's own price for a fine-tune job before the job is created, asked of a provider that
 * prices uploaded data on request ({@link dev.finetune4j.spi.Capability#PRICE_QUOTE}; Together AI's
 * {@code POST /fine-tunes/estimate-price}). Unlike a {@link CostEstimate}, which finetune4j computes
 * from a published price table, a quote is the provider's figure, made from its own token count of
 * the uploaded files; it is still an estimate of the bill, which the provider fixes when the job
 * has run (or was cancelled).
 *
 * <p>Seen as {@link dev.finetune4j.job.JobEstimate#quote()}: on the estimate returned by {@code
 * FineTuneJobs.quote(spec)}, and on the job's recorded estimate when a submission asked for one.
 *
 * <p>Immutable and thread-safe; equal when every field is equal. Built with {@link #builder()} (the
 * provider modules build quotes; so may tests and custom providers).
 */
public final class PriceQuote {

    private final String provider;
    private final String model;
    private final Money price;
    private final Long trainingTokens;
    private final Long evaluationTokens;
    private final Money creditLimit;
    private final boolean allowedToProceed;
    private final Instant quotedAt;

    private PriceQuote(Builder b) {
        this.provider = Objects.requireNonNull(b.provider, "provider");
        this.model = Objects.requireNonNull(b.model, "model");
        this.price = Objects.requireNonNull(b.price, "price");
        this.trainingTokens = b.trainingTokens;
        this.evaluationTokens = b.evaluationTokens;
        this.creditLimit = b.creditLimit;
        this.allowedToProceed = b.allowedToProceed;
        this.quotedAt = Objects.requireNonNull(b.quotedAt, "quotedAt");
        if (price.amount().signum() < 0) {
            throw new IllegalArgumentException("a quoted price must not be negative, was " + price);
        }
        if ((trainingTokens != null && trainingTokens < 0) || (evaluationTokens != null && evaluationTokens < 0)) {
            throw new IllegalArgumentException("token counts must not be negative, were " + trainingTokens + " and "
                    + evaluationTokens);
        }
    }

    /**
     * A builder; {@code provider}, {@code model}, {@code price} and {@code quotedAt} are required,
     * {@code allowedToProceed} is {@code true} unless set.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this quote's fields, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The provider that quoted. */
    public String provider() {
        return provider;
    }

    /** The model the job would train from (a base model, or the fine-tuned model it continues). */
    public String model() {
        return model;
    }

    /** The provider's estimated total price of the job (training and evaluation). */
    public Money price() {
        return price;
    }

    /** The tokens the provider expects to train on, over all epochs, when it says. */
    public OptionalLong trainingTokens() {
        return trainingTokens == null ? OptionalLong.empty() : OptionalLong.of(trainingTokens);
    }

    /** The tokens the provider expects to evaluate, over all evaluations, when it says. */
    public OptionalLong evaluationTokens() {
        return evaluationTokens == null ? OptionalLong.empty() : OptionalLong.of(evaluationTokens);
    }

    /** The account's credit limit as the provider reported it, when it does. */
    public Optional<Money> creditLimit() {
        return Optional.ofNullable(creditLimit);
    }

    /**
     * Whether the provider says the account can pay for the job. {@code false} means the provider
     * expects to cancel the job for insufficient funds (Together: the price is well above the credit
     * limit and balance combined); finetune4j still submits it, as the provider's own client does,
     * and says so in the job's warnings.
     */
    public boolean allowedToProceed() {
        return allowedToProceed;
    }

    /** When the quote was received. */
    public Instant quotedAt() {
        return quotedAt;
    }

    @Override
    public String toString() {
        return "PriceQuote[" + provider + " " + model + ", " + price
                + (trainingTokens == null ? "" : ", " + trainingTokens + " training tokens")
                + (evaluationTokens == null ? "" : ", " + evaluationTokens + " evaluation tokens")
                + (allowedToProceed ? "" : ", not allowed to proceed") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PriceQuote q && provider.equals(q.provider) && model.equals(q.model)
                && price.equals(q.price) && Objects.equals(trainingTokens, q.trainingTokens)
                && Objects.equals(evaluationTokens, q.evaluationTokens) && Objects.equals(creditLimit, q.creditLimit)
                && allowedToProceed == q.allowedToProceed && quotedAt.equals(q.quotedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, model, price, trainingTokens, evaluationTokens, creditLimit, allowedToProceed,
                quotedAt);
    }

    /** Builds a {@link PriceQuote}. Not thread-safe; {@link #build()} checks the fields. */
    public static final class Builder {

        private String provider;
        private String model;
        private Money price;
        private Long trainingTokens;
        private Long evaluationTokens;
        private Money creditLimit;
        private boolean allowedToProceed = true;
        private Instant quotedAt;

        private Builder() {
        }

        private Builder(PriceQuote q) {
            provider = q.provider;
            model = q.model;
            price = q.price;
            trainingTokens = q.trainingTokens;
            evaluationTokens = q.evaluationTokens;
            creditLimit = q.creditLimit;
            allowedToProceed = q.allowedToProceed;
            quotedAt = q.quotedAt;
        }

        /** The provider that quoted (required). */
        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        /** The model the job would train from (required). */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The estimated total price (required, not negative). */
        public Builder price(Money price) {
            this.price = price;
            return this;
        }

        /** The tokens the provider expects to train on; null when it does not say (null). */
        public Builder trainingTokens(Long trainingTokens) {
            this.trainingTokens = trainingTokens;
            return this;
        }

        /** The tokens the provider expects to evaluate; null when it does not say (null). */
        public Builder evaluationTokens(Long evaluationTokens) {
            this.evaluationTokens = evaluationTokens;
            return this;
        }

        /** The account's credit limit; null when the provider does not say (null). */
        public Builder creditLimit(Money creditLimit) {
            this.creditLimit = creditLimit;
            return this;
        }

        /** Whether the provider says the account can pay for the job (true). */
        public Builder allowedToProceed(boolean allowedToProceed) {
            this.allowedToProceed = allowedToProceed;
            return this;
        }

        /** When the quote was received (required). */
        public Builder quotedAt(Instant quotedAt) {
            this.quotedAt = quotedAt;
            return this;
        }

        /**
         * The quote.
         *
         * @throws NullPointerException naming a required field that was not set
         * @throws IllegalArgumentException when the price or a token count is negative
         */
        public PriceQuote build() {
            return new PriceQuote(this);
        }
    }
}
