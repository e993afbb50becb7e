package dev.finetune4j.migration;

import dev.finetune4j.eval.NonInferiorityRule;
import dev.finetune4j.eval.Scorer;
import dev.finetune4j.eval.Scorers;
import dev.finetune4j.job.Hyperparameters;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to migrate: an assistant's model version (the active one by default) to a base model at
 * another provider, trained on the same dataset version, gated by a non-inferiority rule. Immutable;
 * build with {@link #builder(String, String, String)}.
 */
public final class MigrationSpec {

    private final String assistant;
    private final String provider;
    private final String baseModel;
    private final Integer sourceVersion;
    private final Hyperparameters hyperparameters;
    private final Map<String, String> options;
    private final Scorer scorer;
    private final NonInferiorityRule rule;
    private final int canaryShare;
    private final LocalDate keepSourceUntil;
    private final int maxExamples;
    private final Duration wait;
    private final MigrationListener listener;

    private MigrationSpec(Builder b) {
        this.assistant = b.assistant;
        this.provider = b.provider;
        this.baseModel = b.baseModel;
        this.sourceVersion = b.sourceVersion;
        this.hyperparameters = b.hyperparameters;
        this.options = Map.copyOf(b.options);
        this.scorer = b.scorer;
        this.rule = b.rule == null ? NonInferiorityRule.of(b.scorer.name()) : b.rule;
        this.canaryShare = b.canaryShare;
        this.keepSourceUntil = b.keepSourceUntil;
        this.maxExamples = b.maxExamples;
        this.wait = b.wait;
        this.listener = b.listener;
    }

    /** A builder moving {@code assistant} to {@code baseModel} at {@code provider}. */
    public static Builder builder(String assistant, String provider, String baseModel) {
        return new Builder(assistant, provider, baseModel);
    }

    /** The assistant. */
    public String assistant() {
        return assistant;
    }

    /** The target provider. */
    public String provider() {
        return provider;
    }

    /** The target base model. */
    public String baseModel() {
        return baseModel;
    }

    /** The version to replace; empty means the active one. */
    public OptionalInt sourceVersion() {
        return sourceVersion == null ? OptionalInt.empty() : OptionalInt.of(sourceVersion);
    }

    /** The hyper-parameters of the target training (provider defaults when empty). */
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /**
     * Provider-specific options of the target training, passed to its job as {@code
     * FineTuneSpec.option} would (e.g. Together {@code training_type=full}); none by default.
     */
    public Map<String, String> options() {
        return options;
    }

    /** The scorer of the evaluation ({@link Scorers#exactMatch()} by default). */
    public Scorer scorer() {
        return scorer;
    }

    /** The gate ({@link NonInferiorityRule#of} the scorer: 2 points, by default). */
    public NonInferiorityRule rule() {
        return rule;
    }

    /** The canary share in percent; 0 (the default) promotes at once. */
    public int canaryShare() {
        return canaryShare;
    }

    /** The last day the source version stays in the fallback chain; empty for no end. */
    public Optional<LocalDate> keepSourceUntil() {
        return Optional.ofNullable(keepSourceUntil);
    }

    /** The most conversations the baseline records. */
    public int maxExamples() {
        return maxExamples;
    }

    /** How long one run waits for training before it returns (the migration resumes on the next run). */
    public Duration await() {
        return wait;
    }

    /** Told of every stage as it is recorded, before the stage's remote work. */
    public MigrationListener listener() {
        return listener;
    }

    /** Builds a {@link MigrationSpec}. Not thread-safe. */
    public static final class Builder {
        private final String assistant;
        private final String provider;
        private final String baseModel;
        private Integer sourceVersion;
        private Hyperparameters hyperparameters = Hyperparameters.builder().build();
        private final Map<String, String> options = new LinkedHashMap<>();
        private Scorer scorer = Scorers.exactMatch();
        private NonInferiorityRule rule;
        private int canaryShare;
        private LocalDate keepSourceUntil;
        private int maxExamples = Integer.MAX_VALUE;
        private Duration wait = Duration.ZERO;
        private MigrationListener listener = m -> { };

        private Builder(String assistant, String provider, String baseModel) {
            this.assistant = Objects.requireNonNull(assistant, "assistant");
            this.provider = Objects.requireNonNull(provider, "provider");
            this.baseModel = Objects.requireNonNull(baseModel, "baseModel");
        }

        /** Replaces this version instead of the active one. */
        public Builder sourceVersion(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("the source version must be >= 1, was " + version);
            }
            this.sourceVersion = version;
            return this;
        }

        /** Hyper-parameters of the target training. */
        public Builder hyperparameters(Hyperparameters h) {
            this.hyperparameters = Objects.requireNonNull(h, "hyperparameters");
            return this;
        }

        /**
         * A provider-specific option of the target training (see the target provider's options, e.g.
         * {@code TogetherOptions}); the provider refuses one it does not know before anything is sent.
         * A migration run again must be given the same options to find its job again.
         */
        public Builder option(String name, String value) {
            options.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The scorer of the evaluation; the default rule follows it. */
        public Builder scorer(Scorer s) {
            this.scorer = Objects.requireNonNull(s, "scorer");
            return this;
        }

        /** The gate; its scorer must be the spec's scorer. */
        public Builder rule(NonInferiorityRule r) {
            this.rule = Objects.requireNonNull(r, "rule");
            return this;
        }

        /** Starts a canary at this share (1–99 %) instead of promoting at once. */
        public Builder canaryShare(int percent) {
            if (percent < 1 || percent > 99) {
                throw new IllegalArgumentException("a canary share must be 1 to 99 %, was " + percent);
            }
            this.canaryShare = percent;
            return this;
        }

        /** Keeps the source version in the fallback chain up to and including this day (its shutdown day). */
        public Builder keepSourceUntil(LocalDate lastDay) {
            this.keepSourceUntil = Objects.requireNonNull(lastDay, "lastDay");
            return this;
        }

        /** Records at most this many conversations in the baseline. */
        public Builder maxExamples(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxExamples must be >= 1, was " + n);
            }
            this.maxExamples = n;
            return this;
        }

        /** How long one run waits for training (default: not at all). */
        public Builder await(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("the wait must not be negative, was " + d);
            }
            this.wait = d;
            return this;
        }

        /** Told of every stage as it is recorded. */
        public Builder listener(MigrationListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * Builds the spec.
         *
         * @throws IllegalStateException when the rule's scorer is not the spec's scorer
         */
        public MigrationSpec build() {
            if (rule != null && !rule.scorer().equals(scorer.name())) {
                throw new IllegalStateException("the rule decides on scorer '" + rule.scorer()
                        + "' but the migration evaluates with '" + scorer.name() + "'; set scorer(...) to match");
            }
            return new MigrationSpec(this);
        }
    }
}
