package dev.finetune4j.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to train: an assistant's dataset version on a provider, from a base model or from one of the
 * assistant's model versions. Immutable; build with {@link #builder(String, String)}.
 *
 * <pre>{@code
 * FineTuneSpec spec = FineTuneSpec.builder("avatar-42", "main")
 *         .provider("openai")
 *         .baseModel("gpt-4o-mini-2024-07-18")
 *         .hyperparameters(Hyperparameters.builder().epochs(3).build())
 *         .build();
 * }</pre>
 */
public final class FineTuneSpec {

    private final String assistant;
    private final String dataset;
    private final String datasetVersion;
    private final String provider;
    private final String baseModel;
    private final Integer continueFrom;
    private final Integer migratedFrom;
    private final Hyperparameters hyperparameters;
    private final String suffix;
    private final boolean validation;
    private final boolean start;
    private final boolean again;
    private final Map<String, String> options;

    private FineTuneSpec(Builder b) {
        this.assistant = b.assistant;
        this.dataset = b.dataset;
        this.datasetVersion = b.datasetVersion;
        this.provider = b.provider;
        this.baseModel = b.baseModel;
        this.continueFrom = b.continueFrom;
        this.migratedFrom = b.migratedFrom;
        this.hyperparameters = b.hyperparameters;
        this.suffix = b.suffix;
        this.validation = b.validation;
        this.start = b.start;
        this.again = b.again;
        this.options = Map.copyOf(b.options);
    }

    /**
     * A builder.
     *
     * @param assistant the assistant to train (it must exist)
     * @param dataset the name of one of its datasets
     */
    public static Builder builder(String assistant, String dataset) {
        return new Builder(assistant, dataset);
    }

    /** A builder holding this spec. */
    public Builder toBuilder() {
        Builder b = new Builder(assistant, dataset);
        b.datasetVersion = datasetVersion;
        b.provider = provider;
        b.baseModel = baseModel;
        b.continueFrom = continueFrom;
        b.migratedFrom = migratedFrom;
        b.hyperparameters = hyperparameters;
        b.suffix = suffix;
        b.validation = validation;
        b.start = start;
        b.again = again;
        b.options.putAll(options);
        return b;
    }

    /** The assistant. */
    public String assistant() {
        return assistant;
    }

    /** The dataset name. */
    public String dataset() {
        return dataset;
    }

    /** The dataset version: a number, an id or {@code latest} (the default). */
    public String datasetVersion() {
        return datasetVersion;
    }

    /** The provider id; empty means the assistant's provider. */
    public Optional<String> provider() {
        return Optional.ofNullable(provider);
    }

    /** The base model; empty means the assistant's base model. */
    public Optional<String> baseModel() {
        return Optional.ofNullable(baseModel);
    }

    /** The model version to continue training from, when set. */
    public OptionalInt continueFrom() {
        return continueFrom == null ? OptionalInt.empty() : OptionalInt.of(continueFrom);
    }

    /**
     * The model version the trained model replaces (recorded as its lineage's {@code migrated_from});
     * not part of the job's intent.
     */
    public OptionalInt migratedFrom() {
        return migratedFrom == null ? OptionalInt.empty() : OptionalInt.of(migratedFrom);
    }

    /** Hyper-parameters. */
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** A short name the provider puts into the fine-tuned model's id, when set. */
    public Optional<String> suffix() {
        return Optional.ofNullable(suffix);
    }

    /** Whether the validation split is sent for validation metrics (default true). */
    public boolean validation() {
        return validation;
    }

    /**
     * Whether training starts at once (default true). With {@code false}, a provider with a cost
     * preview (Mistral) validates and prices the job, which then waits for {@code FineTuneJob.start()}.
     */
    public boolean start() {
        return start;
    }

