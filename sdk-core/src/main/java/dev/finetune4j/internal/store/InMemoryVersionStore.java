package dev.finetune4j.internal.store;

import dev.finetune4j.ConflictException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.StoreException;
import dev.finetune4j.Tenant;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.PurgeReport;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StoreIssue;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VerifyReport;
import dev.finetune4j.store.VersionStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/** {@link VersionStore} in the heap. Thread-safe: each record's chain is guarded by its own lock. */
public final class InMemoryVersionStore implements VersionStore {

    private final Clock clock;
    private final ConcurrentSkipListMap<String, List<Revision>> records = new ConcurrentSkipListMap<>();
    private final Map<Tenant, Map<String, byte[]>> blobs = new ConcurrentHashMap<>();

    /** A store stamping revisions with {@code clock}. */
    public InMemoryVersionStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static String path(StoreKey key) {
        return key.tenant().id() + "\u0000" + key.collection() + "\u0000" + key.id();
    }

    @Override
    public Revision write(StoreKey key, String value, long expectedRevision) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (expectedRevision < 0) {
            throw new IllegalArgumentException("expectedRevision must be >= 0, was " + expectedRevision);
        }
        List<Revision> chain = records.computeIfAbsent(path(key), k -> new ArrayList<>());
        synchronized (chain) {
            if (chain.size() != expectedRevision) {
                throw new ConflictException("record " + key + " is at revision " + chain.size()
                        + ", not " + expectedRevision + " as the write expected", expectedRevision, chain.size());
            }
            Revision r = new Revision(key, expectedRevision + 1, clock.instant(), value);
            chain.add(r);
            return r;
        }
    }

    @Override
    public Optional<Revision> latest(StoreKey key) {
        List<Revision> chain = records.get(path(key));
        if (chain == null) {
            return Optional.empty();
        }
        synchronized (chain) {
            return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1));
        }
    }

    @Override
    public Optional<Revision> read(StoreKey key, long revision) {
        List<Revision> chain = records.get(path(key));
        if (chain == null || revision < 1) {
            return Optional.empty();
        }
        synchronized (chain) {
            return revision <= chain.size() ? Optional.of(chain.get((int) revision - 1)) : Optional.empty();
        }
    }

    @Override
    public Stream<Revision> history(StoreKey key) {
        List<Revision> chain = records.get(path(key));
        if (chain == null) {
            return Stream.empty();
        }
        synchronized (chain) {
            return List.copyOf(chain).stream();
        }
    }

    @Override
    public StorePage list(Tenant tenant, String collection, String after, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000, was " + limit);
        }
        String prefix = tenant.id() + "\u0000" + collection + "\u0000";
        String from = after == null ? prefix : prefix + after;
        List<StoreKey> keys = new ArrayList<>();
        String last = null;
        for (Map.Entry<String, List<Revision>> e : records.tailMap(from, after == null).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            List<Revision> chain = e.getValue();
            synchronized (chain) {
                if (chain.isEmpty()) {
                    continue;
                }
                if (keys.size() == limit) {
                    return new StorePage(keys, last);
                }
                StoreKey k = chain.get(0).key();
                keys.add(k);
                last = k.id();
            }
        }
        return new StorePage(keys, null);
    }

    @Override
    public BlobRef putBlob(Tenant tenant, InputStream content) {
        byte[] bytes;
        try {
            bytes = content.readAllBytes();
        } catch (IOException e) {
            throw new StoreException("could not read the blob content", e);
        }
        String id = HexFormat.of().formatHex(ExampleCodec.sha256(bytes));
        blobs.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).putIfAbsent(id, bytes);
        return new BlobRef(id, bytes.length);
    }

    @Override
    public InputStream openBlob(Tenant tenant, String blobId) {
        byte[] bytes = blobs.getOrDefault(tenant, Map.of()).get(blobId);
        if (bytes == null) {
            throw new NotFoundException("tenant '" + tenant.id() + "' has no blob " + blobId);
        }
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public boolean hasBlob(Tenant tenant, String blobId) {
        return blobs.getOrDefault(tenant, Map.of()).containsKey(blobId);
    }

    @Override
    public boolean delete(StoreKey key) {
        List<Revision> chain = records.remove(path(Objects.requireNonNull(key, "key")));
        if (chain == null) {
            return false;
        }
        synchronized (chain) {
            boolean had = !chain.isEmpty();
            chain.clear();   // a writer still holding this chain finds it emptied, as if deleted after it
            return had;
        }
    }

    @Override
    public boolean deleteBlob(Tenant tenant, String blobId) {
        BlobIds.requireValid(blobId);
        Map<String, byte[]> of = blobs.get(Objects.requireNonNull(tenant, "tenant"));
        return of != null && of.remove(blobId) != null;
    }

    @Override
    public PurgeReport purge(Tenant tenant) {
        String prefix = tenant.id() + "\u0000";
        long recordCount = 0;
        long revisionCount = 0;
        for (var it = records.tailMap(prefix, true).entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Revision>> e = it.next();
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            synchronized (e.getValue()) {
                recordCount++;
                revisionCount += e.getValue().size();
                e.getValue().clear();
            }
            it.remove();
        }
        Map<String, byte[]> removed = blobs.remove(tenant);
        long blobCount = removed == null ? 0 : removed.size();
        long bytes = removed == null ? 0 : removed.values().stream().mapToLong(b -> b.length).sum();
        return new PurgeReport(tenant, recordCount, revisionCount, blobCount, bytes);
    }

    /** Hashes every blob against its id; revisions live as Java objects here and cannot be damaged at rest. */
    @Override
    public VerifyReport verify(boolean repair) {
        long revisions = records.values().stream().mapToLong(chain -> {
            synchronized (chain) {
                return chain.size();
            }
        }).sum();
        List<StoreIssue> issues = new ArrayList<>();
        long count = 0;
        long bytes = 0;
        for (Map.Entry<Tenant, Map<String, byte[]>> tenant : blobs.entrySet()) {
            for (Map.Entry<String, byte[]> blob : tenant.getValue().entrySet()) {
                count++;
                bytes += blob.getValue().length;
                if (!HexFormat.of().formatHex(ExampleCodec.sha256(blob.getValue())).equals(blob.getKey())) {
                    issues.add(new StoreIssue(StoreIssue.Kind.BLOB_DAMAGED, "tenant '" + tenant.getKey().id()
                            + "' blob " + blob.getKey(), "its content does not match its id",
                            StoreIssue.Repair.NOT_POSSIBLE));
                }
            }
        }
        return new VerifyReport("in-memory store", revisions, count, bytes, issues,
                List.of("in-memory store: records live in this JVM's heap only"));
    }

    @Override
    public void close() {
        // nothing to release
    }

}
