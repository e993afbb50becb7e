package dev.finetune4j.assistant;

/** Where a {@link ModelVersion} is in its life. */
public enum ModelState {
    /** Its training job is still running. */
    TRAINING,
    /** Trained (or imported) and usable: it can be activated or be a candidate. */
    READY,
    /** Its training job failed; kept for the record. */
    FAILED,
    /** Taken out of use by the host app; kept for lineage, can no longer be activated. */
    RETIRED,
    /** Deleted; the record stays for lineage unless the tenant is purged. */
    DELETED;

    /** Whether a version in this state may be activated or made a candidate. */
    public boolean usable() {
        return this == READY;
    }
}