    /**
     * Whether a new job is wanted even when a job of the same intent exists (default false).
     *
     * <p>The intent of a spec is what it trains: the assistant, the dataset version it resolves
     * to, the provider, the base model it resolves to (or the model version continued from), the
     * hyper-parameters, suffix, validation flag and options, and the tenant's validation split.
     * {@link #start()} is not part of it, so a job created for its cost preview and a spec that
     * starts training have the same intent. Without {@code again}, {@code submit} returns the
     * existing job of the same intent instead of creating one when that job is unfinished, or when
     * it succeeded and its model version is not deleted — a retried submission never pays twice,
     * and retraining the same data with the same settings is a decision, not an accident (see
     * {@link ReuseReason}); a failed or cancelled job does not stop a new one.
     */
    public boolean again() {
        return again;
    }

    /** Provider-specific options, e.g. Hugging Face {@code flavor}. */
    public Map<String, String> options() {
        return options;
    }

    @Override
    public String toString() {
        return "FineTuneSpec[" + assistant + "/" + dataset + "@" + datasetVersion + ", provider=" + provider
                + ", baseModel=" + baseModel + ", continueFrom=" + continueFrom + ", " + hyperparameters
                + (again ? ", again" : "") + "]";
    }

    /** Builds a {@link FineTuneSpec}. Not thread-safe. */
    public static final class Builder {
        private final String assistant;
        private final String dataset;
        private String datasetVersion = "latest";
        private String provider;
        private String baseModel;
        private Integer continueFrom;
        private Integer migratedFrom;
        private Hyperparameters hyperparameters = Hyperparameters.AUTO;
        private String suffix;
        private boolean validation = true;
        private boolean start = true;
        private boolean again;
        private final Map<String, String> options = new LinkedHashMap<>();

        private Builder(String assistant, String dataset) {
            this.assistant = Objects.requireNonNull(assistant, "assistant");
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        /** The dataset version: a number, an id ({@code dv-...}) or {@code latest}. */
        public Builder datasetVersion(String version) {
            this.datasetVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** The provider id (default: the assistant's). */
        public Builder provider(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** The base model (default: the assistant's). */
        public Builder baseModel(String baseModel) {
            this.baseModel = Objects.requireNonNull(baseModel, "baseModel");
            return this;
        }

        /** Records that the trained model replaces this model version of the assistant (a migration). */
        public Builder migratedFrom(int modelVersion) {
            if (modelVersion < 1) {
                throw new IllegalArgumentException("migratedFrom must name a model version >= 1, was " + modelVersion);
            }
            this.migratedFrom = modelVersion;
            return this;
        }

        /** Continue training from one of the assistant's model versions instead of a base model. */
        public Builder continueFrom(int modelVersion) {
            if (modelVersion < 1) {
                throw new IllegalArgumentException("modelVersion must be >= 1, was " + modelVersion);
            }
            this.continueFrom = modelVersion;
            return this;
        }

        /** Hyper-parameters (default: all auto). */
        public Builder hyperparameters(Hyperparameters hyperparameters) {
            this.hyperparameters = Objects.requireNonNull(hyperparameters, "hyperparameters");
            return this;
        }

        /** A short name for the fine-tuned model. */
        public Builder suffix(String suffix) {
            this.suffix = Objects.requireNonNull(suffix, "suffix");
            return this;
        }

        /** Whether to send the validation split (default true). */
        public Builder validation(boolean validation) {
            this.validation = validation;
            return this;
        }

        /** Whether to start at once (default true); see {@link FineTuneSpec#start()}. */
        public Builder start(boolean start) {
            this.start = start;
            return this;
        }

        /**
         * Whether to create a new job even when a job of the same intent is unfinished or already
         * trained that data (default false); see {@link FineTuneSpec#again()}.
         */
        public Builder again(boolean again) {
            this.again = again;
            return this;
        }

        /** A provider-specific option. */
        public Builder option(String name, String value) {
            options.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Builds the spec.
         *
         * @throws IllegalStateException when both a base model and a version to continue from are set
         */
        public FineTuneSpec build() {
            if (baseModel != null && continueFrom != null) {
                throw new IllegalStateException("set either baseModel or continueFrom, not both");
            }
            return new FineTuneSpec(this);
        }
    }
}
