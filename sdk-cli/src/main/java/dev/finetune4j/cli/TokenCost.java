package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.cost.CostEstimate;
import dev.finetune4j.cost.Epochs;
import dev.finetune4j.cost.Price;
import dev.finetune4j.cost.PriceTable;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.tokens.TokenStats;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Token statistics of a set of examples and what training on them would cost: the numbers
 * {@code stats} and {@code quickstart} print.
 *
 * @param provider e.g. {@code openai}
 * @param model the base model counted and priced for
 * @param stats the token statistics (billable tokens capped at {@code maxTokensPerExample})
 * @param maxTokensPerExample the per-example limit applied, empty when unknown
 * @param epochs the epochs estimated for, empty when there is no example
 * @param epochsAuto whether {@code epochs} came from the auto heuristic
 * @param billedTokens {@code epochs × billable tokens}
 * @param estimate the cost estimate, empty when the price table has no price for the model
 * @param price the price used, empty with {@code estimate}
 * @param minimum the provider's minimum-example rule for the model
 */
record TokenCost(String provider, String model, TokenStats stats, OptionalInt maxTokensPerExample,
        OptionalInt epochs, boolean epochsAuto, long billedTokens, Optional<CostEstimate> estimate,
        Optional<Price> price, MinimumExamples minimum) {

    /**
     * Completes statistics with epochs, billed tokens and the estimate.
     *
     * @param accumulator holds the examples' counts; its limit is set here
     * @param explicitMaxTokens {@code --max-tokens}, or null for the policy's limit
     * @param explicitEpochs {@code --epochs}, or null for the auto heuristic
     */
    static TokenCost of(String provider, String model, TokenStats.Accumulator accumulator,
            Integer explicitMaxTokens, Integer explicitEpochs) {
        TrainingPolicy policy = TrainingPolicy.defaults();
        OptionalInt limit = explicitMaxTokens != null
                ? OptionalInt.of(explicitMaxTokens)
                : policy.maxTokensPerExample(provider, model);
        limit.ifPresent(accumulator::maxTokensPerExample);
        TokenStats stats = accumulator.build();
        MinimumExamples minimum = policy.minimumExamples(provider, model);
        if (stats.examples() == 0) {
            return new TokenCost(provider, model, stats, limit, OptionalInt.empty(), explicitEpochs == null, 0,
                    Optional.empty(), Optional.empty(), minimum);
        }
        int epochs = explicitEpochs != null ? explicitEpochs : Epochs.resolveAuto(stats.examples());
        long billed = Math.multiplyExact(stats.billableTokens(), (long) epochs);
        PriceTable prices = PriceTable.defaults();
        Optional<Price> price = prices.find(provider, model);
        Optional<CostEstimate> estimate = price.map(p -> explicitEpochs != null
                ? prices.estimate(provider, model, stats, explicitEpochs)
                : prices.estimate(provider, model, stats));
        return new TokenCost(provider, model, stats, limit, OptionalInt.of(epochs), explicitEpochs == null, billed,
                estimate, price, minimum);
    }

    /** The {@code stats} fields of a JSON document. */
    void putJson(ObjectNode doc) {
        doc.put("provider", provider);
        doc.put("model", model);
        ObjectNode tokens = doc.putObject("tokens");
        tokens.put("total", stats.totalTokens());
        tokens.put("min", stats.minTokens());
        tokens.put("max", stats.maxTokens());
        tokens.put("mean", stats.meanTokens());
        tokens.put("p10", stats.p10());
        tokens.put("p90", stats.p90());
        doc.put("assistant_tokens", stats.assistantTokens());
        doc.put("messages", stats.messages());
        doc.put("encoding", stats.encoding());
        doc.put("exact_tokens", stats.exact());
        putInt(doc, "max_tokens_per_example", maxTokensPerExample);
        doc.put("over_limit", stats.overLimit());
        putInt(doc, "epochs", epochs);
        doc.put("epochs_auto", epochsAuto);
        doc.put("billed_tokens", billedTokens);
        if (estimate.isPresent()) {
            CostEstimate e = estimate.get();
            doc.putObject("estimated_cost")
                    .put("amount", e.cost().amount())
                    .put("currency", e.cost().currency());
            doc.put("priced_as", e.pricedAs());
            doc.put("price_effective_date", e.priceEffectiveDate().toString());
            doc.put("price_source", e.priceSource());
            doc.put("minimum_fee_applied", e.minimumFeeApplied());
        } else {
            doc.putNull("estimated_cost");
            doc.putNull("priced_as");
            doc.putNull("price_effective_date");
            doc.putNull("price_source");
            doc.putNull("minimum_fee_applied");
        }
        doc.putObject("minimum_examples")
                .put("hard", minimum.hard())
                .put("recommended", minimum.recommended())
                .put("source", minimum.source());
    }

    /** The human report: tokens, epochs, billed tokens, cost, and the minimum-example rule. */
    void print(PrintWriter out, String indent) {
        out.println(indent + "tokens (" + stats.encoding() + (stats.exact() ? ", exact for " : ", an approximation for ")
                + model + "): total " + group(stats.totalTokens()) + ", per example min " + stats.minTokens()
                + " / mean " + String.format(Locale.ROOT, "%.1f", stats.meanTokens())
                + " / max " + stats.maxTokens()
                + ", p10 " + decimal(stats.p10()) + ", p90 " + decimal(stats.p90()));
        out.println(indent + "assistant tokens (what training learns to write): " + group(stats.assistantTokens()));
        if (maxTokensPerExample.isPresent()) {
            out.println(indent + "limit per example: " + group(maxTokensPerExample.getAsInt()) + " tokens; "
                    + (stats.overLimit() == 0 ? "every example fits"
                            : Reports.count(stats.overLimit(), "example") + " over it, truncated by the provider"));
        }
        if (epochs.isEmpty()) {
            return;
        }
        out.println(indent + "epochs: " + epochs.getAsInt() + (epochsAuto
                ? " (auto: the OpenAI cookbook's heuristic for " + Reports.count(stats.examples(), "example") + ")"
                : ""));
        out.println(indent + "billed tokens: " + group(billedTokens) + " (" + epochs.getAsInt() + " epochs x "
                + group(stats.billableTokens()) + ")");
        if (estimate.isPresent()) {
            CostEstimate e = estimate.get();
            Price p = price.orElseThrow();
            out.println(indent + "estimated training cost: " + e.cost() + " (" + provider + " " + e.pricedAs() + " at "
                    + p.trainingPerMillion() + " per 1M training tokens, list price of " + e.priceEffectiveDate()
                    + (e.minimumFeeApplied() ? "; the minimum job fee applies" : "") + ")");
        } else {
            out.println(indent + "estimated training cost: unknown ("
                    + ProviderRegistry.descriptor(provider).flatMap(ProviderDescriptor::pricingNote)
                            .orElse("no list price for " + provider + " model " + model) + ")");
        }
        if (stats.examples() < minimum.hard()) {
            out.println(indent + "too few examples: " + provider + " requires at least " + minimum.hard()
                    + " (" + minimum.source() + ")");
        } else if (stats.examples() < minimum.recommended()) {
            out.println(indent + "few examples: " + provider + " recommends at least " + minimum.recommended()
                    + " (" + minimum.source() + ")");
        }
    }

    private static void putInt(ObjectNode doc, String field, OptionalInt value) {
        if (value.isPresent()) {
            doc.put(field, value.getAsInt());
        } else {
            doc.putNull(field);
        }
    }

    private static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String decimal(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }
}
