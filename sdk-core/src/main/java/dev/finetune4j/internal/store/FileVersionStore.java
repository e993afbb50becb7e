package dev.finetune4j.internal.store;

import dev.finetune4j.ConflictException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.StoreException;
import dev.finetune4j.Tenant;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.PurgeReport;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VerifyReport;
import dev.finetune4j.store.VersionStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The embedded {@link VersionStore}: plain files under one directory, safe for several threads and
 * several JVMs at once.
 *
 * <pre>
 * ROOT/finetune4j-store.json                       format marker ({"format":2,...})
 * ROOT/tmp/UUID/                                   staging directory of one open store (a
 *                                                  {@link StagingArea}: deleted on close, swept at
 *                                                  open once its process has ended)
 * ROOT/tenants/T/records/COLLECTION/ID/000000000001.rev   one file a revision ('/' in ID becomes '~')
 * ROOT/tenants/T/records/COLLECTION/ID/head        hint: the latest revision number
 * ROOT/tenants/T/blobs/ab/abcdef...                content-addressed blobs (SHA-256)
 * ROOT/tenants/T/blobs/ab/abcdef....sums           chunk table of a blob over 1 MiB ({@link BlobChunks})
 * </pre>
 *
 * <p>A revision file ({@link RevisionFile}) is a one-line JSON header carrying the revision's
 * checksum, followed by the value verbatim; every read verifies it. Every file is written to the
 * staging directory, forced to disk, then hard-linked (revisions: {@code link} fails atomically
 * when the name exists, so two processes can never both create revision n+1) or renamed (blobs:
 * same content, so a fresh copy may replace a damaged one) into place, and a crash leaves either
 * no file or a whole one. The directory is forced after, so a write is durable when the call
 * returns.
 *
 * <p>Format 1 stores (no checksums) are upgraded once, when first opened by this version, under a
 * lock; see {@link FileStoreUpgrade}.
 */
public final class FileVersionStore implements VersionStore {

    static final int FORMAT = 2;
    static final String MARKER = "finetune4j-store.json";
    static final String REVISION_SUFFIX = ".rev";
    static final String TABLE_SUFFIX = ".sums";
    static final Duration STALE_TEMP = Duration.ofHours(1);
    private static final Cleaner CLEANER = Cleaner.create();
    private static final Map<Path, Object> UPGRADE_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final Path tmp;
    private final Clock clock;
    private final StagingArea staging;

