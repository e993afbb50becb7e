package dev.finetune4j.spi;

import dev.finetune4j.cost.Money;
import dev.finetune4j.job.JobError;
import dev.finetune4j.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A provider's view of one job, normalised: what a provider returns from create, get, cancel and
 * start. Immutable; providers build it with {@link #builder(String, JobStatus, String)}.
 */
public final class RemoteJob {

    private final String remoteId;
    private final JobStatus status;
    private final String rawStatus;
    private final String baseModel;
    private final String fineTunedModel;
    private final Long trainedTokens;
    private final JobError error;
    private final Instant createdAt;
    private final Instant finishedAt;
    private final String tag;
    private final Money costPreview;
    private final Duration expectedDuration;
    private final Map<String, String> hyperparameters;

    private RemoteJob(Builder b) {
        this.remoteId = b.remoteId;
        this.status = b.status;
        this.rawStatus = b.rawStatus;
        this.baseModel = b.baseModel;
        this.fineTunedModel = b.fineTunedModel;
        this.trainedTokens = b.trainedTokens;
        this.error = b.error;
        this.createdAt = b.createdAt;
        this.finishedAt = b.finishedAt;
        this.tag = b.tag;
        this.costPreview = b.costPreview;
        this.expectedDuration = b.expectedDuration;
        this.hyperparameters = Map.copyOf(b.hyperparameters);
    }

    /**
     * A builder.
     *
     * @param remoteId the provider's job id
     * @param status the normalised status
     * @param rawStatus the provider's status string, as returned
     */
    public static Builder builder(String remoteId, JobStatus status, String rawStatus) {
        return new Builder(remoteId, status, rawStatus);
    }

    /** The provider's job id. */
    public String remoteId() {
        return remoteId;
    }

    /** The normalised status. */
    public JobStatus status() {
        return status;
    }

    /** The provider's status string. */
    public String rawStatus() {
        return rawStatus;
    }

    /** The base model the provider reports. */
    public Optional<String> baseModel() {
        return Optional.ofNullable(baseModel);
    }

    /** The fine-tuned model id, once the job succeeded. */
    public Optional<String> fineTunedModel() {
        return Optional.ofNullable(fineTunedModel);
    }

    /** Billable tokens processed, once known. */
    public OptionalLong trainedTokens() {
        return trainedTokens == null ? OptionalLong.empty() : OptionalLong.of(trainedTokens);
    }

    /** Why the job failed, when it did. */
    public Optional<JobError> error() {
        return Optional.ofNullable(error);
    }

    /** When the provider created the job. */
    public Optional<Instant> createdAt() {
        return Optional.ofNullable(createdAt);
    }

    /** When it finished. */
    public Optional<Instant> finishedAt() {
        return Optional.ofNullable(finishedAt);
    }

    /** Our job id as the provider echoes it (metadata, suffix or label), when it does. */
    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    /** The provider's own price for the job, where it gives one before starting (Mistral). */
    public Optional<Money> costPreview() {
        return Optional.ofNullable(costPreview);
    }

    /** The provider's expected duration, where it gives one. */
    public Optional<Duration> expectedDuration() {
        return Optional.ofNullable(expectedDuration);
    }

    /** Hyper-parameters as the provider resolved them. */
    public Map<String, String> hyperparameters() {
        return hyperparameters;
    }

    @Override
    public String toString() {
        return "RemoteJob[" + remoteId + ", " + status + " (" + rawStatus + ")"
                + (fineTunedModel == null ? "" : ", model " + fineTunedModel) + "]";
    }

    /** Builds a {@link RemoteJob}. Not thread-safe. */
    public static final class Builder {
        private final String remoteId;
        private final JobStatus status;
        private final String rawStatus;
        private String baseModel;
        private String fineTunedModel;
        private Long trainedTokens;
        private JobError error;
        private Instant createdAt;
        private Instant finishedAt;
        private String tag;
        private Money costPreview;
        private Duration expectedDuration;
        private final Map<String, String> hyperparameters = new LinkedHashMap<>();

        private Builder(String remoteId, JobStatus status, String rawStatus) {
            this.remoteId = Objects.requireNonNull(remoteId, "remoteId");
            this.status = Objects.requireNonNull(status, "status");
            this.rawStatus = Objects.requireNonNull(rawStatus, "rawStatus");
        }

        /** The base model. */
        public Builder baseModel(String v) {
            this.baseModel = v;
            return this;
        }

        /** The fine-tuned model id. */
        public Builder fineTunedModel(String v) {
            this.fineTunedModel = v;
            return this;
        }

        /** Billable tokens. */
        public Builder trainedTokens(Long v) {
            this.trainedTokens = v;
            return this;
        }

        /** The failure. */
        public Builder error(JobError v) {
            this.error = v;
            return this;
        }

        /** Creation time. */
        public Builder createdAt(Instant v) {
            this.createdAt = v;
            return this;
        }

        /** Finish time. */
        public Builder finishedAt(Instant v) {
            this.finishedAt = v;
            return this;
        }

        /** Our job id as echoed by the provider. */
        public Builder tag(String v) {
            this.tag = v;
            return this;
        }

        /** The provider's cost preview. */
        public Builder costPreview(Money v) {
            this.costPreview = v;
            return this;
        }

        /** The provider's expected duration. */
        public Builder expectedDuration(Duration v) {
            this.expectedDuration = v;
            return this;
        }

        /** A resolved hyper-parameter. */
        public Builder hyperparameter(String name, String value) {
            hyperparameters.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Builds the value. */
        public RemoteJob build() {
            return new RemoteJob(this);
        }
    }
}
