package dev.finetune4j.assistant;

import dev.finetune4j.cost.Money;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to register as a new {@link ModelVersion}: a model a job trained, or an existing provider
 * model imported by id. Immutable; build with {@link #builder(String, String, String)}.
 */
public final class ModelVersionSpec {

    private final String provider;
    private final String providerModelId;
    private final String baseModel;
    private final TrainedOn trainedOn;
    private final String jobId;
    private final Integer migratedFrom;
    private final Map<String, String> hyperparameters;
    private final ModelMetrics metrics;
    private final Money cost;
    private final ModelState state;
    private final String note;

    private ModelVersionSpec(Builder b) {
        this.provider = b.provider;
        this.providerModelId = b.providerModelId;
        this.baseModel = b.baseModel;
        this.trainedOn = b.trainedOn;
        this.jobId = b.jobId;
        this.migratedFrom = b.migratedFrom;
        this.hyperparameters = Map.copyOf(b.hyperparameters);
        this.metrics = b.metrics;
        this.cost = b.cost;
        this.state = b.state;
        this.note = b.note;
    }

    /**
     * A builder.
     *
     * @param provider the provider id, e.g. {@code openai}
     * @param providerModelId the provider's model id
     * @param baseModel the model it was trained from
     */
    public static Builder builder(String provider, String providerModelId, String baseModel) {
        return new Builder(provider, providerModelId, baseModel);
    }

    /** The provider id. */
    public String provider() {
        return provider;
    }

    /** The provider's model id. */
    public String providerModelId() {
        return providerModelId;
    }

    /** The base model. */
    public String baseModel() {
        return baseModel;
    }

    /** The training data, when known. */
    public Optional<TrainedOn> trainedOn() {
        return Optional.ofNullable(trainedOn);
    }

    /** The job id, when known. */
    public Optional<String> jobId() {
        return Optional.ofNullable(jobId);
    }

    /** The version this one replaces at another provider, when it is a migration's result. */
    public OptionalInt migratedFrom() {
        return migratedFrom == null ? OptionalInt.empty() : OptionalInt.of(migratedFrom);
    }

    /** Hyper-parameters. */
    public Map<String, String> hyperparameters() {
        return hyperparameters;
    }

    /** Metrics. */
    public ModelMetrics metrics() {
        return metrics;
    }

    /** Cost, when known. */
    public Optional<Money> cost() {
        return Optional.ofNullable(cost);
    }

    /** The state to register in ({@link ModelState#READY} by default). */
    public ModelState state() {
        return state;
    }

    /** A note. */
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    /** Builds a {@link ModelVersionSpec}. Not thread-safe. */
    public static final class Builder {
        private final String provider;
        private final String providerModelId;
        private final String baseModel;
        private TrainedOn trainedOn;
        private String jobId;
        private Integer migratedFrom;
        private final Map<String, String> hyperparameters = new LinkedHashMap<>();
        private ModelMetrics metrics = ModelMetrics.NONE;
        private Money cost;
        private ModelState state = ModelState.READY;
        private String note;

        private Builder(String provider, String providerModelId, String baseModel) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.providerModelId = Objects.requireNonNull(providerModelId, "providerModelId");
            this.baseModel = Objects.requireNonNull(baseModel, "baseModel");
            if (providerModelId.isBlank() || baseModel.isBlank() || provider.isBlank()) {
                throw new IllegalArgumentException("provider, providerModelId and baseModel must not be blank");
            }
        }

        /** The training data. */
        public Builder trainedOn(TrainedOn trainedOn) {
            this.trainedOn = Objects.requireNonNull(trainedOn, "trainedOn");
            return this;
        }

        /** The job that produced the model. */
        /** Records the version this one was migrated from. */
        public Builder migratedFrom(int modelVersion) {
            if (modelVersion < 1) {
                throw new IllegalArgumentException("migratedFrom must name a model version >= 1, was " + modelVersion);
            }
            this.migratedFrom = modelVersion;
            return this;
        }

        /** The id of the job that produced it. */
        public Builder jobId(String jobId) {
            this.jobId = Objects.requireNonNull(jobId, "jobId");
            return this;
        }

        /** Adds a hyper-parameter. */
        public Builder hyperparameter(String name, String value) {
            hyperparameters.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The final metrics. */
        public Builder metrics(ModelMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** What training cost. */
        public Builder cost(Money cost) {
            this.cost = Objects.requireNonNull(cost, "cost");
            return this;
        }

        /** The state to register in; {@link ModelState#READY} by default. */
        public Builder state(ModelState state) {
            this.state = Objects.requireNonNull(state, "state");
            if (state == ModelState.DELETED) {
                throw new IllegalArgumentException("a version cannot be registered as deleted");
            }
            return this;
        }

        /** A note. */
        public Builder note(String note) {
            this.note = Objects.requireNonNull(note, "note");
            return this;
        }

        /** Builds the spec. */
        public ModelVersionSpec build() {
            return new ModelVersionSpec(this);
        }
    }
}
