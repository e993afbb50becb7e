package dev.finetune4j.policy;

import dev.finetune4j.InsufficientExamplesException;
import dev.finetune4j.internal.ModelKeys;
import dev.finetune4j.policy.RetrainAdvice.Recommendation;
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
 * <p>Rules are kept per provider and model, matched like prices: the provider case-insensitively,
 * the model by an exact entry first, then by the longest matching id prefix (the empty prefix
 * covers every model of the provider), and a fine-tuned id {@code ft:BASE:...} by its base model.
 *
 * <p>{@link #defaults()}:
 * <ul>
 *   <li>Minimum examples: OpenAI hard 10, recommended 50 (OpenAI fine-tuning guide: minimum 10
 *       examples, improvements usually from 50–100); Mistral hard 1, recommended 50 (Mistral
 *       documents no minimum); Hugging Face hard 1, recommended 50; any other provider hard 1,
 *       recommended 50.</li>
 *   <li>Maximum tokens per example (longer examples are truncated by the provider, and bill only
 *       this many tokens): OpenAI {@code gpt-4o-mini} (the alias and {@code -2024-07-18}) and
 *       {@code gpt-4o-2024-08-06}: 65,536, as Azure OpenAI documents for these snapshots;
 *       {@code gpt-4.1*}: 65,536, <em>unverified</em> (OpenAI publishes no per-model figure; taken
 *       to match gpt-4o); {@code gpt-3.5-turbo} (the alias, {@code -0125}, {@code -1106}): 16,385;
 *       {@code gpt-3.5-turbo-0613}: 4,096 (OpenAI cookbook). Mistral, Hugging Face and others:
 *       unknown ({@link OptionalInt#empty()}).</li>
 *   <li>Retrain when the new examples are at least 20 % of the trained version's examples, or at
 *       least 20; continue from the parent (where the provider can) only for increments of at most
 *       50 % and when nothing was removed, else retrain from the base model.</li>
 * </ul>
 * A host app changes any of these with {@code TrainingPolicy.defaults().toBuilder()...build()}.
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

    private static final String OPENAI_MINIMUM_SOURCE =
            "OpenAI fine-tuning guide: minimum 10 examples, improvements usually from 50-100";
    private static final MinimumExamples FALLBACK_MINIMUM = new MinimumExamples(1, 50,
            "no documented minimum for this provider; 50 is this library's recommendation");
    /** Stored for a model whose limit is explicitly unknown. */
    private static final int UNKNOWN = 0;

    private static final TrainingPolicy DEFAULTS = builder()
            .minimumExamples("openai", "", new MinimumExamples(10, 50, OPENAI_MINIMUM_SOURCE))
            .minimumExamples("mistral", "", new MinimumExamples(1, 50,
                    "Mistral fine-tuning docs: no documented minimum (undocumented); "
                            + "50 is this library's recommendation"))
            .minimumExamples("huggingface", "", new MinimumExamples(1, 50,
                    "Hugging Face training runs have no service minimum; 50 is this library's recommendation"))
            .maxTokensPerExample("openai", "gpt-4o-mini", 65_536)
            .maxTokensPerExample("openai", "gpt-4o-2024-08-06", 65_536)
            .maxTokensPerExample("openai", "gpt-4.1", 65_536)
            .maxTokensPerExample("openai", "gpt-3.5-turbo", 16_385)
            .maxTokensPerExample("openai", "gpt-3.5-turbo-0613", 4_096)
            .build();

    private final Map<String, Map<String, MinimumExamples>> minimums;
    private final MinimumExamples defaultMinimum;
    private final Map<String, Map<String, Integer>> maxTokens;
    private final BigDecimal retrainFraction;
    private final long retrainExamples;
    private final BigDecimal continueFraction;

    private TrainingPolicy(Builder b) {
        this.minimums = deepCopy(b.minimums);
        this.defaultMinimum = b.defaultMinimum;
        this.maxTokens = deepCopy(b.maxTokens);
        this.retrainFraction = b.retrainFraction;
        this.retrainExamples = b.retrainExamples;
        this.continueFraction = b.continueFraction;
    }

    /** The default policy (see the class comment). */
    public static TrainingPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * A builder with no provider rules: every provider gets hard 1 / recommended 50, no known token
     * limit, and the default retrain thresholds. Start from {@code defaults().toBuilder()} to keep
     * the provider rules.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's rules. */
    public Builder toBuilder() {
        Builder b = new Builder();
        minimums.forEach((p, m) -> b.minimums.put(p, new TreeMap<>(m)));
        maxTokens.forEach((p, m) -> b.maxTokens.put(p, new TreeMap<>(m)));
        b.defaultMinimum = defaultMinimum;
        b.retrainFraction = retrainFraction;
        b.retrainExamples = retrainExamples;
        b.continueFraction = continueFraction;
        return b;
    }

    /**
     * The minimum examples for a model at a provider; the builder's default minimum when no rule
     * matches.
     */
    public MinimumExamples minimumExamples(String provider, String model) {
        Map<String, MinimumExamples> byModel = minimums.get(ModelKeys.provider(provider));
        if (byModel == null) {
            return defaultMinimum;
        }
        return ModelKeys.lookup(byModel, Objects.requireNonNull(model, "model"))
                .map(Map.Entry::getValue)
                .orElse(defaultMinimum);
    }

    /**
     * The most tokens one training example of this model may have (the provider truncates longer
     * ones), or empty when unknown. Use it as the {@code TokenStats} accumulator's limit.
     */
    public OptionalInt maxTokensPerExample(String provider, String model) {
        Map<String, Integer> byModel = maxTokens.get(ModelKeys.provider(provider));
        if (byModel == null) {
            return OptionalInt.empty();
        }
        Optional<Map.Entry<String, Integer>> found = ModelKeys.lookup(byModel, Objects.requireNonNull(model, "model"));
        return found.isEmpty() || found.get().getValue() == UNKNOWN
                ? OptionalInt.empty()
                : OptionalInt.of(found.get().getValue());
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

        /** Sets the minimum examples of every provider that has no rule of its own. */
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
