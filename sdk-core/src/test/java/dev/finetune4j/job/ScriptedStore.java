package dev.finetune4j.job;

import dev.finetune4j.Tenant;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.PurgeReport;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VerifyReport;
import dev.finetune4j.store.VersionStore;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A store that runs a hook before each read of a record's latest revision and before each write,
 * to stage races (two threads meeting after the same read) and crashes (a write that fails)
 * deterministically; everything else goes to the wrapped store.
 */
final class ScriptedStore implements VersionStore {

    private final VersionStore store;
    volatile Consumer<StoreKey> beforeLatest = k -> { };
    volatile Consumer<StoreKey> beforeWrite = k -> { };

    ScriptedStore(VersionStore store) {
        this.store = store;
    }

    @Override
    public Revision write(StoreKey key, String value, long expectedRevision) {
        beforeWrite.accept(key);
        return store.write(key, value, expectedRevision);
    }

    @Override
    public Optional<Revision> latest(StoreKey key) {
        beforeLatest.accept(key);
        return store.latest(key);
    }

    @Override
    public Optional<Revision> read(StoreKey key, long revision) {
        return store.read(key, revision);
    }

    @Override
    public Stream<Revision> history(StoreKey key) {
        return store.history(key);
    }

    @Override
    public StorePage list(Tenant tenant, String collection, String after, int limit) {
        return store.list(tenant, collection, after, limit);
    }

    @Override
    public BlobRef putBlob(Tenant tenant, InputStream content) {
        return store.putBlob(tenant, content);
    }

    @Override
    public InputStream openBlob(Tenant tenant, String blobId) {
        return store.openBlob(tenant, blobId);
    }

    @Override
    public boolean hasBlob(Tenant tenant, String blobId) {
        return store.hasBlob(tenant, blobId);
    }

    @Override
    public boolean delete(StoreKey key) {
        return store.delete(key);
    }

    @Override
    public boolean deleteBlob(Tenant tenant, String blobId) {
        return store.deleteBlob(tenant, blobId);
    }

    @Override
    public PurgeReport purge(Tenant tenant) {
        return store.purge(tenant);
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public VerifyReport verify(boolean repair) {
        return store.verify(repair);
    }

    @Override
    public Path stagingDirectory() {
        return store.stagingDirectory();
    }
}
