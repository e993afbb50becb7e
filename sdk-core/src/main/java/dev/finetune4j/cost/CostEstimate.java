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
 * when {@code exactTokens} is false. Made by {@link PriceTable#estimate}.
 *
 * @param provider the provider id, e.g. {@code openai}
 * @param model the model the job trains, as asked (a base model or a fine-tuned parent)
 * @param pricedAs the price table entry that priced it, e.g. {@code gpt-4o-mini}
 * @param examples the number of training examples
 * @param epochs the epochs estimated for
 * @param epochsAuto whether {@code epochs} was resolved with {@link Epochs#resolveAuto}
 * @param tokensPerEpoch the billable tokens of one pass over the examples
 * @param billedTokens {@code epochs × tokensPerEpoch}
 * @param cost the expected training cost, exact (not rounded)
 * @param minimumFeeApplied whether the cost is the provider's minimum job fee rather than the
 *     tokens' price
 * @param priceEffectiveDate the date from which the price used applies
 * @param priceSource where the price used comes from
 * @param exactTokens whether the token counts are exact for the model's tokenizer
 */
public record CostEstimate(
        String provider,
        String model,
        String pricedAs,
        long examples,
        int epochs,
        boolean epochsAuto,
        long tokensPerEpoch,
        long billedTokens,
        Money cost,
        boolean minimumFeeApplied,
        LocalDate priceEffectiveDate,
        String priceSource,
        boolean exactTokens) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a reference component is null
     */
    public CostEstimate {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pricedAs, "pricedAs");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(priceEffectiveDate, "priceEffectiveDate");
        Objects.requireNonNull(priceSource, "priceSource");
    }
}
