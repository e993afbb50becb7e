package dev.finetune4j.internal.store;

import dev.finetune4j.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A directory of scratch files that one owner (a store instance, or this process) holds, and that
 * any other process can tell apart from an abandoned one: the owner keeps an exclusive lock on
 * {@code owner.lock} inside it for as long as it lives, and the operating system drops the lock
 * when the process ends, however it ends (SIGKILL included). {@link #sweep} deletes the directories
 * whose lock it can take. No process ids are compared, so processes in different PID namespaces
 * (containers sharing a volume) never mistake each other for dead.
 *
 * <p>A sweep never opens the lock file of a directory this JVM owns: POSIX record locks belong to
 * the process, and closing any descriptor of the file would drop the owner's lock.
 *
 * <p>Layout under the parent: {@code UUID/owner.lock} plus the owner's files; {@code .new-UUID/}
 * while a directory is being set up (it is renamed into place once locked, so a sweeper never sees
 * an unlocked live directory; one left by a crash during set-up is deleted after an hour). The
 * owner deletes its directory on {@link #close()} and at JVM exit. Directories are created
 * readable by their owner only.
 */
public final class StagingArea implements AutoCloseable {

    private static final String LOCK = "owner.lock";
    private static final String CREATING = ".new-";
    private static final Duration STALE_CREATION = Duration.ofHours(1);
    private static final Set<StagingArea> OPEN = ConcurrentHashMap.newKeySet();
    /** The directories of this JVM's areas, which sweeps must not touch. */
    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(StagingArea::close),
                "finetune4j-staging-cleanup"));
    }

    private final Path parent;
    private Path dir;
    private FileChannel channel;
    private FileLock lock;

    /** An area under {@code parent}; nothing is created until {@link #directory()} is called. */
    public StagingArea(Path parent) {
        this.parent = Objects.requireNonNull(parent, "parent");
    }

    /**
     * The staging area of this process for stores without a directory of their own, under
     * {@code java.io.tmpdir}; created on first use, after sweeping what killed processes left there.
     */
    public static StagingArea forProcess() {
        return ForProcess.AREA;
    }

    /** Where the per-process areas live: a directory of this OS user under {@code java.io.tmpdir}. */
    public static Path processParent() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "finetune4j-staging-" + user);
    }

    private static final class ForProcess {
        static final StagingArea AREA = create();

        private static StagingArea create() {
            sweep(processParent(), Instant.now(), true);
            return new StagingArea(processParent());
        }
    }

    /**
     * This owner's directory, created (and locked) on first use.
     *
     * @throws StoreException if it cannot be created
     */
    public synchronized Path directory() {
        if (dir == null) {
            create();
        }
        return dir;
    }

    private void create() {
        try {
            Files.createDirectories(parent);
            Path fresh = parent.resolve(CREATING + UUID.randomUUID());
            Files.createDirectory(fresh, privateDirectory());
            FileChannel ch = FileChannel.open(fresh.resolve(LOCK), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            if (l == null) {
                ch.close();
                throw new IOException("could not lock " + fresh.resolve(LOCK));
            }
            Path named = parent.resolve(UUID.randomUUID().toString()).toAbsolutePath().normalize();
            OWNED.add(named);
            try {
                Files.move(fresh, named, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                OWNED.remove(named);
                ch.close();
                throw e;
            }
            channel = ch;
            lock = l;
            dir = named;
            OPEN.add(this);
        } catch (IOException e) {
            throw new StoreException("could not create a staging directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    private static FileAttribute<?>[] privateDirectory() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    /** Deletes this owner's directory and releases it; a later {@link #directory()} makes a new one. */
    @Override
    public synchronized void close() {
        OPEN.remove(this);
        if (dir == null) {
            return;
        }
        try {
            deleteContents(dir);
            Files.deleteIfExists(dir.resolve(LOCK));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // what is left is swept by the next process that opens a store here
        } finally {
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // the channel is gone with the process anyway
            }
            OWNED.remove(dir);
            dir = null;
            lock = null;
            channel = null;
        }
    }

    /**
     * The directories under {@code parent} whose owner has ended (and set-up leftovers older than
     * an hour), deleting them when {@code delete} is true. Directories of live owners, in this JVM
     * or another process, are left alone; loose files are not looked at.
     *
     * @param now the time, to age set-up leftovers
     * @return the abandoned directories found
     */
    public static List<Path> sweep(Path parent, Instant now, boolean delete) {
        List<Path> abandoned = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return abandoned;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, Files::isDirectory)) {
            for (Path child : children) {
                try {
                    if (child.getFileName().toString().startsWith(CREATING)) {
                        if (Files.getLastModifiedTime(child).toInstant().isBefore(now.minus(STALE_CREATION))) {
                            abandoned.add(child);
                            if (delete) {
                                deleteTree(child);
                            }
                        }
                    } else if (!OWNED.contains(child.toAbsolutePath().normalize()) && takeIfAbandoned(child, delete)) {
                        abandoned.add(child);
                    }
                } catch (NoSuchFileException gone) {
                    // another sweeper or the owner removed it meanwhile
                }
            }
        } catch (IOException e) {
            throw new StoreException("could not look for abandoned staging files in " + parent + ": "
                    + e.getMessage(), e);
        }
        return abandoned;
    }

    /** Whether the directory's owner has ended; when it has and {@code delete}, deletes it under its lock. */
    private static boolean takeIfAbandoned(Path dir, boolean delete) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            // owners lock before the directory gets its name: without a lock file it is a
            // half-deleted leftover
            if (delete) {
                deleteTree(dir);
            }
            return true;
        }
        try (ch) {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return false;
            }
            if (l == null) {
                return false;
            }
            try {
                if (delete) {
                    deleteContents(dir);
                    Files.deleteIfExists(dir.resolve(LOCK));
                    Files.deleteIfExists(dir);
                }
            } finally {
                l.release();
            }
            return true;
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> files = Files.walk(dir)) {
            paths = files.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException | UncheckedIOException ignored) {
            // gone, or being deleted by another sweeper
            return;
        }
        for (Path p : paths) {
            if (!p.equals(dir) && !p.equals(dir.resolve(LOCK))) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        deleteContents(dir);
        Files.deleteIfExists(dir.resolve(LOCK));
        Files.deleteIfExists(dir);
    }

    @Override
    public String toString() {
        return "StagingArea[" + parent + "]";
    }
}
