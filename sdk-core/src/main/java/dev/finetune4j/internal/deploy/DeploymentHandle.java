package dev.finetune4j.internal.deploy;

import dev.finetune4j.cost.Money;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.internal.Polling;
import dev.finetune4j.spi.Capability;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A {@link Deployment} handle over a deployment record; getters return the state last read. */
final class DeploymentHandle implements Deployment {

    private final DeploymentBook book;
    private final boolean reused;
    private volatile DeploymentRecord record;

    DeploymentHandle(DeploymentBook book, DeploymentRecord record, boolean reused) {
        this.book = book;
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
    public int modelVersion() {
        return record.modelVersion;
    }

    @Override
    public String provider() {
        return record.provider;
    }

    @Override
    public String providerModelId() {
        return record.providerModelId;
    }

    @Override
    public DeploymentSpec spec() {
        return record.spec;
    }

    @Override
    public Optional<String> remoteId() {
        return Optional.ofNullable(record.remoteId);
    }

    @Override
    public DeploymentState state() {
        return record.state;
    }

    @Override
    public String rawState() {
        return record.rawState;
    }

    @Override
    public Optional<ServingAddress> address() {
        return Optional.ofNullable(record.address());
    }

    @Override
    public Optional<Money> pricePerHour() {
        return Optional.ofNullable(record.pricePerHour);
    }

    @Override
    public Optional<String> error() {
        return Optional.ofNullable(record.error);
    }

    @Override
    public Instant createdAt() {
        return record.createdAt;
    }

    @Override
    public Optional<Instant> readyAt() {
        return Optional.ofNullable(record.readyAt);
    }

    @Override
    public Optional<Instant> deletedAt() {
        return Optional.ofNullable(record.deletedAt);
    }

    @Override
    public Instant updatedAt() {
        return record.updatedAt;
    }

    @Override
    public Duration billedTime() {
        return record.billedTime(book.clock().instant());
    }

    @Override
    public Optional<Money> spend() {
        return Optional.ofNullable(record.spend(book.clock().instant()));
    }

    @Override
    public Optional<Money> costPerHourNow() {
        DeploymentRecord r = record;
        return r.pricePerHour == null ? Optional.empty()
                : Optional.of(r.pricePerHour.times(r.current().billedReplicas()));
    }

    @Override
    public boolean reused() {
        return reused;
    }

    @Override
    public Deployment refresh() {
        record = book.refresh(record.assistant, record.id);
        return this;
    }

    /** Whether waiting longer cannot make it ready by itself: ready, routable, paused or terminal. */
    private boolean settled() {
        DeploymentState s = record.state;
        return s.routable() || s.isTerminal() || s == DeploymentState.PAUSED;
    }

    @Override
    public Deployment awaitReady(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        new Polling(book.context()).until(timeout, () -> {
            refresh();
            return record.state + "/" + record.rawState;
        }, this::settled);
        return this;
    }

    @Override
    public Deployment scale(int minReplicas, int maxReplicas) {
        if (minReplicas < 0 || maxReplicas < 1 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("replicas must satisfy 0 <= min <= max and max >= 1, were min "
                    + minReplicas + " and max " + maxReplicas);
        }
        record = book.change(record, "scale", null, (s, id) -> s.scale(id, minReplicas, maxReplicas));
        return this;
    }

    @Override
    public Deployment pause() {
        record = book.change(record, "pause", Capability.PAUSE_DEPLOYMENT, (s, id) -> s.pause(id));
        return this;
    }

    @Override
    public Deployment resume() {
        record = book.change(record, "resume", Capability.PAUSE_DEPLOYMENT, (s, id) -> s.resume(id));
        return this;
    }

    @Override
    public Deployment scaleToZero() {
        record = book.change(record, "scale to zero", Capability.PAUSE_DEPLOYMENT, (s, id) -> s.scaleToZero(id));
        return this;
    }

    @Override
    public String toString() {
        DeploymentRecord r = record;
        return "Deployment[" + r.id + ", " + r.assistant + " v" + r.modelVersion + " at " + r.provider + ", " + r.state
                + " (" + r.rawState + ")" + (r.remoteId == null ? "" : ", remote " + r.remoteId) + "]";
    }
}
