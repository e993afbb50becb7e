package dev.finetune4j.internal.job;

import dev.finetune4j.JobTimeoutException;
import dev.finetune4j.UnsupportedCapabilityException;
import dev.finetune4j.cost.Money;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.JobError;
import dev.finetune4j.job.JobEstimate;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.job.ReuseReason;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** A {@link FineTuneJob} handle over a job record; getters return the state last read. */
final class JobHandle implements FineTuneJob {

    private final JobService service;
    private final ReuseReason reused;
    private volatile JobRecord record;

    JobHandle(JobService service, JobRecord record) {
        this(service, record, null);
    }

    /** A handle that {@code submit} returned instead of creating a job, for this reason (null: created). */
    JobHandle(JobService service, JobRecord record, ReuseReason reused) {
        this.service = service;
        this.record = record;
        this.reused = reused;
    }

    @Override
    public String id() {
        return record.id;
    }

    @Override
    public String assistant() {
        return record.assistant;
    }

    @Override
    public String provider() {
        return record.provider;
    }

    @Override
    public String baseModel() {
        return record.baseModel;
    }

    @Override
    public String datasetVersion() {
        return record.datasetLabel();
    }

    @Override
    public Optional<String> remoteId() {
        return Optional.ofNullable(record.remoteId);
    }

    @Override
    public JobStatus status() {
        return record.status;
    }

    @Override
    public String rawStatus() {
        return record.rawStatus;
    }

    @Override
    public Optional<JobError> error() {
        return Optional.ofNullable(record.error);
    }

    @Override
    public Optional<String> fineTunedModel() {
        return Optional.ofNullable(record.fineTunedModel);
    }

    @Override
    public OptionalInt modelVersion() {
        return record.modelVersion == null ? OptionalInt.empty() : OptionalInt.of(record.modelVersion);
    }

    @Override
    public JobEstimate estimate() {
        return record.estimate;
    }

    @Override
    public Optional<Money> costPreview() {
        return Optional.ofNullable(record.costPreview);
    }

    @Override
    public Optional<ReuseReason> reused() {
        return Optional.ofNullable(reused);
    }

    @Override
    public Instant createdAt() {
        return record.createdAt;
    }

    @Override
    public Instant updatedAt() {
        return record.updatedAt;
    }

    @Override
    public FineTuneJob refresh() {
        record = service.refresh(record.id);
        return this;
    }

    private boolean done() {
        JobRecord r = record;
        return r.status.isTerminal() && (r.status != JobStatus.SUCCEEDED || r.modelVersion != null);
    }

    @Override
    public FineTuneJob awaitCompletion(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        service.polling().until(timeout, () -> {
            refresh();
            return record.status + "/" + record.rawStatus;
        }, this::done);
        return this;
    }

    @Override
    public FineTuneJob awaitCompletionOrThrow(Duration timeout) {
        awaitCompletion(timeout);
        if (!done()) {
            throw new JobTimeoutException(record.id, record.status, record.rawStatus, timeout);
        }
        return this;
    }

    private TrainingService remote() {
        return JobService.training(service.provider(record.provider));
    }

    private String requireRemote(String action) {
        if (record.remoteId == null) {
            refresh();
        }
        if (record.remoteId == null) {
            throw new IllegalStateException("job " + record.id + " does not exist at " + record.provider
                    + " yet; cannot " + action + " it");
        }
        return record.remoteId;
    }

    @Override
    public FineTuneJob start() {
        if (!JobService.has(service.provider(record.provider), Capability.COST_PREVIEW)) {
            throw new UnsupportedCapabilityException(record.provider, Capability.COST_PREVIEW, "start job " + record.id
                    + " (its jobs start when they are created, so there is nothing to start)");
        }
        RemoteJob remote = remote().startJob(requireRemote("start"));
        record = service.update(record.id, r -> {
            JobService.apply(r, remote);
            r.start = true;
            return r;
        });
        return this;
    }

    @Override
    public FineTuneJob cancel() {
        if (record.status.isTerminal()) {
            return this;
        }
        RemoteJob remote = remote().cancelJob(requireRemote("cancel"));
        record = service.update(record.id, r -> {
            JobService.apply(r, remote);
            return r;
        });
        return this;
    }

    @Override
    public List<JobEvent> newEvents() {
        EventPage page = remote().events(requireRemote("read the events of"), record.eventsCursor);
        if (page.cursor() != null && !page.cursor().equals(record.eventsCursor)) {
            record = service.update(record.id, r -> {
                r.eventsCursor = page.cursor();
                return r;
            });
        }
        return page.events();
    }

    @Override
    public List<MetricPoint> metrics() {
        return remote().metrics(requireRemote("read the metrics of"));
    }

    @Override
    public String toString() {
        JobRecord r = record;
        return "FineTuneJob[" + r.id + ", " + r.provider + " " + (r.remoteId == null ? "-" : r.remoteId) + ", "
                + r.status + " (" + r.rawStatus + ")" + (r.modelVersion == null ? "" : ", model version "
                + r.modelVersion) + "]";
    }
}
