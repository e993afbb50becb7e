package dev.finetune4j.job;

import java.util.List;

/**
 * Estimates, submits, lists and resumes fine-tune jobs for one tenant. Obtain it from
 * {@code FineTuning.jobs()}. Thread-safe.
 */
public interface FineTuneJobs {

    /**
     * Counts tokens and prices a spec locally. Nothing leaves the machine.
     *
     * @throws dev.finetune4j.NotFoundException if the assistant, dataset version or provider is unknown
     */
    JobEstimate estimate(FineTuneSpec spec);

    /**
     * Submits a job: checks the minimum-example rule and the provider's data rules first (nothing
     * is uploaded when they fail), records the job, uploads the splits (reusing an earlier upload of
     * the same dataset version and format), creates the remote job tagged with our id, and records
     * every step. Never creates a second remote job for one submission.
     *
     * @throws dev.finetune4j.InsufficientExamplesException below the provider's hard minimum
     * @throws dev.finetune4j.ValidationException when training examples break the provider's rules
     */
    FineTuneJob submit(FineTuneSpec spec);

    /**
     * A job by id, e.g. after a restart.
     *
     * @throws dev.finetune4j.NotFoundException if there is none
     */
    FineTuneJob job(String id);

    /** The jobs of an assistant, oldest first. */
    List<FineTuneJob> list(String assistant);

    /** Every job of the tenant that is not terminal. */
    List<FineTuneJob> active();

    /**
     * Reconciles every unfinished job after a restart: a job recorded but not yet created remotely
     * is first looked for at the provider by its tag, and only created when it is not there; a
     * created job is refreshed. Returns the jobs it touched.
     */
    List<FineTuneJob> resume();

    /**
     * Starts polling unfinished jobs in the background (one daemon thread).
     *
     * @see JobTracker
     */
    JobTracker track(JobTracker.Options options);
}
