package dev.finetune4j;

import java.util.Objects;

/**
 * Bytes read back from a store failed verification: a revision whose checksum does not match its
 * content and key, a blob whose content does not match its address or its chunk checksums, a
 * dataset version whose blobs are missing. The damaged data is never returned; a stream that
 * throws this has handed out only bytes that were verified before it.
 *
 * <p>Not retryable: the data stays damaged until it is restored from a backup (or, for the few
 * cases a store can mend without guessing, repaired with {@code VersionStore.verify(true)}, on the
 * command line {@code finetune4j store verify --repair}).
 */
public class CorruptDataException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final String location;

    /**
     * Creates the exception.
     *
     * @param location where the damaged item is: a file path (file store) or a table and key
     *     (JDBC store), e.g. {@code ft4j_revisions[tenant=a, collection=datasets, id=x/main, revision=3]}
     * @param message what is wrong, naming the location
     */
    public CorruptDataException(String location, String message) {
        super(message);
        this.location = Objects.requireNonNull(location, "location");
    }

    /**
     * Creates the exception with its cause.
     *
     * @param location where the damaged item is, see {@link #CorruptDataException(String, String)}
     * @param message what is wrong, naming the location
     * @param cause the failure that revealed the damage
     */
    public CorruptDataException(String location, String message, Throwable cause) {
        super(message, cause);
        this.location = Objects.requireNonNull(location, "location");
    }

    /** Where the damaged item is: a file path or a table and key. */
    public String location() {
        return location;
    }
}
