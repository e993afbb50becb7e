package dev.finetune4j.lifecycle;

/** What a {@link LifecycleEvent} ends. */
public enum LifecycleKind {
    /** The provider takes no new fine-tuning jobs for the model from this date. */
    JOBS_END,
    /** The model (and the fine-tunes that follow it) stops answering from this date. */
    MODEL_SHUTDOWN,
    /** Deployments of the model stop serving from this date (where models are deployed, e.g. Azure). */
    DEPLOYMENTS_RETIRE,
    /** The model or feature is deprecated: still working, no longer supported; often without a date. */
    DEPRECATED;

    /** Whether a model stops answering at this event (shutdown or deployment retirement). */
    public boolean stopsServing() {
        return this == MODEL_SHUTDOWN || this == DEPLOYMENTS_RETIRE;
    }

    /** The snake_case name used in JSON, e.g. {@code jobs_end}. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
