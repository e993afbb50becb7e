package dev.finetune4j.bench;

import dev.finetune4j.Tenant;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.PurgeReport;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VerifyReport;
import dev.finetune4j.store.VersionStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A {@link VersionStore} decorator that counts what a caller asks of the store: blobs opened and
 * the bytes read from them, blobs stored and their bytes, record reads and writes, and the wall
 * time spent inside store calls (reading a blob's stream included). It shows, without a profiler,
 * whether an operation's cost grows with what it reads. Thread-safe.
 */
final class CountingStore implements VersionStore {

    /** What was asked of the store since the last {@link #reset()}. */
    record Counts(long blobsOpened, long bytesRead, long blobsPut, long bytesPut, long recordReads,
            long recordWrites, long storeNanos) {}

    private final VersionStore delegate;
    private final AtomicLong blobsOpened = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong blobsPut = new AtomicLong();
    private final AtomicLong bytesPut = new AtomicLong();
    private final AtomicLong recordReads = new AtomicLong();
    private final AtomicLong recordWrites = new AtomicLong();
    private final AtomicLong storeNanos = new AtomicLong();

    CountingStore(VersionStore delegate) {
        this.delegate = delegate;
    }

    void reset() {
        blobsOpened.set(0);
        bytesRead.set(0);
        blobsPut.set(0);
        bytesPut.set(0);
        recordReads.set(0);
        recordWrites.set(0);
        storeNanos.set(0);
    }

    Counts counts() {
        return new Counts(blobsOpened.get(), bytesRead.get(), blobsPut.get(), bytesPut.get(), recordReads.get(),
                recordWrites.get(), storeNanos.get());
    }

    @Override
    public Revision write(StoreKey key, String value, long expectedRevision) {
        long t = System.nanoTime();
        try {
            return delegate.write(key, value, expectedRevision);
        } finally {
            recordWrites.incrementAndGet();
            storeNanos.addAndGet(System.nanoTime() - t);
        }
    }

    @Override
    public Optional<Revision> latest(StoreKey key) {
        long t = System.nanoTime();
        try {
            return delegate.latest(key);
        } finally {
            recordReads.incrementAndGet();
            storeNanos.addAndGet(System.nanoTime() - t);
        }
    }

    @Override
    public Optional<Revision> read(StoreKey key, long revision) {
        long t = System.nanoTime();
        try {
            return delegate.read(key, revision);
        } finally {
            recordReads.incrementAndGet();
            storeNanos.addAndGet(System.nanoTime() - t);
        }
    }

    @Override
    public Stream<Revision> history(StoreKey key) {
        recordReads.incrementAndGet();
        return delegate.history(key);
    }

    @Override
    public StorePage list(Tenant tenant, String collection, String after, int limit) {
        recordReads.incrementAndGet();
        return delegate.list(tenant, collection, after, limit);
    }

    @Override
    public BlobRef putBlob(Tenant tenant, InputStream content) {
        long t = System.nanoTime();
        try {
            BlobRef ref = delegate.putBlob(tenant, content);
            blobsPut.incrementAndGet();
            bytesPut.addAndGet(ref.size());
            return ref;
        } finally {
            storeNanos.addAndGet(System.nanoTime() - t);
        }
    }

    @Override
    public InputStream openBlob(Tenant tenant, String blobId) {
        long t = System.nanoTime();
        InputStream in = delegate.openBlob(tenant, blobId);
        storeNanos.addAndGet(System.nanoTime() - t);
        blobsOpened.incrementAndGet();
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                long t0 = System.nanoTime();
                int b = super.read();
                storeNanos.addAndGet(System.nanoTime() - t0);
                if (b >= 0) {
                    bytesRead.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                long t0 = System.nanoTime();
                int n = super.read(b, off, len);
                storeNanos.addAndGet(System.nanoTime() - t0);
                if (n > 0) {
                    bytesRead.addAndGet(n);
                }
                return n;
            }
        };
    }

    @Override
    public boolean hasBlob(Tenant tenant, String blobId) {
        return delegate.hasBlob(tenant, blobId);
    }

    @Override
    public boolean delete(StoreKey key) {
        return delegate.delete(key);
    }

    @Override
    public boolean deleteBlob(Tenant tenant, String blobId) {
        return delegate.deleteBlob(tenant, blobId);
    }

    @Override
    public PurgeReport purge(Tenant tenant) {
        return delegate.purge(tenant);
    }

    @Override
    public VerifyReport verify(boolean repair) {
        return delegate.verify(repair);
    }

    @Override
    public Path stagingDirectory() {
        return delegate.stagingDirectory();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
