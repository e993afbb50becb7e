package dev.finetune4j.capture;

/**
 * What a prune of captures removed from the store: whole segments, with the feedback on their calls.
 *
 * @param segments segments deleted
 * @param captures captured calls they held
 * @param feedback feedback records deleted with them
 * @param bytes bytes of segment data deleted
 */
public record PruneResult(long segments, long captures, long feedback, long bytes) {

    /** Nothing removed. */
    public static final PruneResult NONE = new PruneResult(0, 0, 0, 0);

    /** Both results added up. */
    public PruneResult plus(PruneResult other) {
        return new PruneResult(segments + other.segments, captures + other.captures, feedback + other.feedback,
                bytes + other.bytes);
    }
}
