package dev.finetune4j;

import dev.finetune4j.job.JobStatus;
import java.time.Duration;

/**
 * A job did not end within the time a caller chose to wait
 * ({@link dev.finetune4j.job.FineTuneJob#awaitCompletionOrThrow}). Nothing is wrong with the job:
 * it keeps running at the provider and its record stays as the last poll left it; wait again, or
 * let a {@link dev.finetune4j.job.JobTracker} follow it.
 */
public class JobTimeoutException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    private final String jobId;
    private final JobStatus status;
    private final Duration waited;

    /**
     * Creates the exception.
     *
     * @param jobId our job id
     * @param status the job's status at the deadline
     * @param rawStatus the provider's own word for it, or null
     * @param waited how long the caller waited
     */
    public JobTimeoutException(String jobId, JobStatus status, String rawStatus, Duration waited) {
        super("job " + jobId + " is still " + status + (rawStatus == null ? "" : " (" + rawStatus + ")")
                + " after waiting " + waited + "; it goes on at the provider: wait again or follow it with a JobTracker");
        this.jobId = jobId;
        this.status = status;
        this.waited = waited;
    }

    /** Our job id. */
    public String jobId() {
        return jobId;
    }

    /** The job's status at the deadline. */
    public JobStatus status() {
        return status;
    }

    /** How long the caller waited. */
    public Duration waited() {
        return waited;
    }
}