    /**
     * Opens (creating if needed) a store directory, upgrading a format 1 store.
     *
     * @throws StoreException if the directory cannot be created or holds another format
     */
    public FileVersionStore(Path root, Clock clock) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.staging = new StagingArea(tmp);
        CLEANER.register(this, staging::close);
        try {
            Files.createDirectories(tmp);
            Files.createDirectories(this.root.resolve("tenants"));
            StoreMarker marker = StoreMarker.read(this.root.resolve(MARKER));
            if (marker == null) {
                writeNew(this.root.resolve(MARKER), StoreMarker.fresh().toBytes());
            } else if (marker.format() < FORMAT) {
                upgrade();
            }
            cleanStaleTemps();
            StagingArea.sweep(tmp, Instant.now(), true);
        } catch (IOException e) {
            throw new StoreException("cannot open the file store at " + this.root + ": " + e.getMessage(), e);
        }
    }

    private void upgrade() throws IOException {
        synchronized (UPGRADE_LOCKS.computeIfAbsent(root, r -> new Object())) {
            try (FileChannel ch = FileChannel.open(root.resolve("upgrade.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE)) {
                ch.lock(); // across processes; released when the channel closes
                StoreMarker marker = StoreMarker.read(root.resolve(MARKER));
                if (marker != null && marker.format() < FORMAT) {
                    new FileStoreUpgrade(this).run();
                }
            }
        }
    }

    /** The store's directory. */
    public Path root() {
        return root;
    }

    Path tmp() {
        return tmp;
    }

    Clock clock() {
        return clock;
    }

    @Override
    public Path stagingDirectory() {
        return staging.directory();
    }

    private void cleanStaleTemps() throws IOException {
        Instant cutoff = clock.instant().minus(STALE_TEMP);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp, Files::isRegularFile)) {
            for (Path f : files) {
                try {
                    if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(f);
                    }
                } catch (NoSuchFileException ignored) {
                    // another process finished or cleaned it
                }
            }
        }
    }

    Path tenantsDir() {
        return root.resolve("tenants");
    }

    private Path tenantDir(Tenant tenant) {
        return tenantsDir().resolve(tenant.id());
    }

    private Path recordDir(StoreKey key) {
        return tenantDir(key.tenant()).resolve("records").resolve(key.collection()).resolve(key.id().replace('/', '~'));
    }

    static Path revisionFile(Path dir, long revision) {
        return dir.resolve(String.format("%012d", revision) + REVISION_SUFFIX);
    }

    static Path tableFile(Path blobFile) {
        return blobFile.resolveSibling(blobFile.getFileName() + TABLE_SUFFIX);
    }

    @Override
    public Revision write(StoreKey key, String value, long expectedRevision) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (expectedRevision < 0) {
            throw new IllegalArgumentException("expectedRevision must be >= 0, was " + expectedRevision);
        }
        Path dir = recordDir(key);
        try {
            if (expectedRevision > 0 && !Files.exists(revisionFile(dir, expectedRevision))) {
                long current = latestNumber(dir);
                throw new ConflictException("record " + key + " is at revision " + current + ", not "
                        + expectedRevision + " as the write expected", expectedRevision, current);
            }
            Files.createDirectories(dir);
            long number = expectedRevision + 1;
            Instant now = clock.instant();
            Path target = revisionFile(dir, number);
            if (!writeNew(target, RevisionFile.encode(key, number, now, value))) {
                long current = latestNumber(dir);
                throw new ConflictException("record " + key + " is at revision " + current + ", not "
                        + expectedRevision + " as the write expected", expectedRevision, current);
            }
            writeHeadHint(dir, number);
            return new Revision(key, number, now, value);
        } catch (IOException e) {
            throw new StoreException("could not write " + key + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a new file atomically: staged file, force, hard link into place, force the directory.
     *
     * @return false when {@code target} already existed (nothing was changed)
     */
    private boolean writeNew(Path target, byte[] content) throws IOException {
        Path temp = stage(content);
        try {
            return linkIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes {@code content} to a new file in the staging directory, forced to disk. */
    Path stage(byte[] content) throws IOException {
        Path temp = staging.directory().resolve(UUID.randomUUID() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        return temp;
    }

    /**
     * Replaces {@code target} with {@code content} atomically (staged, forced, renamed over it),
     * for files whose right content does not depend on who writes it: blobs, chunk tables, the
     * marker, sealed revisions.
     */
    void replace(Path target, byte[] content) throws IOException {
        Path temp = stage(content);
        try {
            install(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void install(Path temp, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    /** Hard-links {@code temp} to {@code target}; false when {@code target} exists already. */
    private static boolean linkIntoPlace(Path temp, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        forceDirectory(target.getParent());
        return true;
    }

    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open directories; the file itself was forced
        }
    }

    void writeHeadHint(Path dir, long number) {
        try {
            Path temp = staging.directory().resolve(UUID.randomUUID() + ".head");
            try {
                Files.writeString(temp, Long.toString(number));
                Files.move(temp, dir.resolve("head"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | StoreException e) {
            // only a hint: readers probe past it
        }
    }

    /** The latest revision number: the head hint, then probing forward; 0 when there is none. */
    private long latestNumber(Path dir) throws IOException {
        long n = 0;
        try {
            n = Long.parseLong(Files.readString(dir.resolve("head")).trim());
        } catch (NoSuchFileException | NumberFormatException | java.nio.charset.MalformedInputException e) {
            n = scanLatest(dir);
        }
        if (n < 0 || n > 0 && !Files.exists(revisionFile(dir, n))) {
            n = scanLatest(dir);
        }
        while (Files.exists(revisionFile(dir, n + 1))) {
            n++;
        }
        return n;
    }

    static long scanLatest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long max = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + REVISION_SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    max = Math.max(max, Long.parseLong(name.substring(0, name.length() - REVISION_SUFFIX.length())));
                } catch (NumberFormatException ignored) {
                    // not a revision file
                }
            }
        }
        return max;
    }

    @Override
    public Optional<Revision> latest(StoreKey key) {
        Path dir = recordDir(key);
        try {
            long n = latestNumber(dir);
            return n == 0 ? Optional.empty() : read(key, n);
        } catch (IOException e) {
            throw new StoreException("could not read " + key + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Revision> read(StoreKey key, long revision) {
        if (revision < 1) {
            return Optional.empty();
        }
        Path file = revisionFile(recordDir(key), revision);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("could not read " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(RevisionFile.decode(key, revision, file, bytes));
    }

    @Override
    public Stream<Revision> history(StoreKey key) {
        Path dir = recordDir(key);
        long latest;
        try {
            latest = latestNumber(dir);
        } catch (IOException e) {
            throw new StoreException("could not read " + key + " in " + dir + ": " + e.getMessage(), e);
        }
        return LongStream.rangeClosed(1, latest).mapToObj(n -> read(key, n).orElseThrow(() ->
                new dev.finetune4j.CorruptDataException(revisionFile(dir, n).toString(), "revision file "
                        + revisionFile(dir, n) + " is missing: the chain of " + key + " has a gap before revision "
                        + latest + "; restore it from a backup")));
    }

    @Override
    public StorePage list(Tenant tenant, String collection, String after, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000, was " + limit);
        }
        Path dir = tenantDir(tenant).resolve("records").resolve(new StoreKey(tenant, collection, "x").collection());
        List<String> ids = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> records = Files.newDirectoryStream(dir)) {
                for (Path r : records) {
                    String id = r.getFileName().toString().replace('~', '/');
                    if (after == null || id.compareTo(after) > 0) {
                        ids.add(id);
                    }
                }
            } catch (IOException e) {
                throw new StoreException("could not list " + dir + ": " + e.getMessage(), e);
            }
        }
        ids.sort(null);
        // only records with a first revision count; checking them while filling the page keeps a
        // listing at about limit + 1 file checks a page instead of one per record
        List<StoreKey> keys = new ArrayList<>();
        String more = null;
        for (String id : ids) {
            if (!Files.exists(revisionFile(dir.resolve(id.replace('/', '~')), 1))) {
                continue;
            }
            if (keys.size() == limit) {
                more = keys.get(limit - 1).id();
                break;
            }
            keys.add(new StoreKey(tenant, collection, id));
        }
        return new StorePage(keys, more);
    }

    private Path blobFile(Tenant tenant, String blobId) {
        BlobIds.requireValid(blobId);
        return tenantDir(tenant).resolve("blobs").resolve(blobId.substring(0, 2)).resolve(blobId);
    }

    @Override
    public BlobRef putBlob(Tenant tenant, InputStream content) {
        Objects.requireNonNull(content, "content");
        Path temp = null;
        try {
            temp = staging.directory().resolve(UUID.randomUUID() + ".blob");
            BlobChunks.Hasher hasher = new BlobChunks.Hasher();
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(ch)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = content.read(buf)) > 0; ) {
                    hasher.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
                out.flush();
                ch.force(true);
            }
            hasher.finish();
            Path target = blobFile(tenant, hasher.id());
            byte[] table = hasher.table();
            if (table != null) {
                // the table first: a blob is never visible without the checksums its readers need
                replace(tableFile(target), table);
            }
            // always the fresh copy: it was just hashed, so it mends a damaged copy of the same content
            install(temp, target);
            return new BlobRef(hasher.id(), hasher.size());
        } catch (IOException e) {
            throw new StoreException("could not store a blob in " + tenantDir(tenant) + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // left for the staging sweep
                }
            }
        }
    }

    @Override
    public InputStream openBlob(Tenant tenant, String blobId) {
        Path file = blobFile(tenant, blobId);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("tenant '" + tenant.id() + "' has no blob " + blobId + " (" + file + ")");
        } catch (IOException e) {
            throw new StoreException("could not open blob " + file + ": " + e.getMessage(), e);
        }
        try {
            long size = ch.size();
            byte[] table = BlobChunks.hasTable(size) ? readTable(file) : null;
            return new VerifiedBlobStream(file.toString(), blobId, size, table, chunks(ch), ch);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // reported below
            }
            throw new StoreException("could not open blob " + file + ": " + e.getMessage(), e);
        }
    }

    /** The chunk table of a blob file, null when it has none. */
    static byte[] readTable(Path blobFile) throws IOException {
        try {
            return Files.readAllBytes(tableFile(blobFile));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Reads chunks of an open blob file by position (its size is the file's length when opened). */
    static BlobChunks.Source chunks(FileChannel ch) {
        return (seq, into, length) -> {
            long at = (long) seq * BlobChunks.SIZE;
            ByteBuffer buf = ByteBuffer.wrap(into, 0, length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, at + buf.position()) < 0) {
                    break;
                }
            }
            return buf.position();
        };
    }

    @Override
    public boolean hasBlob(Tenant tenant, String blobId) {
        return Files.exists(blobFile(tenant, blobId));
    }

    /** Whether a file name in a blob directory is a blob's (64 hex characters, no suffix). */
    static boolean isBlobName(String name) {
        return name.length() == 64 && name.matches("[0-9a-f]{64}");
    }

    /**
     * Renames the record's directory into the staging directory (one atomic step: the record is
     * whole or gone, and a crash leaves the renamed directory to the staging sweep), then deletes it.
     */
    @Override
    public boolean delete(StoreKey key) {
        Path dir = recordDir(Objects.requireNonNull(key, "key"));
        if (!Files.isDirectory(dir)) {
            return false;
        }
        Path doomed = staging.directory().resolve("delete-" + UUID.randomUUID());
        try {
            boolean had = Files.exists(revisionFile(dir, 1));
            try {
                Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return false;   // another thread or process deleted it first
            }
            forceDirectory(dir.getParent());
            deleteRecursively(doomed);
            return had;
        } catch (IOException e) {
            throw new StoreException("could not delete " + key + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renames the blob file into the staging directory (atomic: readers find it whole or not at
     * all), deletes it, then its chunk table; a table left by a crash in between is a leftover
     * {@link #verify} lists and repairs.
     */
    @Override
    public boolean deleteBlob(Tenant tenant, String blobId) {
        Path file = blobFile(Objects.requireNonNull(tenant, "tenant"), BlobIds.requireValid(blobId));
        Path doomed = staging.directory().resolve("delete-" + UUID.randomUUID() + ".blob");
        try {
            try {
                Files.move(file, doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return false;
            }
            forceDirectory(file.getParent());
            Files.deleteIfExists(doomed);
            Files.deleteIfExists(tableFile(file));
            return true;
        } catch (IOException e) {
            throw new StoreException("could not delete blob " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public PurgeReport purge(Tenant tenant) {
        Path dir = tenantDir(tenant);
        if (!Files.exists(dir)) {
            return new PurgeReport(tenant, 0, 0, 0, 0);
        }
        Path doomed = staging.directory().resolve("purge-" + UUID.randomUUID());
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            long[] counts = new long[4];
            Path records = doomed.resolve("records");
            if (Files.isDirectory(records)) {
                try (Stream<Path> files = Files.walk(records)) {
                    files.forEach(p -> {
                        String name = p.getFileName().toString();
                        if (name.equals(String.format("%012d", 1) + REVISION_SUFFIX)) {
                            counts[0]++;
                        }
                        if (name.endsWith(REVISION_SUFFIX)) {
                            counts[1]++;
                        }
                    });
                }
            }
            Path blobs = doomed.resolve("blobs");
            if (Files.isDirectory(blobs)) {
                try (Stream<Path> files = Files.walk(blobs)) {
                    for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        if (isBlobName(p.getFileName().toString())) {
                            counts[2]++;
                            counts[3] += Files.size(p);
                        }
                    }
                }
            }
            deleteRecursively(doomed);
            forceDirectory(tenantsDir());
            return new PurgeReport(tenant, counts[0], counts[1], counts[2], counts[3]);
        } catch (IOException e) {
            throw new StoreException("could not purge tenant '" + tenant.id() + "' from " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public VerifyReport verify(boolean repair) {
        try {
            return new FileStoreVerifier(this, repair).run();
        } catch (IOException e) {
            throw new StoreException("could not verify the file store at " + root + ": " + e.getMessage(), e);
        }
    }

    /** The store's marker, as read now. */
    StoreMarker marker() throws IOException {
        return StoreMarker.read(root.resolve(MARKER));
    }

    /** Deletes this store's staging directory; every write is durable when it returns. */
    @Override
    public void close() {
        staging.close();
    }

    @Override
    public String toString() {
        return "FileVersionStore[" + root + "]";
    }

    /** Reads a record directory's key back from its path: {@code tenants/T/records/C/ID}, or null if it is no key. */
    static StoreKey keyOf(Path recordDir) {
        try {
            Tenant tenant = Tenant.of(recordDir.getParent().getParent().getParent().getFileName().toString());
            return new StoreKey(tenant, recordDir.getParent().getFileName().toString(),
                    recordDir.getFileName().toString().replace('~', '/'));
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
