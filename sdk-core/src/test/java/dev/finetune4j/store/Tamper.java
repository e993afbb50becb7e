package dev.finetune4j.store;

import dev.finetune4j.Tenant;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Damages what a store keeps the way failing disks, crashes and careless hands do, behind the
 * store's back; each store's test says how for its medium (files, table rows).
 */
public interface Tamper {

    /** Flips one bit of the stored revision (anywhere in what is stored for it), chosen by {@code random}. */
    void flipBit(StoreKey key, long revision, Random random);

    /** Edits the stored value text of a revision, leaving everything else (its checksum too) as it is. */
    void editValue(StoreKey key, long revision, UnaryOperator<String> edit);

    /** Copies revision {@code from} as stored over revision {@code to} (which must exist). */
    void copyRevision(StoreKey from, long fromNumber, StoreKey to, long toNumber);

    /** Flips one bit of a blob's content at byte {@code offset}. */
    void flipBlobBit(Tenant tenant, String blobId, long offset);

    /** Cuts a blob's content to {@code size} bytes. */
    void truncateBlob(Tenant tenant, String blobId, long size);

    /** Removes a blob entirely. */
    void deleteBlob(Tenant tenant, String blobId);

    /** Where the store reports a damaged revision: its file or row. */
    String location(StoreKey key, long revision);

    /** Where the store reports a damaged blob: its file or row. */
    String location(Tenant tenant, String blobId);
}
