package dev.finetune4j.capture;

import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.ImportOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Captured chat calls of one tenant, their feedback, and their curation into datasets. Obtain it
 * from {@code FineTuning.captures()}. Thread-safe.
 *
 * <p>Capture is off until {@link #enable(String, CapturePolicy)} turns it on for an assistant. Then
 * every router of the same {@code FineTuning} hands each answered call (a sampled share of them) to
 * a bounded queue; one background thread redacts them with the policy's {@link Redactor} and appends
 * them in batches, as segments under the tenant in the store. A chat call never waits for or fails
 * because of capture: when the queue is full the capture is dropped and counted
 * ({@link #stats()}). Shadow copies and failed calls are not captured.
 *
 * <p>Captures stay until {@link #prune} deletes them, the policy's
 * {@link CapturePolicy.Builder#retention(Duration) retention} expires them, or the tenant is purged
 * ({@link dev.finetune4j.store.VersionStore#purge}), which deletes its captures and feedback with
 * everything else of the tenant.
 */
public interface Captures {

    /**
     * Captures the assistant's routed calls from now on, replacing its earlier policy. The policy
     * lives in this process (it holds code): enable it again after a restart.
     */
    void enable(String assistant, CapturePolicy policy);

    /** Stops capturing the assistant's calls; captures already queued are still written. */
    void disable(String assistant);

    /** The assistant's policy, absent while capture is off. */
    Optional<CapturePolicy> policy(String assistant);

    /**
     * Attaches feedback to a captured call, replacing earlier feedback on it (the store keeps every
     * revision). Waits for the call's capture to be written first. The correction and note pass
     * through the assistant's redactor when capture is on for it.
     *
     * <p>The capture is found from the time in the call id: segments are stored in order of time,
     * so the lookup lists the few segment keys around that time and reads one segment, whatever
     * the number of captures. Segments written before that layout (by earlier versions) are still
     * found, by listing all of them, for a call not found among the others.
     *
     * @param callId {@code ChatResponse.callId()}
     * @throws IllegalArgumentException if {@code callId} is not a call id
     * @throws dev.finetune4j.NotFoundException if no capture has this id (capture was off, the call
     *     was not sampled or was dropped, or the tenant's captures were purged)
     */
    Capture feedback(String callId, Feedback feedback);

    /**
     * One captured call with its feedback; found as {@link #feedback} finds it, without waiting for
     * the writer.
     *
     * @throws IllegalArgumentException if {@code callId} is not a call id
     */
    Optional<Capture> find(String callId);

    /**
     * The captures a query matches, with their feedback, oldest segment first. Reads lazily, one
     * segment at a time: close the stream.
     */
    Stream<Capture> find(CaptureQuery query);

    /**
     * Turns the captures a query matches into examples and appends them to {@code dataset} as a new
     * version, through the same validation and deduplication as an import (streamed through a
     * staging file, so memory does not grow with the number of captures).
     *
     * <p>Each example is the captured conversation plus the answer; a correction replaces the answer
     * (and its tool calls). When the conversation has no system message and a prompt version
     * answered, that prompt version's system prompt comes first, as the router sent it; its few-shot
     * turns are not copied. Captures rated down (or scored below 0.5) without a correction are
     * skipped. Each example is tagged {@code source=capture}, {@code call_id}, {@code rating} (or
     * {@code score}) and the feedback's tags.
     *
     * @param options the import's rules and tags; {@link ImportOptions#defaults()} for OpenAI's
     * @param note the new version's note; may be null
     * @throws dev.finetune4j.ValidationException in strict mode when an example breaks the rules
     */
    CurationResult curate(CaptureQuery query, Dataset dataset, ImportOptions options, String note);

    /**
     * Deletes the assistant's captures older than {@code olderThan} (measured back from now), with
     * the feedback on them, whole segments at a time: a segment goes once its newest capture is
     * older than that. Each segment is deleted in an order that is safe to interrupt (a prune killed
     * half way leaves its segments hidden from readers, and the next prune covering them finishes
     * them). Curated dataset versions are not touched: examples already curated stay.
     *
     * @param olderThan how old a capture must be to go, e.g. {@code Duration.ofDays(90)}
     * @throws IllegalArgumentException if {@code olderThan} is negative
     * @throws dev.finetune4j.CorruptDataException if a segment to delete is damaged (it stays, hidden
     *     from readers; restore it from a backup or purge the tenant)
     */
    PruneResult prune(String assistant, Duration olderThan);

    /**
     * Applies the {@link CapturePolicy#retention() retention} of every assistant captured now in
     * this tenant, as the capture writer does by itself at most once an hour while it writes.
     *
     * @return what was deleted; {@link PruneResult#NONE} when no policy has a retention
     */
    PruneResult applyRetention();

    /**
     * Waits until every capture queued before this call is written (or dropped), at most
     * {@code timeout}.
     *
     * @return whether everything was written in time
     */
    boolean flush(Duration timeout);

    /** What the capture writer did so far. */
    CaptureStats stats();
}
