package dev.finetune4j.internal.store;

import dev.finetune4j.ConflictException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.StoreException;
import dev.finetune4j.Tenant;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.PurgeReport;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VersionStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The embedded {@link VersionStore}: plain files under one directory, safe for several threads and
 * several JVMs at once.
 *
 * <pre>
 * ROOT/finetune4j-store.json                       format marker
 * ROOT/tmp/                                        files being written (old leftovers removed on open)
 * ROOT/tenants/T/records/COLLECTION/ID/000000000001.rev   one file a revision ('/' in ID becomes '~')
 * ROOT/tenants/T/records/COLLECTION/ID/head        hint: the latest revision number
 * ROOT/tenants/T/blobs/ab/abcdef...                content-addressed blobs (SHA-256)
 * </pre>
 *
 * <p>A revision file is a one-line JSON header ({@code revision}, {@code created_at},
 * {@code length}) followed by the value verbatim. Every file is written to {@code tmp/}, forced to
 * disk, then hard-linked into place: {@code link} fails atomically when the name exists, so two
 * processes can never both create revision n+1, and a crash leaves either no file or a whole one.
 * The directory is forced after the link, so a write is durable when the call returns.
 */
public final class FileVersionStore implements VersionStore {

    private static final int FORMAT = 1;
    private static final String MARKER = "finetune4j-store.json";
    private static final String REVISION_SUFFIX = ".rev";
    private static final Duration STALE_TEMP = Duration.ofHours(1);

    private final Path root;
    private final Path tmp;
    private final Clock clock;

