package dev.finetune4j.eval;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to evaluate: an assistant's targets on an evaluation set, with scorers. The evaluation set
 * is the validation split of a dataset version by default (held out from training), or given
 * examples. Each example's last assistant message is the expected answer; the messages before it
 * are the conversation sent. Immutable; build with {@link #builder(String)}.
 */
public final class EvalSpec {

    private final String assistant;
    private final String dataset;
    private final String datasetVersion;
    private final Split split;
    private final List<Example> examples;
    private final List<EvalTarget> targets;
    private final List<Scorer> scorers;
    private final int concurrency;
    private final int maxExamples;

    private EvalSpec(Builder b) {
        this.assistant = b.assistant;
        this.dataset = b.dataset;
        this.datasetVersion = b.datasetVersion;
        this.split = b.split;
        this.examples = List.copyOf(b.examples);
        this.targets = List.copyOf(b.targets);
        this.scorers = List.copyOf(b.scorers);
        this.concurrency = b.concurrency;
        this.maxExamples = b.maxExamples;
    }

    /** A builder for an assistant. */
    public static Builder builder(String assistant) {
        return new Builder(assistant);
    }

    /** A builder holding this spec. */
    public Builder toBuilder() {
        Builder b = new Builder(assistant);
        b.dataset = dataset;
        b.datasetVersion = datasetVersion;
        b.split = split;
        b.examples.addAll(examples);
        b.targets.addAll(targets);
        b.scorers.addAll(scorers);
        b.concurrency = concurrency;
        b.maxExamples = maxExamples;
        return b;
    }

    /** This spec with other targets (same evaluation set and scorers). */
    public EvalSpec withTargets(List<EvalTarget> newTargets) {
        Builder b = toBuilder();
        b.targets.clear();
        newTargets.forEach(b::target);
        return b.build();
    }

    /** The assistant. */
    public String assistant() {
        return assistant;
    }

    /** The dataset name, when the set comes from a dataset. */
    public Optional<String> dataset() {
        return Optional.ofNullable(dataset);
    }

    /** The dataset version ({@code latest} by default). */
    public String datasetVersion() {
        return datasetVersion;
    }

    /** The split ({@link Split#VALIDATION} by default). */
    public Split split() {
        return split;
    }

    /** Examples given directly (used when no dataset is named). */
    public List<Example> examples() {
        return examples;
    }

    /** The targets, in report order. */
    public List<EvalTarget> targets() {
        return targets;
    }

    /** The scorers. */
    public List<Scorer> scorers() {
        return scorers;
    }

    /** How many calls run at once. */
    public int concurrency() {
        return concurrency;
    }

    /** The most examples used (the first ones of the set). */
    public int maxExamples() {
        return maxExamples;
    }

    /** Builds an {@link EvalSpec}. Not thread-safe. */
    public static final class Builder {
        private final String assistant;
        private String dataset;
        private String datasetVersion = "latest";
        private Split split = Split.VALIDATION;
        private final List<Example> examples = new ArrayList<>();
        private final List<EvalTarget> targets = new ArrayList<>();
        private final List<Scorer> scorers = new ArrayList<>();
        private int concurrency = 4;
        private int maxExamples = Integer.MAX_VALUE;

        private Builder(String assistant) {
            this.assistant = Objects.requireNonNull(assistant, "assistant");
        }

        /** Uses a dataset of the assistant (its validation split unless {@link #split} says otherwise). */
        public Builder dataset(String name) {
            this.dataset = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The dataset version: a number, an id or {@code latest}. */
        public Builder datasetVersion(String version) {
            this.datasetVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** The split to evaluate on. */
        public Builder split(Split split) {
            this.split = Objects.requireNonNull(split, "split");
            return this;
        }

        /** Evaluates on these examples instead of a dataset. */
        public Builder examples(List<Example> list) {
            examples.addAll(list);
            return this;
        }

        /** Adds a target. */
        public Builder target(EvalTarget target) {
            targets.add(Objects.requireNonNull(target, "target"));
            return this;
        }

        /** Adds a scorer. */
        public Builder scorer(Scorer scorer) {
            scorers.add(Objects.requireNonNull(scorer, "scorer"));
            return this;
        }

        /** How many calls run at once (1–64, default 4). */
        public Builder concurrency(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("concurrency must be 1 to 64, was " + n);
            }
            this.concurrency = n;
            return this;
        }

        /** Uses at most this many examples. */
        public Builder maxExamples(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxExamples must be >= 1, was " + n);
            }
            this.maxExamples = n;
            return this;
        }

        /**
         * Builds the spec.
         *
         * @throws IllegalStateException without targets, scorers or an evaluation set
         */
        public EvalSpec build() {
            if (targets.isEmpty()) {
                throw new IllegalStateException("an evaluation needs at least one target");
            }
            if (scorers.isEmpty()) {
                throw new IllegalStateException("an evaluation needs at least one scorer");
            }
            if (dataset == null && examples.isEmpty()) {
                throw new IllegalStateException("name a dataset or give examples to evaluate on");
            }
            return new EvalSpec(this);
        }
    }
}
