package dev.finetune4j;

/**
 * A job's create request may have reached the provider, but whether the job exists there could
 * not be learned: the answer to the create was lost and looking the job up by its tag failed too
 * (say, rate-limited). Nothing more is sent for the job; its record stays unfinished, and
 * {@code FineTuneJobs.resume()} — or submitting the same spec again — looks for it by its tag and
 * adopts it, creating it only if it is not there. Never a second remote job.
 */
public class JobMayExistException extends TransportException {

    private static final long serialVersionUID = 1L;

    private final String jobId;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param jobId our job id, which is also the tag the provider keeps
     * @param provider the provider id
     * @param reason why the outcome is unknown, e.g. {@code "the answer to its create request was
     *     lost (connection reset), and looking it up by its tag failed: 429 ..."}; no secrets
     * @param cause the failure of the look-up
     */
    public JobMayExistException(String jobId, String provider, String reason, Throwable cause) {
        super("job " + jobId + " may exist at " + provider + ": " + sentence(reason) + ". Its record stays "
                + "unfinished; FineTuneJobs.resume(), or submitting the same spec again, looks for it by its tag "
                + jobId + " and adopts it, creating it only if it is not there", cause, provider, true);
        this.jobId = jobId;
        this.reason = sentence(reason);
    }

    /** The reason without its closing full stop (a provider's message often has one), to end a sentence with ours. */
    private static String sentence(String reason) {
        String r = reason.strip();
        return r.endsWith(".") ? r.substring(0, r.length() - 1) : r;
    }

    /** Our job id, which is also the tag the provider keeps. */
    public String jobId() {
        return jobId;
    }

    /** Why the outcome is unknown, without the advice of {@link #getMessage()} (and no closing full stop). */
    public String reason() {
        return reason;
    }
}
