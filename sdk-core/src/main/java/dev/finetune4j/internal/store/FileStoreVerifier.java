package dev.finetune4j.internal.store;

import dev.finetune4j.store.StoreIssue;
import dev.finetune4j.store.StoreIssue.Kind;
import dev.finetune4j.store.StoreIssue.Repair;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VerifyReport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * {@link FileVersionStore#verify}: walks every tenant's records and blobs and the staging
 * directory, checking every revision file and reading every blob whole.
 */
final class FileStoreVerifier {

    private static final int TABLE_SUFFIX_LENGTH = FileVersionStore.TABLE_SUFFIX.length();

    private final FileVersionStore store;
    private final boolean repair;
    private final List<StoreIssue> issues = new ArrayList<>();
    private long revisions;
    private long blobs;
    private long bytes;

    FileStoreVerifier(FileVersionStore store, boolean repair) {
        this.store = store;
        this.repair = repair;
    }

    VerifyReport run() throws IOException {
        List<String> notes = new ArrayList<>();
        StoreMarker marker = store.marker();
        notes.add("file store format " + FileVersionStore.FORMAT + ": every revision and blob carries a checksum");
        if (marker != null && marker.upgraded().isPresent()) {
            notes.add("upgraded from format 1 at " + marker.upgradedAt() + ": " + marker.sealedRevisions()
                    + " revision(s) written before then were given their checksum at the upgrade; damage they "
                    + "had before it cannot be detected");
        }
        for (Path tenant : children(store.tenantsDir())) {
            for (Path part : children(tenant)) {
                String name = part.getFileName().toString();
                if (name.equals("records") && Files.isDirectory(part)) {
                    for (Path collection : children(part)) {
                        for (Path record : children(collection)) {
                            checkRecord(record);
                        }
                    }
                } else if (name.equals("blobs") && Files.isDirectory(part)) {
                    for (Path prefix : children(part)) {
                        for (Path file : children(prefix)) {
                            checkBlobDirEntry(prefix, file);
                        }
                    }
                } else {
                    unexpected(part);
                }
            }
        }
        checkStaging();
        issues.sort(Comparator.comparing((StoreIssue i) -> !i.damage()).thenComparing(StoreIssue::location));
        return new VerifyReport(store.root().toString(), revisions, blobs, bytes, issues, notes);
    }

    private void checkRecord(Path dir) throws IOException {
        StoreKey key = Files.isDirectory(dir) ? FileVersionStore.keyOf(dir) : null;
        if (key == null) {
            unexpected(dir);
            return;
        }
        TreeMap<Long, Path> numbers = new TreeMap<>();
        boolean head = false;
        for (Path file : children(dir)) {
            String name = file.getFileName().toString();
            if (name.equals("head")) {
                head = true;
            } else if (name.matches("[0-9]{12}\\" + FileVersionStore.REVISION_SUFFIX)
                    && Long.parseLong(name.substring(0, 12)) > 0) {
                numbers.put(Long.parseLong(name.substring(0, 12)), file);
            } else {
                unexpected(file);
            }
        }
        for (var e : numbers.entrySet()) {
            revisions++;
            try {
                String problem = RevisionFile.problem(key, e.getKey(), Files.readAllBytes(e.getValue()));
                if (problem != null) {
                    issues.add(new StoreIssue(Kind.REVISION_DAMAGED, e.getValue().toString(),
                            "revision " + e.getKey() + " of " + key + " is damaged: " + problem, Repair.NOT_POSSIBLE));
                }
            } catch (NoSuchFileException gone) {
                revisions--;
            }
        }
        long latest = numbers.isEmpty() ? 0 : numbers.lastKey();
        for (long n = 1; n < latest; n++) {
            if (!numbers.containsKey(n)) {
                issues.add(new StoreIssue(Kind.REVISION_MISSING, FileVersionStore.revisionFile(dir, n).toString(),
                        "revision " + n + " of " + key + " is missing; the record has revisions up to " + latest,
                        Repair.NOT_POSSIBLE));
            }
        }
        if (latest > 0) {
            String hint = null;
            try {
                hint = head ? Files.readString(dir.resolve("head")).trim() : null;
            } catch (IOException unreadable) {
                hint = "(unreadable)";
            }
            if (!Long.toString(latest).equals(hint)) {
                // a hint behind the latest revision is normal while writers race; it is still worth a refresh
                Repair done = Repair.POSSIBLE;
                if (repair) {
                    store.writeHeadHint(dir, FileVersionStore.scanLatest(dir));
                    done = Repair.DONE;
                }
                issues.add(new StoreIssue(Kind.STALE_HEAD_HINT, dir.resolve("head").toString(),
                        (hint == null ? "the head hint is missing" : "the head hint says " + hint)
                                + "; the latest revision is " + latest, done));
            }
        }
    }

    private void checkBlobDirEntry(Path prefix, Path file) throws IOException {
        String name = file.getFileName().toString();
        String dirName = prefix.getFileName().toString();
        if (FileVersionStore.isBlobName(name) && name.startsWith(dirName) && Files.isRegularFile(file)) {
            checkBlob(file);
        } else if (name.endsWith(FileVersionStore.TABLE_SUFFIX) && name.startsWith(dirName)
                && FileVersionStore.isBlobName(name.substring(0, name.length() - TABLE_SUFFIX_LENGTH))) {
            Path blob = file.resolveSibling(name.substring(0, 64));
            // a table written moments ago belongs to a blob being stored right now
            if (!Files.exists(blob) && isOld(file)) {
                Repair done = Repair.POSSIBLE;
                if (repair) {
                    Files.deleteIfExists(file);
                    done = Repair.DONE;
                }
                issues.add(new StoreIssue(Kind.LEFTOVER, file.toString(), "chunk table of a blob that is not there",
                        done));
            }
        } else {
            unexpected(file);
        }
    }

    private void checkBlob(Path file) throws IOException {
        BlobChunks.Check check;
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            byte[] table = BlobChunks.hasTable(size) ? FileVersionStore.readTable(file) : null;
            check = BlobChunks.check(file.getFileName().toString(), size, table, FileVersionStore.chunks(ch));
        } catch (NoSuchFileException gone) {
            return;
        }
        blobs++;
        bytes += size;
        if (check.contentProblem() != null) {
            issues.add(new StoreIssue(Kind.BLOB_DAMAGED, file.toString(), "blob is damaged: " + check.contentProblem(),
                    Repair.NOT_POSSIBLE));
        } else if (check.tableProblem() != null) {
            Repair done = Repair.POSSIBLE;
            if (repair) {
                store.replace(FileVersionStore.tableFile(file), check.table());
                done = Repair.DONE;
            }
            issues.add(new StoreIssue(Kind.CHUNK_TABLE_DAMAGED, FileVersionStore.tableFile(file).toString(),
                    "blob content is intact but " + check.tableProblem() + " (rebuilt from the content on repair)",
                    done));
        }
    }

    private void checkStaging() throws IOException {
        Instant now = Instant.now();
        for (Path dir : StagingArea.sweep(store.tmp(), now, repair)) {
            issues.add(new StoreIssue(Kind.LEFTOVER, dir.toString(), "staging directory of a process that ended",
                    repair ? Repair.DONE : Repair.POSSIBLE));
        }
        for (Path file : children(store.tmp())) {
            if (Files.isRegularFile(file) && isOld(file)) {
                Repair done = Repair.POSSIBLE;
                if (repair) {
                    Files.deleteIfExists(file);
                    done = Repair.DONE;
                }
                issues.add(new StoreIssue(Kind.LEFTOVER, file.toString(), "temp file left by an ended write", done));
            }
        }
    }

    private boolean isOld(Path file) throws IOException {
        try {
            return Files.getLastModifiedTime(file).toInstant()
                    .isBefore(store.clock().instant().minus(FileVersionStore.STALE_TEMP));
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    private void unexpected(Path path) {
        issues.add(new StoreIssue(Kind.UNEXPECTED_FILE, path.toString(), "not a file this store writes; left alone",
                Repair.NOT_POSSIBLE));
    }

    private static List<Path> children(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(out::add);
        } catch (NoSuchFileException gone) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
