package dev.finetune4j.store;

import dev.finetune4j.Tenant;
import java.io.InputStream;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The storage SPI: per {@link StoreKey} an append-only chain of immutable {@link Revision}s, written
 * with compare-and-set, plus content-addressed blobs for large payloads. Every stored thing belongs
 * to one tenant.
 *
 * <p>Implementations are thread-safe. Obtain the shipped ones from {@link VersionStores}.
 */
public interface VersionStore extends AutoCloseable {

    /**
     * Appends a revision if the record's latest revision is still {@code expectedRevision}.
     *
     * @param expectedRevision the latest revision the caller read, {@code 0} to create the record
     * @return the new revision, numbered {@code expectedRevision + 1}
     * @throws dev.finetune4j.ConflictException if another writer got there first; it carries the
     *     current revision
     * @throws dev.finetune4j.StoreException if the write failed; nothing was written
     */
    Revision write(StoreKey key, String value, long expectedRevision);

    /** The latest revision of a record, absent when the record does not exist. */
    Optional<Revision> latest(StoreKey key);

    /** One revision of a record, absent when there is no such revision. */
    Optional<Revision> read(StoreKey key, long revision);

    /**
     * Every revision of a record, oldest first. The stream holds resources: close it.
     */
    Stream<Revision> history(StoreKey key);

    /**
     * One page of the records of a collection, ordered by id.
     *
     * @param after the cursor of the previous page, or {@code null} for the first page
     * @param limit the most keys to return, 1 to 1000
     */
    StorePage list(Tenant tenant, String collection, String after, int limit);

    /**
     * Stores a blob, reading the stream to its end (the caller closes it). Storing content that
     * is already there is cheap and returns the same reference.
     */
    BlobRef putBlob(Tenant tenant, InputStream content);

    /**
     * Opens a stored blob for reading; the caller closes the stream.
     *
     * @throws dev.finetune4j.NotFoundException if the tenant has no blob with this id
     */
    InputStream openBlob(Tenant tenant, String blobId);

    /** Whether the tenant has a blob with this id. */
    boolean hasBlob(Tenant tenant, String blobId);

    /**
     * Physically removes every record and blob of a tenant (a privacy request). Other tenants
     * are untouched.
     */
    PurgeReport purge(Tenant tenant);

    /** Releases resources; the in-memory store forgets nothing on close. */
    @Override
    void close();
}
