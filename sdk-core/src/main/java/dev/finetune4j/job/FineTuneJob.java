package dev.finetune4j.job;

import dev.finetune4j.cost.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One training run, tracked in the store from before the first remote call to the registered
 * model version. A handle: its getters return the state last read ({@link #refresh()} reads the
 * provider again) and it can be re-attached after a restart with {@code jobs().job(id)}.
 *
 * <p>Thread-safe.
 */
public interface FineTuneJob {

    /** Our id, e.g. {@code ftj-2k9x7q4m1c8z}; also the tag the provider keeps. */
    String id();

    /** The assistant being trained. */
    String assistant();

    /** The provider id. */
    String provider();

    /** The model trained from (a base model or a parent fine-tuned model). */
    String baseModel();

    /** The dataset version trained on ({@code assistant/dataset@number}). */
    String datasetVersion();

    /** The provider's job id, once the job exists there. */
    Optional<String> remoteId();

    /** The normalised status. */
    JobStatus status();

    /** The provider's own status string ({@code "PENDING"} before the job exists remotely). */
    String rawStatus();

    /** Why it failed, when it did. */
    Optional<JobError> error();

    /** The fine-tuned model id, once it succeeded. */
    Optional<String> fineTunedModel();

    /** The model version registered for it, once it succeeded and was registered. */
    OptionalInt modelVersion();

    /** The local estimate made at submission. */
    JobEstimate estimate();

    /** The provider's own price, where it gives one before starting (Mistral). */
    Optional<Money> costPreview();

    /**
     * Why {@link FineTuneJobs#submit} returned this existing job instead of creating one, when it
     * did; empty on a job that submission created, and on handles obtained any other way
     * ({@code job(id)}, {@code list}, {@code active}, {@code resume}).
     */
    Optional<ReuseReason> reused();

    /** When the job was recorded. */
    Instant createdAt();

    /** When its record last changed. */
    Instant updatedAt();

    /**
     * Reads the provider's state, records any change, and on success registers the model version
     * (once per job). Returns this handle.
     */
    FineTuneJob refresh();

    /**
     * Refreshes until the job is terminal or {@code timeout} has passed, waiting between polls on
     * the caller's thread (no thread is left behind). Returns at the deadline without saying so:
     * check {@link #status()}, or use {@link #awaitCompletionOrThrow}. An interrupt ends the wait
     * the same way, with the thread's interrupt flag set again.
     *
     * @return this handle, terminal or not
     */
    FineTuneJob awaitCompletion(Duration timeout);

    /**
     * As {@link #awaitCompletion}, but a job still running at the deadline is an exception: when
     * this returns, the job has ended ({@link #status()} is terminal; a succeeded job has its model
     * version).
     *
     * @return this handle, terminal
     * @throws dev.finetune4j.JobTimeoutException when the job has not ended within {@code timeout}
     *     (or the waiting thread was interrupted, its flag set again), naming its status
     */
    FineTuneJob awaitCompletionOrThrow(Duration timeout);

    /**
     * Starts a job created with {@code start(false)} after its cost preview.
     *
     * @throws dev.finetune4j.UnsupportedCapabilityException when the provider has no cost preview
     *     ({@link dev.finetune4j.spi.Capability#COST_PREVIEW}): its jobs start when they are created
     */
    FineTuneJob start();

    /** Cancels the job at the provider. */
    FineTuneJob cancel();

    /** Events since the last call (the cursor is kept in the job record), oldest first. */
    List<JobEvent> newEvents();

    /** Metrics reported so far, by step. */
    List<MetricPoint> metrics();
}
