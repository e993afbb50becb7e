package dev.finetune4j.deployment;

/**
 * Where a {@link Deployment} is in its life, normalised over the providers' own states (the
 * provider's string is kept beside it as the raw state). An open set: code that switches over it
 * needs a {@code default} branch.
 */
public enum DeploymentState {
    /** Recorded or requested; the provider has not started to bring it up (waiting for capacity). */
    PENDING,
    /** Starting or updating: hardware is being prepared, the model loaded, or it is not yet confirmed to serve. */
    INITIALIZING,
    /** Serving: the provider runs it and the model was confirmed to be served. */
    READY,
    /** Scaled to zero replicas while idle; the next call wakes it (a cold start). */
    SCALED_TO_ZERO,
    /** Paused by its owner; serves nothing until resumed. */
    PAUSED,
    /** The provider could not bring it up (or keep it up); see the deployment's error. */
    FAILED,
    /** Deleted (by us, or behind our back): serves nothing, costs nothing. */
    DELETED,
    /** A state the provider reported that this library does not know; the raw state says which. */
    UNKNOWN;

    /** Whether nothing more happens to it by itself: {@link #FAILED} or {@link #DELETED}. */
    public boolean isTerminal() {
        return this == FAILED || this == DELETED;
    }

    /** Whether chat may be routed to it: {@link #READY}, or {@link #SCALED_TO_ZERO} (the call wakes it). */
    public boolean routable() {
        return this == READY || this == SCALED_TO_ZERO;
    }

    /**
     * Whether a provider bills hardware in this state unless it says otherwise: {@link
     * #INITIALIZING} and {@link #READY} (Hugging Face bills endpoints "initializing and in a
     * running state").
     */
    public boolean billedByDefault() {
        return this == INITIALIZING || this == READY;
    }
}
