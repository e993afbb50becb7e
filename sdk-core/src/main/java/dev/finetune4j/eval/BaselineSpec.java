package dev.finetune4j.eval;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to record as a {@link Baseline}: a model version of an assistant, asked every conversation
 * of an evaluation set. By default the set is the validation split of the dataset version the
 * model version was trained on; a dataset (and version, split) can be named instead, or prompts
 * given directly (e.g. real traffic; a prompt ending with an assistant message keeps it as the
 * expected answer). Immutable; build with {@link #builder(String, int)}.
 */
public final class BaselineSpec {

    private final String assistant;
    private final int modelVersion;
    private final String dataset;
    private final String datasetVersion;
    private final Split split;
    private final List<Example> prompts;
    private final int concurrency;
    private final int maxExamples;

    private BaselineSpec(Builder b) {
        this.assistant = b.assistant;
        this.modelVersion = b.modelVersion;
        this.dataset = b.dataset;
        this.datasetVersion = b.datasetVersion;
        this.split = b.split;
        this.prompts = List.copyOf(b.prompts);
        this.concurrency = b.concurrency;
        this.maxExamples = b.maxExamples;
    }

    /**
     * A builder recording {@code modelVersion} of {@code assistant}.
     *
     * @throws IllegalArgumentException when the version is below 1
     */
    public static Builder builder(String assistant, int modelVersion) {
        return new Builder(assistant, modelVersion);
    }

    /** The assistant. */
    public String assistant() {
        return assistant;
    }

    /** The model version recorded. */
    public int modelVersion() {
        return modelVersion;
    }

    /** The dataset named, when one was; empty means the one the version was trained on (or the prompts). */
    public Optional<String> dataset() {
        return Optional.ofNullable(dataset);
    }

    /** The dataset version named; empty means the one the version was trained on, or {@code latest}. */
    public Optional<String> datasetVersion() {
        return Optional.ofNullable(datasetVersion);
    }

    /** The split asked ({@link Split#VALIDATION} by default). */
    public Split split() {
        return split;
    }

    /** Prompts given directly; when not empty they are the evaluation set. */
    public List<Example> prompts() {
        return prompts;
    }

    /** How many calls run at once. */
    public int concurrency() {
        return concurrency;
    }

    /** The most conversations asked (the first ones of the set). */
    public int maxExamples() {
        return maxExamples;
    }

    /** Builds a {@link BaselineSpec}. Not thread-safe. */
    public static final class Builder {
        private final String assistant;
        private final int modelVersion;
        private String dataset;
        private String datasetVersion;
        private Split split = Split.VALIDATION;
        private final List<Example> prompts = new ArrayList<>();
        private int concurrency = 4;
        private int maxExamples = Integer.MAX_VALUE;

        private Builder(String assistant, int modelVersion) {
            this.assistant = Objects.requireNonNull(assistant, "assistant");
            if (modelVersion < 1) {
                throw new IllegalArgumentException("a baseline records a model version (>= 1), was " + modelVersion);
            }
            this.modelVersion = modelVersion;
        }

        /** Asks a dataset of the assistant instead of the one the version was trained on. */
        public Builder dataset(String name) {
            this.dataset = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The dataset version: a number, an id or {@code latest}. */
        public Builder datasetVersion(String version) {
            this.datasetVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** The split to ask. */
        public Builder split(Split split) {
            this.split = Objects.requireNonNull(split, "split");
            return this;
        }

        /** Asks these prompts instead of a dataset. */
        public Builder prompts(List<Example> list) {
            prompts.addAll(list);
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

        /** Asks at most this many conversations. */
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
         * @throws IllegalStateException when both a dataset and prompts are given
         */
        public BaselineSpec build() {
            if (dataset != null && !prompts.isEmpty()) {
                throw new IllegalStateException("name a dataset or give prompts, not both");
            }
            return new BaselineSpec(this);
        }
    }
}
