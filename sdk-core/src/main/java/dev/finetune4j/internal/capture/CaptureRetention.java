package dev.finetune4j.internal.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.ConflictException;
import dev.finetune4j.Tenant;
import dev.finetune4j.capture.Capture;
import dev.finetune4j.capture.PruneResult;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;

/**
 * Deletes old capture segments, whole, with the feedback on their calls. Each segment goes in an
 * order that leaves nothing dangling at any point a process may die:
 *
 * <ol>
 *   <li><b>mark</b>: a second revision of the segment's record says {@code "pruning": true}; from
 *       then on readers skip the segment (its captures are gone for them);
 *   <li><b>feedback</b>: the feedback record of every call in the segment is deleted (the segment's
 *       data, still there, says which calls it holds);
 *   <li><b>data</b>: the segment's blob is deleted;
 *   <li><b>record</b>: the segment's record is deleted.
 * </ol>
 *
 * An interrupted prune leaves a marked record, which the next prune covering its time finishes;
 * never feedback whose capture is gone from the store while its record is readable, nor a readable
 * record naming a missing blob.
 *
 * <p>Lookups by time need nothing else kept in step: the segment's record key is the time index
 * ({@link CaptureSegments}), so deleting the record is all there is, and a lookup that listed the
 * key before the prune reads the record first and skips it once it is marked or gone. A prune
 * lists the time-ordered segments only up to its cutoff (they are ordered by end time), and the
 * segments of the legacy layout all.
 */
final class CaptureRetention {

    private CaptureRetention() {}

    /**
     * Deletes the assistant's segments whose newest capture is older than {@code cutoffMillis}
     * (epoch milliseconds), one page of segment keys at a time.
     */
    static PruneResult prune(VersionStore store, Tenant tenant, String assistant, long cutoffMillis) {
        PruneResult total = PruneResult.NONE;
        // the time-ordered layout is listed only up to the cutoff: the newer segments are not read
        for (Iterator<CaptureSegments.Segment> it = CaptureSegments.segments(store, tenant, assistant,
                Long.MIN_VALUE, cutoffMillis == Long.MIN_VALUE ? cutoffMillis : cutoffMillis - 1); it.hasNext(); ) {
            CaptureSegments.Segment s = it.next();
            if (s.toMillis() < cutoffMillis) {
                total = total.plus(pruneSegment(store, s));
            }
        }
        return total;
    }

    /** The four steps on one segment; a segment already gone counts nothing. */
    static PruneResult pruneSegment(VersionStore store, CaptureSegments.Segment segment) {
        StoreKey key = segment.key();
        Optional<Revision> latest = store.latest(key);
        if (latest.isEmpty()) {
            return PruneResult.NONE;
        }
        CaptureSegments.Record record = CaptureSegments.Record.parse(latest.get(), key);
        if (!record.pruning()) {
            ObjectNode marked = record.node().deepCopy();
            marked.put("pruning", true);
            try {
                store.write(key, Json.mapper().writeValueAsString(marked), latest.get().number());
            } catch (ConflictException e) {
                // another prune marked it first: the steps below are safe to run twice
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialise a segment record", e);
            }
        }
        Tenant tenant = key.tenant();
        long feedback = 0;
        if (store.hasBlob(tenant, record.blob())) {
            try (CaptureSegments.CloseableIterator captures = CaptureSegments.open(store, tenant, record.blob(),
                    key.toString())) {
                while (captures.hasNext()) {
                    Capture c = captures.next();
                    if (store.delete(DefaultCaptures.feedbackKey(tenant, segment.assistant(), c.callId()))) {
                        feedback++;
                    }
                }
            } catch (dev.finetune4j.NotFoundException gone) {
                // another prune deleted the data between the check and the open: it did this step first
            }
        }
        boolean data = store.deleteBlob(tenant, record.blob());
        store.delete(key);
        return new PruneResult(1, record.count(), feedback, data ? record.size() : 0);
    }
}
