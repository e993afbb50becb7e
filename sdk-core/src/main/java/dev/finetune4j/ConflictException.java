package dev.finetune4j;

/**
 * A compare-and-set write lost: another writer changed the record first.
 *
 * <p>Carries the revision the caller expected and the one that is current now, so the caller can
 * re-read and decide whether to try again.
 */
public class ConflictException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    private final long expectedRevision;
    private final long currentRevision;

    /** Creates the exception. */
    public ConflictException(String message, long expectedRevision, long currentRevision) {
        super(message);
        this.expectedRevision = expectedRevision;
        this.currentRevision = currentRevision;
    }

    /** The revision the losing writer expected to follow. */
    public long expectedRevision() {
        return expectedRevision;
    }

    /** The revision that is current now (0 when the record does not exist). */
    public long currentRevision() {
        return currentRevision;
    }

    /** A conflict is worth retrying after re-reading the record. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
