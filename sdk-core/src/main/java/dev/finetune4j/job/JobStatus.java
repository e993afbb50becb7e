package dev.finetune4j.job;

/**
 * The provider-neutral status of a fine-tune job. The provider's own status string is always kept
 * beside it ({@code rawStatus}); a status this library does not know maps to {@link #UNKNOWN}
 * instead of failing.
 *
 * <p>Mapping: OpenAI {@code validating_files, queued, running, succeeded, failed, cancelled,
 * paused}; Mistral {@code QUEUED, STARTED, VALIDATING, VALIDATED, RUNNING, FAILED_VALIDATION,
 * FAILED, SUCCESS, CANCELLED, CANCELLATION_REQUESTED}; Hugging Face Jobs {@code SCHEDULING,
 * RUNNING, UPDATING, COMPLETED, CANCELED, ERROR, DELETED}.
 */
public enum JobStatus {
    /** Recorded here, nothing sent to the provider yet (or the upload is under way). */
    PENDING,
    /** The provider is validating the training data. */
    VALIDATING,
    /** Accepted and waiting for capacity (or, after a cost preview, for the start). */
    QUEUED,
    /** Training. */
    RUNNING,
    /** Paused (OpenAI's pause endpoint). */
    PAUSED,
    /** Finished; a fine-tuned model exists. */
    SUCCEEDED,
    /** Finished without a model. */
    FAILED,
    /** Cancelled (or a cancellation is being processed). */
    CANCELLED,
    /** A status this library does not know; see the raw status. */
    UNKNOWN;

    /** Whether the job can change no more. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
