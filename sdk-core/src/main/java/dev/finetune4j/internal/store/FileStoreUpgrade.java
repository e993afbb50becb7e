package dev.finetune4j.internal.store;

import dev.finetune4j.LoggerNames;
import dev.finetune4j.store.StoreKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a format 1 file store (no checksums) to format 2, once, under the store's upgrade lock:
 * every revision file exactly as format 1 wrote it gets its checksum (its content could not be
 * verified before, and the marker says from when on it is), every blob of more than one chunk gets
 * its chunk table after its content was checked against its id, and the marker is replaced last.
 * Files that are not what format 1 wrote (a damaged header, content not matching the id) are
 * left as they are: reads refuse them and {@code verify} reports them. Idempotent: a crash part
 * way leaves a format 1 marker, and the next open finishes the job.
 */
final class FileStoreUpgrade {

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.STORE);

    private final FileVersionStore store;
    private long sealed;
    private long tables;
    private long damaged;

    FileStoreUpgrade(FileVersionStore store) {
        this.store = store;
    }

    void run() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(store.tenantsDir())) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(FileVersionStore.REVISION_SUFFIX)) {
                sealRevision(file);
            } else if (FileVersionStore.isBlobName(name)) {
                tableFor(file);
            }
        }
        StoreMarker marker = new StoreMarker(FileVersionStore.FORMAT, store.clock().instant(), sealed);
        store.replace(store.root().resolve(FileVersionStore.MARKER), marker.toBytes());
        LOG.warn("upgraded the file store at {} from format 1 to format {}: {} revision(s) written without a checksum "
                        + "were given one now (damage they had before cannot be detected), {} chunk table(s) written; "
                        + "{} damaged item(s) were left as they are (run `finetune4j store verify` to list them)",
                store.root(), FileVersionStore.FORMAT, sealed, tables, damaged);
    }

    private void sealRevision(Path file) throws IOException {
        StoreKey key = FileVersionStore.keyOf(file.getParent());
        String name = file.getFileName().toString();
        long number;
        try {
            number = Long.parseLong(name.substring(0, name.length() - FileVersionStore.REVISION_SUFFIX.length()));
        } catch (NumberFormatException e) {
            return;
        }
        if (key == null) {
            return;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (RevisionFile.problem(key, number, bytes) == null) {
            return; // sealed by an earlier, interrupted upgrade
        }
        byte[] sealedBytes = RevisionFile.sealLegacy(key, number, bytes);
        if (sealedBytes == null) {
            damaged++;
            LOG.warn("upgrade of {}: revision file {} is damaged; left as it is", store.root(), file);
            return;
        }
        store.replace(file, sealedBytes);
        sealed++;
    }

    private void tableFor(Path blob) throws IOException {
        try (FileChannel ch = FileChannel.open(blob, StandardOpenOption.READ)) {
            long size = ch.size();
            if (!BlobChunks.hasTable(size)) {
                return;
            }
            BlobChunks.Check check = BlobChunks.check(blob.getFileName().toString(), size,
                    FileVersionStore.readTable(blob), FileVersionStore.chunks(ch));
            if (check.contentProblem() != null) {
                damaged++;
                LOG.warn("upgrade of {}: blob {} is damaged ({}); left as it is", store.root(), blob,
                        check.contentProblem());
            } else if (check.tableProblem() != null) {
                store.replace(FileVersionStore.tableFile(blob), check.table());
                tables++;
            }
        }
    }
}