    /**
     * Opens (creating if needed) a store directory.
     *
     * @throws StoreException if the directory cannot be created or holds another format
     */
    public FileVersionStore(Path root, Clock clock) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            Files.createDirectories(tmp);
            Files.createDirectories(this.root.resolve("tenants"));
            Path marker = this.root.resolve(MARKER);
            if (Files.exists(marker)) {
                JsonNode node = Json.mapper().readTree(Files.readString(marker));
                if (node.path("format").asInt() != FORMAT) {
                    throw new StoreException("store " + this.root + " has format " + node.path("format")
                            + "; this version of finetune4j reads format " + FORMAT);
                }
            } else {
                writeNew(marker, ("{\"format\":" + FORMAT + "}\n").getBytes(StandardCharsets.UTF_8));
            }
            cleanStaleTemps();
        } catch (IOException e) {
            throw new StoreException("cannot open the file store at " + this.root + ": " + e.getMessage(), e);
        }
    }

    /** The store's directory. */
    public Path root() {
        return root;
    }

    private void cleanStaleTemps() throws IOException {
        Instant cutoff = clock.instant().minus(STALE_TEMP);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                try {
                    FileTime modified = Files.getLastModifiedTime(f);
                    if (modified.toInstant().isBefore(cutoff)) {
                        deleteRecursively(f);
                    }
                } catch (NoSuchFileException ignored) {
                    // another process finished or cleaned it
                }
            }
        }
    }

    private Path tenantDir(Tenant tenant) {
        return root.resolve("tenants").resolve(tenant.id());
    }

    private Path recordDir(StoreKey key) {
        return tenantDir(key.tenant()).resolve("records").resolve(key.collection()).resolve(key.id().replace('/', '~'));
    }

    private static Path revisionFile(Path dir, long revision) {
        return dir.resolve(String.format("%012d", revision) + REVISION_SUFFIX);
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
            byte[] body = value.getBytes(StandardCharsets.UTF_8);
            byte[] header = ("{\"revision\":" + number + ",\"created_at\":\"" + now + "\",\"length\":" + body.length
                    + "}\n").getBytes(StandardCharsets.UTF_8);
            byte[] content = new byte[header.length + body.length];
            System.arraycopy(header, 0, content, 0, header.length);
            System.arraycopy(body, 0, content, header.length, body.length);
            Path target = revisionFile(dir, number);
            if (!writeNew(target, content)) {
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
     * Writes a new file atomically: temp file, force, hard link into place, force the directory.
     *
     * @return false when {@code target} already existed (nothing was changed)
     */
    private boolean writeNew(Path target, byte[] content) throws IOException {
        Path temp = tmp.resolve(UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            return linkIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
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

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open directories; the file itself was forced
        }
    }

    private void writeHeadHint(Path dir, long number) {
        Path temp = tmp.resolve(UUID.randomUUID() + ".head");
        try {
            Files.writeString(temp, Long.toString(number));
            Files.move(temp, dir.resolve("head"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // only a hint: readers probe past it
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // left for the stale-temp cleaner
            }
        }
    }

    /** The latest revision number: the head hint, then probing forward; 0 when there is none. */
    private long latestNumber(Path dir) throws IOException {
        long n = 0;
        try {
            n = Long.parseLong(Files.readString(dir.resolve("head")).trim());
        } catch (NoSuchFileException | NumberFormatException e) {
            n = scanLatest(dir);
        }
        if (n > 0 && !Files.exists(revisionFile(dir, n))) {
            n = scanLatest(dir);
        }
        while (Files.exists(revisionFile(dir, n + 1))) {
            n++;
        }
        return n;
    }

    private static long scanLatest(Path dir) throws IOException {
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
        return Optional.of(parseRevision(key, revision, file, bytes));
    }

    private static Revision parseRevision(StoreKey key, long revision, Path file, byte[] bytes) {
        int newline = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                newline = i;
                break;
            }
        }
        try {
            if (newline < 0) {
                throw new IOException("no header line");
            }
            JsonNode header = Json.mapper().readTree(new String(bytes, 0, newline, StandardCharsets.UTF_8));
            long length = header.path("length").asLong(-1);
            if (header.path("revision").asLong() != revision) {
                throw new IOException("header says revision " + header.path("revision") + ", the file name " + revision);
            }
            if (length != bytes.length - newline - 1) {
                throw new IOException("header says " + length + " bytes of value, the file has "
                        + (bytes.length - newline - 1));
            }
            Instant createdAt = Instant.parse(header.path("created_at").asText());
            return new Revision(key, revision, createdAt,
                    new String(bytes, newline + 1, bytes.length - newline - 1, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new StoreException("revision file " + file + " is corrupt (" + e.getMessage()
                    + "); restore it from a backup or remove the record", e);
        }
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
                new StoreException("revision file " + revisionFile(dir, n) + " is missing: the chain of " + key
                        + " has a gap before revision " + latest)));
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
        if (!blobId.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("blob id must be 64 lowercase hex characters, was '" + blobId + "'");
        }
        return tenantDir(tenant).resolve("blobs").resolve(blobId.substring(0, 2)).resolve(blobId);
    }

    @Override
    public BlobRef putBlob(Tenant tenant, InputStream content) {
        Objects.requireNonNull(content, "content");
        Path temp = tmp.resolve(UUID.randomUUID() + ".blob");
        try {
            MessageDigest digest = ExampleCodec.sha256();
            long size = 0;
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = content.read(buf)) > 0; ) {
                    digest.update(buf, 0, n);
                    out.write(buf, 0, n);
                    size += n;
                }
                out.flush();
                ch.force(true);
            }
            String id = HexFormat.of().formatHex(digest.digest());
            Path target = blobFile(tenant, id);
            if (!Files.exists(target)) {
                linkIntoPlace(temp, target);
            }
            return new BlobRef(id, size);
        } catch (IOException e) {
            throw new StoreException("could not store a blob in " + tenantDir(tenant) + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // left for the stale-temp cleaner
            }
        }
    }

    @Override
    public InputStream openBlob(Tenant tenant, String blobId) {
        Path file = blobFile(tenant, blobId);
        try {
            return new VerifyingInputStream(Files.newInputStream(file), blobId, file);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("tenant '" + tenant.id() + "' has no blob " + blobId + " (" + file + ")");
        } catch (IOException e) {
            throw new StoreException("could not open blob " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasBlob(Tenant tenant, String blobId) {
        return Files.exists(blobFile(tenant, blobId));
    }

    @Override
    public PurgeReport purge(Tenant tenant) {
        Path dir = tenantDir(tenant);
        if (!Files.exists(dir)) {
            return new PurgeReport(tenant, 0, 0, 0, 0);
        }
        Path doomed = tmp.resolve("purge-" + UUID.randomUUID());
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
                        counts[2]++;
                        counts[3] += Files.size(p);
                    }
                }
            }
            deleteRecursively(doomed);
            forceDirectory(root.resolve("tenants"));
            return new PurgeReport(tenant, counts[0], counts[1], counts[2], counts[3]);
        } catch (IOException e) {
            throw new StoreException("could not purge tenant '" + tenant.id() + "' from " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        // every write is durable when it returns; nothing is held open
    }

    @Override
    public String toString() {
        return "FileVersionStore[" + root + "]";
    }

    /** Checks a blob's SHA-256 when it is read to the end, so a damaged file is never a silent wrong answer. */
    private static final class VerifyingInputStream extends FilterInputStream {
        private final String expected;
        private final Path file;
        private boolean checked;

        VerifyingInputStream(InputStream in, String expected, Path file) {
            super(new DigestInputStream(in, ExampleCodec.sha256()));
            this.expected = expected;
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                verify();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                verify();
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        private void verify() {
            if (checked) {
                return;
            }
            checked = true;
            String actual = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            if (!actual.equals(expected)) {
                throw new StoreException("blob file " + file + " is corrupt: its content hashes to " + actual
                        + "; restore it from a backup");
            }
        }
    }
}
