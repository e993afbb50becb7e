package dev.finetune4j.spi;

import dev.finetune4j.cost.Money;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's view of one deployment, normalised: what a {@link DeploymentService} returns.
 * Immutable; providers build it with {@link #builder(String, DeploymentState, String)}.
 */
public final class RemoteDeployment {

    private final String remoteId;
    private final DeploymentState state;
    private final String rawState;
    private final ServingAddress address;
    private final Money pricePerHour;
    private final int billedReplicas;
    private final String tag;
    private final String hardware;
    private final String error;
    private final Instant createdAt;

    private RemoteDeployment(Builder b) {
        this.remoteId = b.remoteId;
        this.state = b.state;
        this.rawState = b.rawState;
        this.address = b.address;
        this.pricePerHour = b.pricePerHour;
        this.billedReplicas = b.billedReplicas != null ? b.billedReplicas : b.state.billedByDefault() ? 1 : 0;
        this.tag = b.tag;
        this.hardware = b.hardware;
        this.error = b.error;
        this.createdAt = b.createdAt;
    }

    /**
     * A builder.
     *
     * @param remoteId the provider's id of the deployment (an endpoint name)
     * @param state the normalised state
     * @param rawState the provider's state string, as returned
     */
    public static Builder builder(String remoteId, DeploymentState state, String rawState) {
        return new Builder(remoteId, state, rawState);
    }

    /** A builder holding this value, to change a part of it. */
    public Builder toBuilder() {
        Builder b = new Builder(remoteId, state, rawState);
        b.address = address;
        b.pricePerHour = pricePerHour;
        b.billedReplicas = billedReplicas;
        b.tag = tag;
        b.hardware = hardware;
        b.error = error;
        b.createdAt = createdAt;
        return b;
    }

    /** The provider's id of the deployment. */
    public String remoteId() {
        return remoteId;
    }

    /** The normalised state. */
    public DeploymentState state() {
        return state;
    }

    /** The provider's state string. */
    public String rawState() {
        return rawState;
    }

    /** Where it serves, once known. */
    public Optional<ServingAddress> address() {
        return Optional.ofNullable(address);
    }

    /** The price per hour of one replica, when the provider publishes one. */
    public Optional<Money> pricePerHour() {
        return Optional.ofNullable(pricePerHour);
    }

    /**
     * How many replicas are billed in this state: what the provider reports, else 1 in the states
     * {@link DeploymentState#billedByDefault() billed by default} and 0 in the others.
     */
    public int billedReplicas() {
        return billedReplicas;
    }

    /** Our deployment id as the provider echoes it (a tag, a label, the name), when it does. */
    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    /** The hardware as the provider names it, when it says. */
    public Optional<String> hardware() {
        return Optional.ofNullable(hardware);
    }

    /** Why it failed or is not serving, when the provider says. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** When the provider created it. */
    public Optional<Instant> createdAt() {
        return Optional.ofNullable(createdAt);
    }

    @Override
    public String toString() {
        return "RemoteDeployment[" + remoteId + ", " + state + " (" + rawState + ")"
                + (address == null ? "" : ", " + address) + "]";
    }

    /** Builds a {@link RemoteDeployment}. Not thread-safe. */
    public static final class Builder {
        private final String remoteId;
        private final DeploymentState state;
        private final String rawState;
        private ServingAddress address;
        private Money pricePerHour;
        private Integer billedReplicas;
        private String tag;
        private String hardware;
        private String error;
        private Instant createdAt;

        private Builder(String remoteId, DeploymentState state, String rawState) {
            this.remoteId = Objects.requireNonNull(remoteId, "remoteId");
            this.state = Objects.requireNonNull(state, "state");
            this.rawState = Objects.requireNonNull(rawState, "rawState");
        }

        /** Where it serves. */
        public Builder address(ServingAddress v) {
            this.address = v;
            return this;
        }

        /** The price per hour of one replica. */
        public Builder pricePerHour(Money v) {
            this.pricePerHour = v;
            return this;
        }

        /**
         * How many replicas are billed now.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder billedReplicas(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("billedReplicas must not be negative, was " + v);
            }
            this.billedReplicas = v;
            return this;
        }

        /** Our deployment id as echoed. */
        public Builder tag(String v) {
            this.tag = v;
            return this;
        }

        /** The hardware. */
        public Builder hardware(String v) {
            this.hardware = v;
            return this;
        }

        /** Why it failed or is not serving. */
        public Builder error(String v) {
            this.error = v;
            return this;
        }

        /** Creation time. */
        public Builder createdAt(Instant v) {
            this.createdAt = v;
            return this;
        }

        /** Builds the value. */
        public RemoteDeployment build() {
            return new RemoteDeployment(this);
        }
    }
}
