package dev.finetune4j.cost;

import dev.finetune4j.internal.ModelKeys;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The published prices of fine-tuning one base model (or every model whose id starts with
 * {@code model}) at one provider, and of calling the result.
 *
 * <p>Every price is per million tokens and every component is required, in one currency.
 * A price that does not apply is {@link Money#zero zero} (e.g. {@code minimumJobFee} when the
 * provider has none). Use {@link #builder} rather than the long constructor.
 *
 * @param provider the provider id, e.g. {@code openai} (stored in lower case)
 * @param model the base model id or id prefix the price applies to, e.g. {@code gpt-4o-mini}
 *     (which also covers {@code gpt-4o-mini-2024-07-18}); see {@link PriceTable#find}
 * @param trainingPerMillion the price of one million billed training tokens
 * @param inputPerMillion the price of one million input tokens sent to a model fine-tuned from it
 * @param outputPerMillion the price of one million output tokens of a model fine-tuned from it
 * @param baseInputPerMillion the price of one million input tokens sent to the base model
 * @param baseOutputPerMillion the price of one million output tokens of the base model
 * @param minimumJobFee the least a training job costs, zero if the provider has no minimum
 * @param effectiveDate the date from which these prices are known to apply
 * @param source where the prices come from, e.g. the pricing page's URL
 */
public record Price(
        String provider,
        String model,
        Money trainingPerMillion,
        Money inputPerMillion,
        Money outputPerMillion,
        Money baseInputPerMillion,
        Money baseOutputPerMillion,
        Money minimumJobFee,
        LocalDate effectiveDate,
        String source) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the provider is blank, an amount is negative or the
     *     amounts are not all in one currency
     */
    public Price {
        provider = ModelKeys.provider(provider);
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(effectiveDate, "effectiveDate");
        Objects.requireNonNull(source, "source");
        String currency = Objects.requireNonNull(trainingPerMillion, "trainingPerMillion").currency();
        check("trainingPerMillion", trainingPerMillion, currency);
        check("inputPerMillion", inputPerMillion, currency);
        check("outputPerMillion", outputPerMillion, currency);
        check("baseInputPerMillion", baseInputPerMillion, currency);
        check("baseOutputPerMillion", baseOutputPerMillion, currency);
        check("minimumJobFee", minimumJobFee, currency);
    }

    /** A builder for the price of {@code model} (an id or an id prefix) at {@code provider}. */
    public static Builder builder(String provider, String model) {
        return new Builder(provider, model);
    }

    /** The currency of every amount of this price. */
    public String currency() {
        return trainingPerMillion.currency();
    }

    /**
     * What a training job billed for {@code billedTokens} tokens costs: the tokens at
     * {@link #trainingPerMillion}, but at least {@link #minimumJobFee}. Exact, not rounded.
     *
     * @throws IllegalArgumentException if {@code billedTokens} is negative
     */
    public Money trainingCost(long billedTokens) {
        return tokenCost(trainingPerMillion, billedTokens).max(minimumJobFee);
    }

    /** The price of {@code tokens} tokens at {@code perMillion}, exact. */
    static Money tokenCost(Money perMillion, long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be at least 0, was " + tokens);
        }
        return perMillion.times(BigDecimal.valueOf(tokens).movePointLeft(6));
    }

    private static void check(String name, Money money, String currency) {
        Objects.requireNonNull(money, name);
        if (money.amount().signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + money);
        }
        if (!money.currency().equals(currency)) {
            throw new IllegalArgumentException(name + " is in " + money.currency()
                    + " but trainingPerMillion is in " + currency + ": use one currency per price");
        }
    }

    /** Builds a {@link Price}. Not thread-safe. */
    public static final class Builder {
        private final String provider;
        private final String model;
        private Money training;
        private Money input;
        private Money output;
        private Money baseInput;
        private Money baseOutput;
        private Money minimumJobFee;
        private LocalDate effectiveDate;
        private String source;

        private Builder(String provider, String model) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Sets the price of one million billed training tokens (required). */
        public Builder training(Money perMillion) {
            this.training = Objects.requireNonNull(perMillion, "perMillion");
            return this;
        }

        /** Sets the prices of calling a model fine-tuned from this one, per million tokens (required). */
        public Builder fineTunedInference(Money inputPerMillion, Money outputPerMillion) {
            this.input = Objects.requireNonNull(inputPerMillion, "inputPerMillion");
            this.output = Objects.requireNonNull(outputPerMillion, "outputPerMillion");
            return this;
        }

        /** Sets the prices of calling the base model, per million tokens (required). */
        public Builder baseInference(Money inputPerMillion, Money outputPerMillion) {
            this.baseInput = Objects.requireNonNull(inputPerMillion, "inputPerMillion");
            this.baseOutput = Objects.requireNonNull(outputPerMillion, "outputPerMillion");
            return this;
        }

        /** Sets the least a training job costs; zero in the training currency when not set. */
        public Builder minimumJobFee(Money fee) {
            this.minimumJobFee = Objects.requireNonNull(fee, "fee");
            return this;
        }

        /** Sets the date from which the prices apply (required). */
        public Builder effectiveDate(LocalDate date) {
            this.effectiveDate = Objects.requireNonNull(date, "date");
            return this;
        }

        /** Sets where the prices come from, e.g. a URL or "contract 2025-17" (required). */
        public Builder source(String source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Builds the price.
         *
         * @throws IllegalStateException naming the first missing part
         * @throws IllegalArgumentException if the amounts are inconsistent (see {@link Price})
         */
        public Price build() {
            require(training, "training(Money)");
            require(input, "fineTunedInference(Money, Money)");
            require(baseInput, "baseInference(Money, Money)");
            require(effectiveDate, "effectiveDate(LocalDate)");
            require(source, "source(String)");
            Money fee = minimumJobFee != null ? minimumJobFee : Money.zero(training.currency());
            return new Price(provider, model, training, input, output, baseInput, baseOutput, fee,
                    effectiveDate, source);
        }

        private void require(Object value, String setter) {
            if (value == null) {
                throw new IllegalStateException("the price of " + provider + " model '" + model
                        + "' needs " + setter);
            }
        }
    }
}
