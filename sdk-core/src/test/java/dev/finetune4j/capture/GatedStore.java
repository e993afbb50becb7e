package dev.finetune4j.capture;

import dev.finetune4j.Tenant;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.PurgeReport;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VerifyReport;
import dev.finetune4j.store.VersionStore;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A store whose blob writes wait at a gate while it is closed: a store slowed down to a halt, for
 * the capture writer to run into; and deletes that can be made to fail, as a prune killed at that
 * step. It counts the reads that locating a capture costs (listings per collection and the keys
 * they returned, record reads, blob opens). Everything else passes straight through.
 */
final class GatedStore implements VersionStore {

    private final VersionStore inner;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    final CountDownLatch blocked = new CountDownLatch(1);
    /** A prune "dies" (throws) when it deletes a blob, as a process killed at that step. */
    volatile boolean dieDeletingBlobs;
    /** A prune "dies" (throws) when it deletes a record of this collection; null: never. */
    volatile String dieDeletingIn;
    /** Listings per collection since the last {@link #resetCounts()}. */
    final Map<String, AtomicInteger> lists = new ConcurrentHashMap<>();
    /** Keys the listings of each collection returned since the last {@link #resetCounts()}. */
    final Map<String, AtomicInteger> listedKeys = new ConcurrentHashMap<>();
    /** Latest-revision reads since the last {@link #resetCounts()}. */
    final AtomicInteger latestReads = new AtomicInteger();
    /** Blobs opened since the last {@link #resetCounts()}. */
    final AtomicInteger blobOpens = new AtomicInteger();

    void resetCounts() {
        lists.clear();
        listedKeys.clear();
        latestReads.set(0);
        blobOpens.set(0);
    }

    int lists(String collection) {
        return lists.getOrDefault(collection, new AtomicInteger()).get();
    }

    int listedKeys(String collection) {
        return listedKeys.getOrDefault(collection, new AtomicInteger()).get();
    }

    GatedStore(VersionStore inner) {
        this.inner = inner;
    }

    void shut() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    @Override
    public BlobRef putBlob(Tenant tenant, InputStream content) {
        CountDownLatch g = gate;
        if (g.getCount() > 0) {
            blocked.countDown();
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the gate", e);
            }
        }
        return inner.putBlob(tenant, content);
    }

    @Override
    public Revision write(StoreKey key, String value, long expectedRevision) {
        return inner.write(key, value, expectedRevision);
    }

    @Override
    public Optional<Revision> latest(StoreKey key) {
        latestReads.incrementAndGet();
        return inner.latest(key);
    }

    @Override
    public Optional<Revision> read(StoreKey key, long revision) {
        return inner.read(key, revision);
    }

    @Override
    public Stream<Revision> history(StoreKey key) {
        return inner.history(key);
    }

    @Override
    public StorePage list(Tenant tenant, String collection, String after, int limit) {
        StorePage page = inner.list(tenant, collection, after, limit);
        lists.computeIfAbsent(collection, c -> new AtomicInteger()).incrementAndGet();
        listedKeys.computeIfAbsent(collection, c -> new AtomicInteger()).addAndGet(page.keys().size());
        return page;
    }

    @Override
    public InputStream openBlob(Tenant tenant, String blobId) {
        blobOpens.incrementAndGet();
        return inner.openBlob(tenant, blobId);
    }

    @Override
    public boolean hasBlob(Tenant tenant, String blobId) {
        return inner.hasBlob(tenant, blobId);
    }

    @Override
    public boolean delete(StoreKey key) {
        if (dieDeletingIn != null && dieDeletingIn.equals(key.collection())) {
            throw new IllegalStateException("process died deleting " + key);
        }
        return inner.delete(key);
    }

    @Override
    public boolean deleteBlob(Tenant tenant, String blobId) {
        if (dieDeletingBlobs) {
            throw new IllegalStateException("process died deleting blob " + blobId);
        }
        return inner.deleteBlob(tenant, blobId);
    }

    @Override
    public PurgeReport purge(Tenant tenant) {
        return inner.purge(tenant);
    }

    @Override
    public VerifyReport verify(boolean repair) {
        return inner.verify(repair);
    }

    @Override
    public void close() {
        inner.close();
    }
}
