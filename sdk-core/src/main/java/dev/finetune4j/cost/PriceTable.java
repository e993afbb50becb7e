package dev.finetune4j.cost;

import dev.finetune4j.NotFoundException;
import dev.finetune4j.internal.ModelKeys;
import dev.finetune4j.internal.cost.PriceJson;
import dev.finetune4j.tokens.TokenStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fine-tuning prices per provider and model, and the cost estimates made with them.
 *
 * <p>{@link #defaults()} ships the published list prices of OpenAI and Mistral for their
 * fine-tunable models, each with the date from which it applies and its source (the resource
 * {@code dev/finetune4j/cost/prices.json}). List prices change, and contracts differ: a host app
 * overrides or extends them with {@code PriceTable.defaults().toBuilder().put(price).build()}, or
 * starts from {@link #builder()} or {@link #fromJson}. Hugging Face bills hardware time, not
 * tokens, so it has no default prices.
 *
 * <p>Lookup ({@link #find}): the provider is matched case-insensitively; the model takes an exact
 * entry first, then the entry with the longest id prefix of it ({@code gpt-4o-mini} prices
 * {@code gpt-4o-mini-2024-07-18}); a fine-tuned id {@code ft:BASE:...} takes an entry for exactly
 * that id, else its base model's price (continuing from a fine-tuned parent bills like its base).
 *
 * <p>Immutable and thread-safe.
 */
public final class PriceTable {

    private static final String RESOURCE = "prices.json";
    private static volatile PriceTable defaults;

    /** provider -> canonical model key -> price. */
    private final Map<String, Map<String, Price>> prices;

    private PriceTable(Map<String, Map<String, Price>> prices) {
        Map<String, Map<String, Price>> copy = new TreeMap<>();
        prices.forEach((provider, byModel) -> copy.put(provider, Collections.unmodifiableMap(new TreeMap<>(byModel))));
        this.prices = Collections.unmodifiableMap(copy);
    }

    /**
     * The shipped list prices (see the class comment); loaded once.
     *
     * @throws IllegalStateException if the bundled resource is missing or broken (a packaging error)
     */
    public static PriceTable defaults() {
        PriceTable table = defaults;
        if (table == null) {
            synchronized (PriceTable.class) {
                table = defaults;
                if (table == null) {
                    table = loadDefaults();
                    defaults = table;
                }
            }
        }
        return table;
    }

    /** A builder for a table that starts empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts with this table's prices. */
    public Builder toBuilder() {
        Builder b = new Builder();
        prices.forEach((provider, byModel) -> b.prices.put(provider, new TreeMap<>(byModel)));
        return b;
    }

    /**
     * Reads a table from a JSON document in the format of the bundled {@code prices.json}:
     * {@code {"prices": [{"provider": "openai", "model": "gpt-4o-mini", "currency": "USD",
     * "training_per_million": 3.00, "input_per_million": 0.30, "output_per_million": 1.20,
     * "base_input_per_million": 0.15, "base_output_per_million": 0.60, "minimum_job_fee": 0,
     * "effective_date": "2025-06-01", "source": "https://..."}]}}. {@code minimum_job_fee} is
     * optional; amounts may be numbers or decimal strings and are read exactly.
     *
     * @param json the document; not closed
     * @throws IllegalArgumentException naming the entry and field that is wrong, or a duplicate
     * @throws UncheckedIOException if reading fails
     */
    public static PriceTable fromJson(InputStream json) {
        Objects.requireNonNull(json, "json");
        return fromJson(json, "price JSON");
    }

    private static PriceTable fromJson(InputStream json, String where) {
        Builder b = builder();
        for (Price p : PriceJson.read(json, where)) {
            if (b.contains(p)) {
                throw new IllegalArgumentException(where + " has two prices for " + p.provider()
                        + " model '" + p.model() + "'");
            }
            b.put(p);
        }
        return b.build();
    }

    /**
     * The price for a model at a provider (see the class comment for the matching rule).
     *
     * @param provider e.g. {@code openai}
     * @param model a base model id, or a fine-tuned id {@code ft:BASE:...}
     * @return the price, or empty when the table has none for it
     */
    public Optional<Price> find(String provider, String model) {
        Map<String, Price> byModel = prices.get(ModelKeys.provider(provider));
        if (byModel == null) {
            return Optional.empty();
        }
        return ModelKeys.lookup(byModel, Objects.requireNonNull(model, "model")).map(Map.Entry::getValue);
    }

    /** Every price of the table, ordered by provider and model; unmodifiable. */
    public List<Price> prices() {
        List<Price> all = new ArrayList<>();
        prices.values().forEach(byModel -> all.addAll(byModel.values()));
        return Collections.unmodifiableList(all);
    }

    /**
     * Estimates a training job on a dataset with {@code "auto"} epochs ({@link Epochs#resolveAuto}).
     * The tokens per epoch are {@link TokenStats#billableTokens()}: build the statistics with the
     * model's per-example limit so that truncated examples are billed as the provider bills them.
     *
     * @throws NotFoundException if the table has no price for the model (see {@link #find})
     * @throws IllegalArgumentException if the statistics have no example
     */
    public CostEstimate estimate(String provider, String model, TokenStats stats) {
        Objects.requireNonNull(stats, "stats");
        return estimate(provider, model, stats.examples(), stats.billableTokens(), stats.exact());
    }

    /**
     * Estimates a training job on a dataset with explicit epochs.
     *
     * @throws NotFoundException if the table has no price for the model (see {@link #find})
     * @throws IllegalArgumentException if the statistics have no example or {@code epochs} is below 1
     */
    public CostEstimate estimate(String provider, String model, TokenStats stats, int epochs) {
        Objects.requireNonNull(stats, "stats");
        return estimate(provider, model, stats.examples(), stats.billableTokens(), epochs, stats.exact());
    }

    /**
     * Estimates a training job from counts with {@code "auto"} epochs ({@link Epochs#resolveAuto}).
     *
     * @param examples the number of training examples, at least 1
     * @param tokensPerEpoch the sum over examples of {@code min(maxTokensPerExample, tokens)}
     * @param exactTokens whether the counts are exact for the model's tokenizer
     * @throws NotFoundException if the table has no price for the model (see {@link #find})
     * @throws IllegalArgumentException if a count is out of range
     */
    public CostEstimate estimate(String provider, String model, long examples, long tokensPerEpoch,
            boolean exactTokens) {
        checkExamples(examples);
        return estimate(provider, model, examples, tokensPerEpoch, Epochs.resolveAuto(examples), true, exactTokens);
    }

    /**
     * Estimates a training job from counts with explicit epochs.
     *
     * @param examples the number of training examples, at least 1
     * @param tokensPerEpoch the sum over examples of {@code min(maxTokensPerExample, tokens)}
     * @param epochs the epochs, at least 1
     * @param exactTokens whether the counts are exact for the model's tokenizer
     * @throws NotFoundException if the table has no price for the model, with a message that says
     *     how to add one
     * @throws IllegalArgumentException if a count is out of range
     */
    public CostEstimate estimate(String provider, String model, long examples, long tokensPerEpoch, int epochs,
            boolean exactTokens) {
        return estimate(provider, model, examples, tokensPerEpoch, epochs, false, exactTokens);
    }

    private CostEstimate estimate(String provider, String model, long examples, long tokensPerEpoch, int epochs,
            boolean auto, boolean exactTokens) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        checkExamples(examples);
        if (tokensPerEpoch < 0) {
            throw new IllegalArgumentException("tokensPerEpoch must be at least 0, was " + tokensPerEpoch);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, was " + epochs);
        }
        Price price = find(provider, model).orElseThrow(() -> noPrice(provider, model));
        long billed = Math.multiplyExact(tokensPerEpoch, (long) epochs);
        Money byTokens = Price.tokenCost(price.trainingPerMillion(), billed);
        Money cost = byTokens.max(price.minimumJobFee());
        boolean feeApplied = byTokens.amount().compareTo(price.minimumJobFee().amount()) < 0;
        return CostEstimate.builder().provider(price.provider()).model(model).pricedAs(price.model())
                .examples(examples).epochs(epochs, auto).tokensPerEpoch(tokensPerEpoch).billedTokens(billed)
                .cost(cost, feeApplied).price(price.effectiveDate(), price.source()).exactTokens(exactTokens).build();
    }

    private static void checkExamples(long examples) {
        if (examples < 1) {
            throw new IllegalArgumentException("examples must be at least 1, was " + examples);
        }
    }

    private NotFoundException noPrice(String provider, String model) {
        String p = ModelKeys.provider(provider);
        Map<String, Price> byModel = prices.get(p);
        String known = byModel == null ? "the table has no prices for " + p
                : "prices known for " + p + ": " + String.join(", ", byModel.keySet());
        return new NotFoundException("no fine-tuning price for " + p + " model '" + model + "' (" + known
                + "); add one with PriceTable.defaults().toBuilder().put(Price.builder(\"" + p + "\", \""
                + ModelKeys.base(model) + "\")...build()).build()");
    }

    @Override
    public String toString() {
        return "PriceTable[" + prices().size() + " prices]";
    }

    /** Builds a {@link PriceTable}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Map<String, Price>> prices = new TreeMap<>();

        private Builder() {}

        /** Adds a price, replacing the one for the same provider and model (case-insensitive). */
        public Builder put(Price price) {
            Objects.requireNonNull(price, "price");
            prices.computeIfAbsent(price.provider(), k -> new TreeMap<>()).put(ModelKeys.model(price.model()), price);
            return this;
        }

        /** Adds every price of a list, in order (a later one replaces an earlier one for the same model). */
        public Builder putAll(List<Price> list) {
            list.forEach(this::put);
            return this;
        }

        /** Removes the price for exactly this provider and model (or model prefix), if there is one. */
        public Builder remove(String provider, String model) {
            Map<String, Price> byModel = prices.get(ModelKeys.provider(provider));
            if (byModel != null) {
                byModel.remove(ModelKeys.model(model));
                if (byModel.isEmpty()) {
                    prices.remove(ModelKeys.provider(provider));
                }
            }
            return this;
        }

        boolean contains(Price price) {
            Map<String, Price> byModel = prices.get(price.provider());
            return byModel != null && byModel.containsKey(ModelKeys.model(price.model()));
        }

        /** Builds the table. */
        public PriceTable build() {
            return new PriceTable(prices);
        }
    }

    private static PriceTable loadDefaults() {
        try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled price table " + RESOURCE + " is missing from the jar");
            }
            return fromJson(in, "bundled " + RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + RESOURCE, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the bundled price table is broken: " + e.getMessage(), e);
        }
    }
}
