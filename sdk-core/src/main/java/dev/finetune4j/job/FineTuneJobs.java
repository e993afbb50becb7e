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
     * {@link #estimate} plus the provider's own price, from a provider that quotes one ({@link
     * dev.finetune4j.spi.Capability#PRICE_QUOTE}, e.g. Together AI): checks the data as a submission
     * does, uploads the splits (or reuses an earlier upload of the same dataset version, format and
     * place — the submission that follows reuses this one; uploads are not billed) and asks the
     * provider to price the job, which it only does for files it holds. Nothing is trained and no job
     * is recorded. For a provider that does not quote, this is {@link #estimate}: nothing is sent.
     *
     * @return the estimate, with {@link JobEstimate#quote()} present when the provider priced the job
     * @throws dev.finetune4j.NotFoundException if the assistant, dataset version or provider is unknown
     * @throws dev.finetune4j.InsufficientExamplesException below the provider's hard minimum
     * @throws dev.finetune4j.ValidationException when training examples break the provider's rules
     *     (nothing is uploaded)
     * @throws dev.finetune4j.ProviderException when the upload or the quote fails
     */
    JobEstimate quote(FineTuneSpec spec);

    /**
     * Submits a job: checks the minimum-example rule and the provider's data rules first (nothing
     * is uploaded when they fail), records the job, uploads the splits (reusing an earlier upload of
     * the same dataset version and format), creates the remote job tagged with our id, and records
     * every step. Never creates a second remote job for one submission. A provider that quotes
     * prices ({@link dev.finetune4j.spi.Capability#PRICE_QUOTE}) is asked for its price between the
     * upload and the create; the quote is kept on the job's {@link FineTuneJob#estimate()} (a quote
     * that fails or says the account cannot pay is a warning there, not a refusal, as with the
     * provider's own client).
     *
     * <p>Idempotent per intent (see {@link FineTuneSpec#again()} for what the intent is): when a
     * job of the same intent is unfinished, or succeeded and its model version is not deleted,
     * that job is returned instead, brought up to date — refreshed, or carried on from its recorded
     * step (a job whose create may have reached the provider is looked up by its tag and adopted),
     * or started when it waited after its cost preview and this spec starts training — and
     * {@link FineTuneJob#reused()} says why. Submissions racing on one intent, in this process or
     * in others sharing the store, create one job between them: the intent is claimed with the
     * store's compare-and-set. With {@code again}, a new job is created regardless.
     *
     * @throws dev.finetune4j.InsufficientExamplesException below the provider's hard minimum
     * @throws dev.finetune4j.ValidationException when training examples break the provider's rules
     * @throws dev.finetune4j.JobMayExistException when the create request may have reached the
     *     provider but neither its answer nor a look-up by tag says whether the job exists; the job
     *     stays unfinished, and {@link #resume()} or the same submission again finds it
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
     * is first looked for at the provider by its tag, and only created when it is not there and
     * nobody else is creating it (a caller killed while creating holds that for up to 20 minutes);
     * a created job is refreshed. Returns the jobs it touched.
     */
    List<FineTuneJob> resume();

    /**
     * Starts polling unfinished jobs in the background (one daemon thread).
     *
     * @see JobTracker
     */
    JobTracker track(JobTracker.Options options);
}
