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
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * A store whose blob writes wait at a gate while it is closed: a store slowed down to a halt, for
 * the capture writer to run into; and deletes that can be made to fail, as a prune killed at that
 * step. Everything else passes straight through.
 */
final class GatedStore implements VersionStore {

    private final VersionStore inner;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    final CountDownLatch blocked = new CountDownLatch(1);
    /** A prune "dies" (throws) when it deletes a blob, as a process killed at that step. */
    volatile boolean dieDeletingBlobs;
    /** A prune "dies" (throws) when it deletes a record of this collection; null: never. */
    volatile String dieDeletingIn;

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
        return inner.list(tenant, collection, after, limit);
    }

    @Override
    public InputStream openBlob(Tenant tenant, String blobId) {
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
