package dev.finetune4j.store;

import dev.finetune4j.Tenant;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.UnaryOperator;

/** {@link Tamper} for the file store: edits its files in place. */
public final class FileTamper implements Tamper {

    private final Path root;

    public FileTamper(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path revisionFile(StoreKey key, long revision) {
        return root.resolve("tenants").resolve(key.tenant().id()).resolve("records").resolve(key.collection())
                .resolve(key.id().replace('/', '~')).resolve(String.format("%012d.rev", revision));
    }

    public Path blobFile(Tenant tenant, String blobId) {
        return root.resolve("tenants").resolve(tenant.id()).resolve("blobs").resolve(blobId.substring(0, 2))
                .resolve(blobId);
    }

    @Override
    public void flipBit(StoreKey key, long revision, Random random) {
        Path file = revisionFile(key, revision);
        try {
            byte[] bytes = Files.readAllBytes(file);
            int bit = random.nextInt(bytes.length * 8);
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void editValue(StoreKey key, long revision, UnaryOperator<String> edit) {
        Path file = revisionFile(key, revision);
        try {
            String text = Files.readString(file);
            int newline = text.indexOf('\n');
            Files.writeString(file, text.substring(0, newline + 1) + edit.apply(text.substring(newline + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void copyRevision(StoreKey from, long fromNumber, StoreKey to, long toNumber) {
        try {
            Files.write(revisionFile(to, toNumber), Files.readAllBytes(revisionFile(from, fromNumber)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flipBlobBit(Tenant tenant, String blobId, long offset) {
        try (RandomAccessFile f = new RandomAccessFile(blobFile(tenant, blobId).toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x04);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void truncateBlob(Tenant tenant, String blobId, long size) {
        try (RandomAccessFile f = new RandomAccessFile(blobFile(tenant, blobId).toFile(), "rw")) {
            f.setLength(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void deleteBlob(Tenant tenant, String blobId) {
        try {
            Files.delete(blobFile(tenant, blobId));
            Files.deleteIfExists(blobFile(tenant, blobId).resolveSibling(blobId + ".sums"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String location(StoreKey key, long revision) {
        return revisionFile(key, revision).toString();
    }

    @Override
    public String location(Tenant tenant, String blobId) {
        return blobFile(tenant, blobId).toString();
    }
}
