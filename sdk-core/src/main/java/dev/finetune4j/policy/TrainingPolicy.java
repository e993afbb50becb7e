package dev.finetune4j.policy;

import dev.finetune4j.InsufficientExamplesException;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.internal.ModelKeys;
import dev.finetune4j.policy.RetrainAdvice.Recommendation;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.Providers;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The rules a training run is checked against before it starts, and the advice on when to train
 * again: minimum numbers of examples, the longest example a model trains on, and how much new
 * data justifies a new run.
 *
 * <p>Two sources, the host app's first: its own rules ({@link Builder#minimumExamples}, {@link
 * Builder#maxTokensPerExample}), then the rules each provider publishes in its descriptor ({@link
 * Builder#providerRules}, {@link DataRules#minimumExamples}, {@link DataRules#maxTokensPerExample}),
 * then {@link Builder#defaultMinimumExamples} (hard 1, recommended 50 unless changed). Rules are kept
 * per provider and model, matched like prices: the provider case-insensitively, the model by an
 * exact entry first, then by the longest matching id prefix (the empty prefix covers every model of
 * the provider), and a fine-tuned id {@code ft:BASE:...} by its base model. A host rule that
 * matches a model wins over the provider's, whatever the prefix lengths.
 *
 * <p>Where the providers' rules come from:
 * <ul>
 *   <li>{@link #defaults()} holds the published rules of every provider module on the class path
 *       (found with {@link java.util.ServiceLoader}, read from {@link ProviderDescriptor#dataRules()});
 *       {@link #builder()} holds none;</li>
 *   <li>a provider passed by hand to {@code FineTuning.builder().provider(...)} contributes its
 *       descriptor's rules to the instance's policy when the policy has none for its id, so a
 *       provider that is not on the class path is checked by its own rules too.</li>
 * </ul>
 * Retrain advice: retrain when the new examples are at least 20 % of the trained version's
 * examples, or at least 20; continue from the parent (where the provider can) only for increments
 * of at most 50 % and when nothing was removed, else retrain from the base model. A host app
 * changes any of these with {@code TrainingPolicy.defaults().toBuilder()...build()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TrainingPolicy {

    /** Default: retrain when the new examples reach this fraction of the trained version's. */
    public static final double DEFAULT_RETRAIN_WHEN_NEW_FRACTION = 0.20;
    /** Default: retrain when at least this many examples are new. */
    public static final long DEFAULT_RETRAIN_WHEN_NEW_EXAMPLES = 20;
    /** Default: continue from the parent model only when the new examples are at most this fraction. */
    public static final double DEFAULT_CONTINUE_FROM_PARENT_UP_TO_FRACTION = 0.50;

    private static final MinimumExamples FALLBACK_MINIMUM = new MinimumExamples(1, 50,
            "no documented minimum for this provider; 50 is this library's recommendation");
    /** Stored for a model whose limit is explicitly unknown. */
    private static final int UNKNOWN = 0;

    /** The defaults, built on first use from the provider modules on the class path. */
    private static final class Defaults {
        static final TrainingPolicy POLICY = discover();

        private static TrainingPolicy discover() {
            Builder b = builder();
            Providers.descriptors().forEach((id, d) -> b.providerRules(id, d.dataRules()));
            return b.build();
        }
    }

    private final Map<String, Map<String, MinimumExamples>> minimums;
    private final MinimumExamples defaultMinimum;
    private final Map<String, Map<String, Integer>> maxTokens;
    private final Map<String, DataRules> providerRules;
    private final BigDecimal retrainFraction;
    private final long retrainExamples;
    private final BigDecimal continueFraction;

    private TrainingPolicy(Builder b) {
        this.minimums = deepCopy(b.minimums);
        this.defaultMinimum = b.defaultMinimum;
        this.maxTokens = deepCopy(b.maxTokens);
        this.providerRules = Collections.unmodifiableMap(new TreeMap<>(b.providerRules));
        this.retrainFraction = b.retrainFraction;
        this.retrainExamples = b.retrainExamples;
        this.continueFraction = b.continueFraction;
    }

    /**
     * The default policy: the published rules of every provider module on the class path, no host
     * rule, the default minimum and retrain thresholds (see the class comment).
     */
    public static TrainingPolicy defaults() {
        return Defaults.POLICY;
    }

    /**
     * A builder with no rules at all: every provider gets hard 1 / recommended 50, no known token
     * limit, and the default retrain thresholds. Start from {@code defaults().toBuilder()} to keep
     * the providers' published rules.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's rules. */
    public Builder toBuilder() {
        Builder b = new Builder();
        minimums.forEach((p, m) -> b.minimums.put(p, new TreeMap<>(m)));
        maxTokens.forEach((p, m) -> b.maxTokens.put(p, new TreeMap<>(m)));
        b.providerRules.putAll(providerRules);
        b.defaultMinimum = defaultMinimum;
        b.retrainFraction = retrainFraction;
        b.retrainExamples = retrainExamples;
        b.continueFraction = continueFraction;
        return b;
    }

    /**
     * The minimum examples for a model at a provider: the host app's rule, else the provider's
     * published one, else the builder's default minimum.
     */
    public MinimumExamples minimumExamples(String provider, String model) {
        String p = ModelKeys.provider(provider);
        Objects.requireNonNull(model, "model");
        Map<String, MinimumExamples> byModel = minimums.get(p);
        Optional<MinimumExamples> own = byModel == null ? Optional.empty()
                : ModelKeys.lookup(byModel, model).map(Map.Entry::getValue);
        return own.or(() -> Optional.ofNullable(providerRules.get(p)).flatMap(r -> r.minimumExamples(model)))
                .orElse(defaultMinimum);
    }

    /**
     * The most tokens one training example of this model may have (the provider truncates longer
     * ones), or empty when unknown: the host app's rule, else the provider's published one. Use it
     * as the {@code TokenStats} accumulator's limit.
     */
    public OptionalInt maxTokensPerExample(String provider, String model) {
        String p = ModelKeys.provider(provider);
        Objects.requireNonNull(model, "model");
        Map<String, Integer> byModel = maxTokens.get(p);
        Optional<Map.Entry<String, Integer>> own = byModel == null ? Optional.empty()
                : ModelKeys.lookup(byModel, model);
        if (own.isPresent()) {
            return own.get().getValue() == UNKNOWN ? OptionalInt.empty() : OptionalInt.of(own.get().getValue());
        }
        DataRules published = providerRules.get(p);
        return published == null ? OptionalInt.empty() : published.maxTokensPerExample(model);
    }

    /** The rules a provider published, as this policy holds them. */
    public Optional<DataRules> providerRules(String provider) {
        return Optional.ofNullable(providerRules.get(ModelKeys.provider(provider)));
    }

    /**
     * Checks a training split against the minimum for the provider and model, before anything is
     * uploaded.
     *
     * @param datasetLabel names the dataset in messages, e.g. {@code avatar-42/main}
     * @param trainingExamples the number of training examples (validation split excluded)
     * @param provider e.g. {@code openai}
     * @param model the base model, or the fine-tuned parent
     * @return a warning when the count is below the recommended minimum, e.g. {@code "dataset
     *     'avatar-42/main' has 30 training examples; openai recommends at least 50 (...)"}; empty
     *     otherwise
     * @throws InsufficientExamplesException below the hard minimum, e.g. {@code "dataset
     *     'avatar-42/main' has 7 training examples; openai requires at least 10 (OpenAI fine-tuning
     *     guide: minimum 10 examples, improvements usually from 50-100)"}
     * @throws IllegalArgumentException if {@code trainingExamples} is negative
     */
    public Optional<String> checkMinimum(String datasetLabel, int trainingExamples, String provider, String model) {
        Objects.requireNonNull(datasetLabel, "datasetLabel");
        if (trainingExamples < 0) {
            throw new IllegalArgumentException("trainingExamples must be at least 0, was " + trainingExamples);
        }
        MinimumExamples min = minimumExamples(provider, model);
        String has = "dataset '" + datasetLabel + "' has " + count(trainingExamples, "training example") + "; "
                + ModelKeys.provider(provider);
        if (trainingExamples < min.hard()) {
            throw new InsufficientExamplesException(has + " requires at least " + min.hard() + " (" + min.source() + ")",
                    trainingExamples, min.hard(), min.source());
        }
        if (trainingExamples < min.recommended()) {
            return Optional.of(has + " recommends at least " + min.recommended() + " (" + min.source() + ")");
        }
        return Optional.empty();
    }

    /**
     * Advises whether to train a new version now that the dataset has changed since a version was
     * trained, and how (see {@link RetrainAdvice.Recommendation}).
     *
     * <p>A retrain is recommended when {@code newSinceTrained} reaches
     * {@link #retrainWhenNewFraction()} of {@code trainedExamples} or
     * {@link #retrainWhenNewExamples()}, whichever is fewer. It then continues from the parent when
     * the provider supports it, nothing was removed (a parent cannot unlearn examples) and the new
     * examples are at most {@link #continueFromParentUpToFraction()} of the trained ones; otherwise
     * it retrains from the base model on all current examples. Removals alone do not trigger a
     * retrain.
     *
     * @param trainedExamples the examples the trained version was trained on, at least 1
     * @param currentExamples the examples the dataset has now
     * @param newSinceTrained examples added since (not in the trained version)
     * @param removedSinceTrained examples of the trained version removed since
     * @param providerSupportsContinue whether the provider can start a job from a fine-tuned model
     * @throws IllegalArgumentException if a count is out of range
     */
    public RetrainAdvice retrainAdvice(long trainedExamples, long currentExamples, long newSinceTrained,
            long removedSinceTrained, boolean providerSupportsContinue) {
        if (trainedExamples < 1) {
            throw new IllegalArgumentException("trainedExamples must be at least 1, was " + trainedExamples);
        }
        if (currentExamples < 0) {
            throw new IllegalArgumentException("currentExamples must be at least 0, was " + currentExamples);
        }
        if (newSinceTrained < 0) {
            throw new IllegalArgumentException("newSinceTrained must be at least 0, was " + newSinceTrained);
        }
        if (removedSinceTrained < 0 || removedSinceTrained > trainedExamples) {
            throw new IllegalArgumentException("removedSinceTrained must be between 0 and trainedExamples ("
                    + trainedExamples + "), was " + removedSinceTrained);
        }
        double percent = 100.0 * newSinceTrained / trainedExamples;
        String head = count(newSinceTrained, "new example") + " since the trained version ("
                + count(trainedExamples, "example") + ", +" + Math.round(percent) + " %"
                + (removedSinceTrained > 0 ? ", " + removedSinceTrained + " removed" : "") + ")";
        long threshold = Math.max(1, Math.min(retrainExamples, ceil(retrainFraction, trainedExamples)));
        if (newSinceTrained < threshold) {
            return new RetrainAdvice(trainedExamples, currentExamples, newSinceTrained, removedSinceTrained, percent,
                    false, Recommendation.NOT_YET,
                    head + ": not yet, a retrain is recommended from " + count(threshold, "new example"));
        }
        boolean smallIncrement = BigDecimal.valueOf(newSinceTrained)
                .compareTo(continueFraction.multiply(BigDecimal.valueOf(trainedExamples))) <= 0;
        if (providerSupportsContinue && removedSinceTrained == 0 && smallIncrement) {
            return new RetrainAdvice(trainedExamples, currentExamples, newSinceTrained, removedSinceTrained, percent,
                    true, Recommendation.CONTINUE_FROM_PARENT,
                    head + ": retrain recommended; continue from the parent model on the "
                            + count(newSinceTrained, "new example")
                            + " with a 10x lower learning rate and fewer epochs");
        }
        String why;
        if (removedSinceTrained > 0) {
            why = " (examples were removed, which continuing from the parent cannot unlearn)";
        } else if (!providerSupportsContinue) {
            why = " (the provider cannot continue from a fine-tuned model)";
        } else {
            why = " (+" + Math.round(percent) + " % is more than the " + percent(continueFraction)
                    + " % increment a continued run is advised for)";
        }
        return new RetrainAdvice(trainedExamples, currentExamples, newSinceTrained, removedSinceTrained, percent,
                true, Recommendation.RETRAIN_FROM_BASE,
                head + ": retrain recommended; retrain from the base model on all "
                        + count(currentExamples, "example") + why);
    }

    /** The fraction of the trained version's examples that, once new, makes a retrain recommended. */
    public double retrainWhenNewFraction() {
        return retrainFraction.doubleValue();
    }

    /** The number of new examples that makes a retrain recommended. */
    public long retrainWhenNewExamples() {
        return retrainExamples;
    }

    /** The largest fraction of new examples for which continuing from the parent is advised. */
    public double continueFromParentUpToFraction() {
        return continueFraction.doubleValue();
    }

    @Override
    public String toString() {
        return "TrainingPolicy[minimums=" + minimums + ", maxTokensPerExample=" + maxTokens
                + ", providerRules=" + providerRules.keySet()
                + ", retrainWhenNew=" + percent(retrainFraction) + " % or " + retrainExamples
                + ", continueFromParentUpTo=" + percent(continueFraction) + " %]";
    }

    private static long ceil(BigDecimal fraction, long of) {
        return fraction.multiply(BigDecimal.valueOf(of)).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).stripTrailingZeros().toPlainString();
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static <V> Map<String, Map<String, V>> deepCopy(Map<String, TreeMap<String, V>> source) {
        Map<String, Map<String, V>> copy = new TreeMap<>();
        source.forEach((p, m) -> copy.put(p, Collections.unmodifiableMap(new TreeMap<>(m))));
        return Collections.unmodifiableMap(copy);
    }

    /** Builds a {@link TrainingPolicy}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, TreeMap<String, MinimumExamples>> minimums = new TreeMap<>();
        private final Map<String, TreeMap<String, Integer>> maxTokens = new TreeMap<>();
        private final Map<String, DataRules> providerRules = new TreeMap<>();
        private MinimumExamples defaultMinimum = FALLBACK_MINIMUM;
        private BigDecimal retrainFraction = BigDecimal.valueOf(DEFAULT_RETRAIN_WHEN_NEW_FRACTION);
        private long retrainExamples = DEFAULT_RETRAIN_WHEN_NEW_EXAMPLES;
        private BigDecimal continueFraction = BigDecimal.valueOf(DEFAULT_CONTINUE_FROM_PARENT_UP_TO_FRACTION);

        private Builder() {}

        /**
         * Sets the minimum examples for the models of a provider whose id starts with
         * {@code modelPrefix} ({@code ""} for all of them), replacing a rule for the same prefix.
         */
        public Builder minimumExamples(String provider, String modelPrefix, MinimumExamples minimum) {
            Objects.requireNonNull(minimum, "minimum");
            minimums.computeIfAbsent(ModelKeys.provider(provider), k -> new TreeMap<>())
                    .put(ModelKeys.model(modelPrefix), minimum);
            return this;
        }

        /**
         * Sets the rules a provider publishes (its descriptor's {@link ProviderDescriptor#dataRules()}),
         * consulted for its minimum examples and token limits where the host app set no rule of its
         * own; replaces earlier rules for the same provider.
         */
        public Builder providerRules(String provider, DataRules rules) {
            providerRules.put(ModelKeys.provider(provider), Objects.requireNonNull(rules, "rules"));
            return this;
        }

        /** Sets the minimum examples of every provider for which neither the host app nor the provider has a rule. */
        public Builder defaultMinimumExamples(MinimumExamples minimum) {
            this.defaultMinimum = Objects.requireNonNull(minimum, "minimum");
            return this;
        }

        /**
         * Sets the most tokens per example for the models of a provider whose id starts with
         * {@code modelPrefix} ({@code ""} for all of them).
         *
         * @throws IllegalArgumentException if {@code maxTokens} is below 1
         */
        public Builder maxTokensPerExample(String provider, String modelPrefix, int maxTokens) {
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
            }
            return putMaxTokens(provider, modelPrefix, maxTokens);
        }

        /**
         * Records that the token limit of the models starting with {@code modelPrefix} is unknown,
         * overriding a rule for a shorter prefix.
         */
        public Builder unknownMaxTokensPerExample(String provider, String modelPrefix) {
            return putMaxTokens(provider, modelPrefix, UNKNOWN);
        }

        private Builder putMaxTokens(String provider, String modelPrefix, int value) {
            maxTokens.computeIfAbsent(ModelKeys.provider(provider), k -> new TreeMap<>())
                    .put(ModelKeys.model(modelPrefix), value);
            return this;
        }

        /**
         * Sets the fraction of the trained version's examples that, once new, makes a retrain
         * recommended (default 0.20). A value of 1 or more leaves it to
         * {@link #retrainWhenNewExamples}.
         *
         * @throws IllegalArgumentException unless {@code fraction} is positive and finite
         */
        public Builder retrainWhenNewFraction(double fraction) {
            this.retrainFraction = fraction(fraction, "retrainWhenNewFraction", false);
            return this;
        }

        /**
         * Sets the number of new examples that makes a retrain recommended (default 20);
         * {@link Long#MAX_VALUE} leaves it to {@link #retrainWhenNewFraction}.
         *
         * @throws IllegalArgumentException if {@code examples} is below 1
         */
        public Builder retrainWhenNewExamples(long examples) {
            if (examples < 1) {
                throw new IllegalArgumentException("retrainWhenNewExamples must be at least 1, was " + examples);
            }
            this.retrainExamples = examples;
            return this;
        }

        /**
         * Sets the largest fraction of new examples (relative to the trained version) for which
         * continuing from the parent is advised (default 0.50); 0 always retrains from the base.
         *
         * @throws IllegalArgumentException unless {@code fraction} is zero or positive, and finite
         */
        public Builder continueFromParentUpToFraction(double fraction) {
            this.continueFraction = fraction(fraction, "continueFromParentUpToFraction", true);
            return this;
        }

        private static BigDecimal fraction(double value, String name, boolean zeroAllowed) {
            if (!Double.isFinite(value) || value < 0 || (!zeroAllowed && value == 0)) {
                throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? "0 or more" : "more than 0")
                        + " and finite, was " + value);
            }
            return BigDecimal.valueOf(value);
        }

        /** Builds the policy. */
        public TrainingPolicy build() {
            return new TrainingPolicy(this);
        }
    }
}
