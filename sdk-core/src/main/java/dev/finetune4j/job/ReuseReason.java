package dev.finetune4j.job;

/**
 * Why {@link FineTuneJobs#submit} returned an existing job instead of creating one: a job of the
 * same intent — same assistant, dataset version, provider, base model (or version continued from)
 * and spec — already existed. See {@link FineTuneJob#reused()}; {@link FineTuneSpec#again()} asks
 * for a new job anyway.
 */
public enum ReuseReason {
    /**
     * The job is not finished: recorded and not yet created at the provider (it was looked up by
     * its tag and adopted, or carried on from its recorded step), or created and still going.
     */
    UNFINISHED,
    /**
     * The job was created without starting (a cost preview) and waited for its start; this
     * submission asks for training to start, so it was started now.
     */
    PREVIEW_STARTED,
    /**
     * The job was created without starting (a cost preview) and still waits for
     * {@link FineTuneJob#start()}: this submission asks for a preview too, or the provider has not
     * priced the job yet, so it cannot be started yet (start it once
     * {@link FineTuneJob#costPreview()} is there).
     */
    PREVIEW_WAITING,
    /**
     * The job succeeded and its model version is not deleted (or is not registered yet: the next
     * {@link FineTuneJob#refresh()} registers it): the same data was already trained with the same
     * settings, so nothing is trained or paid for again.
     */
    ALREADY_TRAINED
}
