package dev.finetune4j.store;

import dev.finetune4j.Tenant;
import dev.finetune4j.internal.store.StagingArea;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The storage SPI: per {@link StoreKey} an append-only chain of immutable {@link Revision}s, written
 * with compare-and-set, plus content-addressed blobs for large payloads. Every stored thing belongs
 * to one tenant.
 *
 * <p>Every byte read back is verified before it is returned: a revision against its own checksum
 * (which covers its key and number too), a blob chunk by chunk against checksums kept with it, so
 * that a reader stopping early has still read only verified bytes. Damage is reported as a
 * {@link dev.finetune4j.CorruptDataException} naming the file or row, never returned.
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

    /**
     * The latest revision of a record, absent when the record does not exist.
     *
     * @throws dev.finetune4j.CorruptDataException if the revision fails its checksum
     */
    Optional<Revision> latest(StoreKey key);

    /**
     * One revision of a record, absent when there is no such revision.
     *
     * @throws dev.finetune4j.CorruptDataException if the revision fails its checksum
     */
    Optional<Revision> read(StoreKey key, long revision);

    /**
     * Every revision of a record, oldest first. The stream holds resources: close it. A revision
     * that fails its checksum throws {@link dev.finetune4j.CorruptDataException} when the stream
     * reaches it.
     */
    Stream<Revision> history(StoreKey key);

    /**
     * One page of the records of a collection, ordered by id.
     *
     * <p>The page holds the ids greater than {@code after}: a page's cursor is its last id, and any
     * id (present or not) may be given to start a listing there (capture segments are found by
     * their time that way). Implementations must keep that meaning.
     *
     * @param after the cursor of the previous page, any id to list the ids after it, or {@code null}
     *     for the first page
     * @param limit the most keys to return, 1 to 1000
     */
    StorePage list(Tenant tenant, String collection, String after, int limit);

    /**
     * Stores a blob, reading the stream to its end (the caller closes it). Storing content that
     * is already there is cheap and returns the same reference.
     */
    BlobRef putBlob(Tenant tenant, InputStream content);

    /**
     * Opens a stored blob for reading; the caller closes the stream. The stream hands out a chunk's
     * bytes only after the whole chunk matched its checksum; reading a damaged part throws
     * {@link dev.finetune4j.CorruptDataException} (unchecked, from {@code read}) naming the blob's
     * file or rows.
     *
     * @throws dev.finetune4j.NotFoundException if the tenant has no blob with this id
     */
    InputStream openBlob(Tenant tenant, String blobId);

    /** Whether the tenant has a blob with this id. */
    boolean hasBlob(Tenant tenant, String blobId);

    /**
     * Physically removes one record with every revision it has (retention of data the store keeps
     * only for a time, such as captured calls). Atomic as readers see it: a record is there with
     * its whole chain or not at all, also when the process dies during the call. A later write
     * with {@code expectedRevision} 0 creates the record afresh, numbered from 1.
     *
     * <p>Meant for records no other writer appends to any more: a revision appended while the
     * record is being deleted may be deleted with it.
     *
     * @return whether the record existed
     * @throws dev.finetune4j.StoreException if the delete failed; the record is then still whole
     */
    boolean delete(StoreKey key);

    /**
     * Physically removes one blob of a tenant. Blobs are content-addressed: the caller must know
     * that no record still names it (another record storing the same content names the same blob).
     * A crash during the call leaves the blob either whole or absent, never readable in part.
     *
     * @return whether the tenant had the blob
     * @throws IllegalArgumentException if {@code blobId} is not a blob id
     * @throws dev.finetune4j.StoreException if the delete failed
     */
    boolean deleteBlob(Tenant tenant, String blobId);

    /**
     * Physically removes every record and blob of a tenant (a privacy request). Other tenants
     * are untouched.
     */
    PurgeReport purge(Tenant tenant);

    /**
     * Reads and checks every revision and blob of every tenant, and reports each damaged item with
     * its location and what is wrong. Safe while other threads and processes use the store (what
     * they are writing at that moment is not reported).
     *
     * <p>With {@code repair}, also mends what the store holds enough to mend without guessing —
     * temp and staging files of processes that ended, a stale hint of a record's latest revision,
     * chunk checksums of a blob whose content still matches its id — and reports those issues as
     * {@link StoreIssue.Repair#DONE}. Damaged content is only ever reported: it must be restored
     * from a backup.
     *
     * @param repair whether to mend what can be mended without guessing
     * @return every issue found; {@link VerifyReport#clean()} when no damage is left
     * @throws dev.finetune4j.StoreException if the store cannot be walked at all (I/O or database failure)
     */
    VerifyReport verify(boolean repair);

    /**
     * A directory for scratch files written while preparing data for this store, such as the
     * segments of an import being staged: under the store's own directory when it has one, so that
     * a user's data never lands in the system temp directory, otherwise a directory of this process
     * under {@code java.io.tmpdir} that is deleted when the JVM exits, and whose leftovers from a
     * killed process are deleted when the next process opens a store. Callers create uniquely named
     * files in it and delete them when done.
     *
     * @throws dev.finetune4j.StoreException if the directory cannot be created
     */
    default Path stagingDirectory() {
        return StagingArea.forProcess().directory();
    }

    /**
     * Releases resources and deletes this store's staging directory (the file store's); the
     * in-memory store forgets nothing on close.
     */
    @Override
    void close();
}
