package dev.finetune4j.internal.store;

import dev.finetune4j.ConflictException;
import dev.finetune4j.CorruptDataException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.StoreException;
import dev.finetune4j.Tenant;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.JdbcStoreOptions;
import dev.finetune4j.store.PurgeReport;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VerifyReport;
import dev.finetune4j.store.VersionStore;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VersionStore} on PostgreSQL through any {@link DataSource} (a pool is recommended), shared
 * by many application instances.
 *
 * <p>Tables (in the schema {@link JdbcStoreOptions} names, or on the search path; created from the
 * shipped script or migrated on start unless the options forbid it; schema version recorded in
 * {@code ft4j_schema}):
 * {@code ft4j_revisions} holds every revision with the primary key (tenant, collection, id,
 * revision) in the "C" collation (ids sort by code point, as in every store), so a compare-and-set write is one INSERT that the key makes atomic; a partial index on
 * first revisions serves collection listings. Every revision row carries its
 * {@link RecordChecksum} in {@code checksum}, verified on every read. Blobs are split into 1 MiB rows
 * of {@code ft4j_blob_chunks} so they stream in both directions with bounded memory, and appear in
 * {@code ft4j_blobs} only when complete, with their chunk table ({@link BlobChunks}) in
 * {@code sums}; a reader gets a chunk only after it matched its digest.
 *
 * <p>Schema 1 had no checksums; opening such a database migrates it to schema 2 once (under the
 * advisory lock, in one transaction): see {@link JdbcChecksumMigration}.
 */
public final class JdbcVersionStore implements VersionStore {

    /** The schema version this code writes and reads. */
    public static final int SCHEMA_VERSION = 2;

    private static final int CHUNK = BlobChunks.SIZE;
    private static final long MIGRATION_LOCK = 0x66743473746f7265L;
    private static final String UNIQUE_VIOLATION = "23505";
    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.STORE);

    private final DataSource dataSource;
    private final JdbcStoreOptions options;
    private final JdbcTables tables;
    private final Clock clock;

    /**
     * Opens the store, creating or migrating its tables as {@code options} allow.
     *
     * @throws StoreException if the database cannot be reached, has a newer schema, or lacks the
     *     tables while the options forbid creating them
     */
    public JdbcVersionStore(DataSource dataSource, JdbcStoreOptions options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.options = Objects.requireNonNull(options, "options");
        this.tables = new JdbcTables(options.schema().orElse(null));
        this.clock = options.clock();
        migrate();
        try {
            // staging of killed processes that used a store without a directory of its own
            StagingArea.sweep(StagingArea.processParent(), Instant.now(), true);
        } catch (StoreException e) {
            LOG.debug("could not sweep {}", StagingArea.processParent(), e);
        }
    }

    private void migrate() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                if (!options.createTables()) {
                    checkTables(s);
                    return null;
                }
                s.execute("select pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
                if (tables.schema() != null) {
                    s.execute("create schema if not exists " + tables.quotedSchema());
                    // for this transaction only: the DDL below names its tables bare
                    s.execute("set local search_path to " + tables.quotedSchema());
                }
                s.execute("create table if not exists ft4j_schema (version integer not null)");
                int current = schemaVersion(s);
                if (current == 0) {
                    for (String statement : scriptStatements()) {
                        s.execute(statement);
                    }
                } else if (current < 2) {
                    s.execute("alter table ft4j_revisions add column checksum char(64)");
                    s.execute("alter table ft4j_blobs add column sums bytea");
                    new JdbcChecksumMigration(c, tables).run();
                    s.execute("insert into ft4j_schema (version) values (2)");
                }
            }
            return null;
        });
    }

    /** With {@code createTables(false)}: the tables must be there, at this code's schema version. */
    private void checkTables(Statement s) throws SQLException {
        String where = tables.schema() == null ? "on the connection's search path" : "in schema " + tables.schema();
        try (ResultSet rs = s.executeQuery("select to_regclass('" + tables.versions().replace("'", "''") + "')")) {
            rs.next();
            if (rs.getString(1) == null) {
                throw new StoreException("the finetune4j tables are not " + where + ", and the store was opened with "
                        + "createTables(false): create them with the script JdbcStoreOptions.schemaScript() ("
                        + JdbcStoreOptions.SCHEMA_SCRIPT + " in finetune4j-core), or allow createTables");
            }
        }
        int current = schemaVersion(s);
        if (current != SCHEMA_VERSION) {
            throw new StoreException("the finetune4j tables " + where + " are at schema version " + current
                    + ", this finetune4j writes " + SCHEMA_VERSION + (current > SCHEMA_VERSION ? ": upgrade finetune4j"
                    : ": open the store once with createTables(true) to migrate them (the migration computes a "
                    + "checksum of every revision, which no SQL script can)"));
        }
    }

    private int schemaVersion(Statement s) throws SQLException {
        int current = 0;
        try (ResultSet rs = s.executeQuery("select max(version) from " + tables.versions())) {
            if (rs.next()) {
                current = rs.getInt(1);
            }
        }
        if (current > SCHEMA_VERSION) {
            throw new StoreException("the database has finetune4j schema version " + current
                    + "; this version of finetune4j knows up to " + SCHEMA_VERSION + ": upgrade finetune4j");
        }
        return current;
    }

    /** The statements of the shipped schema script: comments dropped, split at the semicolons ending lines. */
    static List<String> scriptStatements() {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : JdbcStoreOptions.schemaScript().split("\n")) {
            String code = line.strip();
            if (code.isEmpty() || code.startsWith("--")) {
                continue;
            }
            current.append(code).append(' ');
            if (code.endsWith(";")) {
                statements.add(current.substring(0, current.length() - 2));
                current.setLength(0);
            }
        }
        return statements;
    }

    @Override
    public Revision write(StoreKey key, String value, long expectedRevision) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (expectedRevision < 0) {
            throw new IllegalArgumentException("expectedRevision must be >= 0, was " + expectedRevision);
        }
        // the column keeps microseconds: the checksum covers the time as it will be read back
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long number = expectedRevision + 1;
        int inserted;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into " + tables.revisions() + " "
                        + "(tenant, collection, id, revision, created_at, value, checksum) select ?, ?, ?, ?, ?, ?, ? "
                        + "where ? = 0 or exists (select 1 from " + tables.revisions() + " "
                        + "where tenant = ? and collection = ? and id = ? and revision = ?)")) {
            c.setAutoCommit(true);
            bindKey(ps, 1, key);
            ps.setLong(4, number);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setString(6, value);
            ps.setString(7, RecordChecksum.of(key, number, now, value));
            ps.setLong(8, expectedRevision);
            bindKey(ps, 9, key);
            ps.setLong(12, expectedRevision);
            inserted = ps.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw conflict(key, expectedRevision);
            }
            throw new StoreException("could not write " + key + ": " + e.getMessage(), e);
        }
        if (inserted == 0) {
            throw conflict(key, expectedRevision);
        }
        return new Revision(key, number, now, value);
    }

    private ConflictException conflict(StoreKey key, long expected) {
        long current = latest(key).map(Revision::number).orElse(0L);
        return new ConflictException("record " + key + " is at revision " + current + ", not " + expected
                + " as the write expected", expected, current);
    }

    private static void bindKey(PreparedStatement ps, int from, StoreKey key) throws SQLException {
        ps.setString(from, key.tenant().id());
        ps.setString(from + 1, key.collection());
        ps.setString(from + 2, key.id());
    }

    @Override
    public Optional<Revision> latest(StoreKey key) {
        return queryOne(key, "select revision, created_at, value, checksum from " + tables.revisions() + " "
                + "where tenant = ? and collection = ? and id = ? order by revision desc limit 1", -1);
    }

    @Override
    public Optional<Revision> read(StoreKey key, long revision) {
        if (revision < 1) {
            return Optional.empty();
        }
        return queryOne(key, "select revision, created_at, value, checksum from " + tables.revisions() + " "
                + "where tenant = ? and collection = ? and id = ? and revision = ?", revision);
    }

    private Optional<Revision> queryOne(StoreKey key, String sql, long revision) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bindKey(ps, 1, key);
            if (revision > 0) {
                ps.setLong(4, revision);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(revision(key, rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * The revision in the current row ({@code revision, created_at, value, checksum}), verified.
     *
     * @throws CorruptDataException naming the row when its checksum is missing or does not match
     */
    private static Revision revision(StoreKey key, ResultSet rs) throws SQLException {
        Revision r = new Revision(key, rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3));
        String problem = checksumProblem(r, rs.getString(4));
        if (problem != null) {
            String row = revisionRow(key.tenant().id(), key.collection(), key.id(), r.number());
            throw new CorruptDataException(row, "revision " + row + " is damaged: " + problem
                    + "; restore it from a backup (`finetune4j store verify` lists every damaged item)");
        }
        return r;
    }

    /** What is wrong with a revision's stored checksum, or null when it matches. */
    static String checksumProblem(Revision r, String checksum) {
        if (checksum == null) {
            return "it has no checksum";
        }
        if (!checksum.equals(RecordChecksum.of(r.key(), r.number(), r.createdAt(), r.value()))) {
            return "its checksum does not match its content, key and number (it was changed, or copied from "
                    + "another record or revision)";
        }
        return null;
    }

    /** How messages and reports name a revision's row. */
    static String revisionRow(String tenant, String collection, String id, long number) {
        return "ft4j_revisions[tenant=" + tenant + ", collection=" + collection + ", id=" + id + ", revision=" + number
                + "]";
    }

    /** How messages and reports name a blob's rows. */
    static String blobRow(String tenant, String id) {
        return "ft4j_blobs[tenant=" + tenant + ", id=" + id + "]";
    }

    @Override
    public Stream<Revision> history(StoreKey key) {
        Objects.requireNonNull(key, "key");
        // pages of 500 revisions, so a long chain never sits in memory at once
        long[] next = {1};
        Spliterator<Revision> pages = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
            private final List<Revision> buffer = new ArrayList<>();
            private int pos;

            @Override
            public boolean tryAdvance(Consumer<? super Revision> action) {
                if (pos == buffer.size()) {
                    buffer.clear();
                    pos = 0;
                    fill();
                    if (buffer.isEmpty()) {
                        return false;
                    }
                }
                action.accept(buffer.get(pos++));
                return true;
            }

            private void fill() {
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                        "select revision, created_at, value, checksum from " + tables.revisions() + " where tenant = ? "
                                + "and collection = ? "
                                + "and id = ? and revision >= ? order by revision limit 500")) {
                    bindKey(ps, 1, key);
                    ps.setLong(4, next[0]);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Revision r = revision(key, rs);
                            buffer.add(r);
                            next[0] = r.number() + 1;
                        }
                    }
                } catch (SQLException e) {
                    throw new StoreException("could not read the history of " + key + ": " + e.getMessage(), e);
                }
            }
        };
        return StreamSupport.stream(pages, false);
    }

    @Override
    public StorePage list(Tenant tenant, String collection, String after, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000, was " + limit);
        }
        new StoreKey(tenant, collection, "x");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id from " + tables.revisions() + " where tenant = ? and collection = ? and revision = 1 and id > ? "
                        + "order by id limit ?")) {
            ps.setString(1, tenant.id());
            ps.setString(2, collection);
            ps.setString(3, after == null ? "" : after);
            ps.setInt(4, limit + 1);
            List<StoreKey> keys = new ArrayList<>();
            String more = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (keys.size() == limit) {
                        more = keys.get(limit - 1).id();
                        break;
                    }
                    keys.add(new StoreKey(tenant, collection, rs.getString(1)));
                }
            }
            return new StorePage(keys, more);
        } catch (SQLException e) {
            throw new StoreException("could not list " + tenant.id() + ":" + collection + ": " + e.getMessage(), e);
        }
    }

    @Override
    public BlobRef putBlob(Tenant tenant, InputStream content) {
        Objects.requireNonNull(content, "content");
        String upload = "upload-" + UUID.randomUUID();
        return inTransaction(c -> {
            BlobChunks.Hasher hasher = new BlobChunks.Hasher();
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into " + tables.chunks() + " (tenant, id, seq, data) values (?, ?, ?, ?)")) {
                byte[] buf = new byte[CHUNK];
                int seq = 0;
                while (true) {
                    int n = content.readNBytes(buf, 0, CHUNK);
                    if (n == 0) {
                        break;
                    }
                    hasher.update(buf, 0, n);
                    ps.setString(1, tenant.id());
                    ps.setString(2, upload);
                    ps.setInt(3, seq++);
                    ps.setBytes(4, n == CHUNK ? buf : Arrays.copyOf(buf, n));
                    ps.executeUpdate();
                    if (n < CHUNK) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new StoreException("could not read the blob content: " + e.getMessage(), e);
            }
            hasher.finish();
            String id = hasher.id();
            try (PreparedStatement claim = c.prepareStatement("insert into " + tables.blobs() + " (tenant, id, size, sums) "
                    + "values (?, ?, ?, ?) on conflict do nothing")) {
                claim.setString(1, tenant.id());
                claim.setString(2, id);
                claim.setLong(3, hasher.size());
                claim.setBytes(4, hasher.table());
                if (claim.executeUpdate() == 0) {
                    // already stored: the fresh copy, just hashed, replaces it, so a damaged copy
                    // of the same content is mended
                    update(c, "delete from " + tables.chunks() + " where tenant = ? and id = ?", tenant.id(), id);
                    try (PreparedStatement sums = c.prepareStatement(
                            "update " + tables.blobs() + " set size = ?, sums = ? where tenant = ? and id = ?")) {
                        sums.setLong(1, hasher.size());
                        sums.setBytes(2, hasher.table());
                        sums.setString(3, tenant.id());
                        sums.setString(4, id);
                        sums.executeUpdate();
                    }
                }
            }
            try (PreparedStatement move = c.prepareStatement(
                    "update " + tables.chunks() + " set id = ? where tenant = ? and id = ?")) {
                move.setString(1, id);
                move.setString(2, tenant.id());
                move.setString(3, upload);
                move.executeUpdate();
            }
            return new BlobRef(id, hasher.size());
        });
    }

    private static void update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    @Override
    public InputStream openBlob(Tenant tenant, String blobId) {
        long size;
        byte[] sums;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select size, sums from " + tables.blobs() + " where tenant = ? and id = ?")) {
            ps.setString(1, tenant.id());
            ps.setString(2, blobId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("tenant '" + tenant.id() + "' has no blob " + blobId);
                }
                size = rs.getLong(1);
                sums = rs.getBytes(2);
            }
        } catch (SQLException e) {
            throw new StoreException("could not open blob " + blobId + ": " + e.getMessage(), e);
        }
        // each chunk with its own short query on a borrowed connection
        return new VerifiedBlobStream(blobRow(tenant.id(), blobId), blobId, size, sums, (seq, into, length) -> {
            try (Connection c = dataSource.getConnection()) {
                return chunks(c, tables, tenant.id(), blobId).read(seq, into, length);
            } catch (SQLException e) {
                throw new StoreException("could not read blob " + blobId + ": " + e.getMessage(), e);
            }
        }, null);
    }

    /** Reads a blob's chunks on {@code c}: one query a chunk; a missing row reads as -1. */
    static BlobChunks.Source chunks(Connection c, JdbcTables tables, String tenant, String blobId) {
        return (seq, into, length) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select data from " + tables.chunks() + " where tenant = ? and id = ? and seq = ?")) {
                ps.setString(1, tenant);
                ps.setString(2, blobId);
                ps.setInt(3, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return -1;
                    }
                    byte[] data = rs.getBytes(1);
                    System.arraycopy(data, 0, into, 0, Math.min(length, data.length));
                    return data.length;
                }
            } catch (SQLException e) {
                throw new IOException("could not read chunk " + seq + " of blob " + blobId + ": " + e.getMessage(), e);
            }
        };
    }

    @Override
    public boolean hasBlob(Tenant tenant, String blobId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select 1 from " + tables.blobs() + " where tenant = ? and id = ?")) {
            ps.setString(1, tenant.id());
            ps.setString(2, blobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StoreException("could not look up blob " + blobId + ": " + e.getMessage(), e);
        }
    }

    /** One statement, so the database deletes the whole chain or nothing. */
    @Override
    public boolean delete(StoreKey key) {
        Objects.requireNonNull(key, "key");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from " + tables.revisions()
                        + " where tenant = ? and collection = ? and id = ?")) {
            c.setAutoCommit(true);
            bindKey(ps, 1, key);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("could not delete " + key + ": " + e.getMessage(), e);
        }
    }

    /** The blob's row and its chunks in one transaction: a reader finds the whole blob or none. */
    @Override
    public boolean deleteBlob(Tenant tenant, String blobId) {
        Objects.requireNonNull(tenant, "tenant");
        BlobIds.requireValid(blobId);
        return inTransaction(c -> {
            int rows;
            try (PreparedStatement ps = c.prepareStatement("delete from " + tables.blobs() + " where tenant = ? and id = ?")) {
                ps.setString(1, tenant.id());
                ps.setString(2, blobId);
                rows = ps.executeUpdate();
            }
            update(c, "delete from " + tables.chunks() + " where tenant = ? and id = ?", tenant.id(), blobId);
            return rows > 0;
        });
    }

    @Override
    public PurgeReport purge(Tenant tenant) {
        return inTransaction(c -> {
            long records;
            long revisions;
            long blobs;
            long bytes;
            try (PreparedStatement ps = c.prepareStatement("select count(*) filter (where revision = 1), count(*) "
                    + "from " + tables.revisions() + " where tenant = ?")) {
                ps.setString(1, tenant.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    records = rs.getLong(1);
                    revisions = rs.getLong(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select count(*), coalesce(sum(size), 0) from " + tables.blobs() + " "
                    + "where tenant = ?")) {
                ps.setString(1, tenant.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    blobs = rs.getLong(1);
                    bytes = rs.getLong(2);
                }
            }
            for (String table : List.of("" + tables.revisions(), "" + tables.blobs(), "" + tables.chunks())) {
                try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where tenant = ?")) {
                    ps.setString(1, tenant.id());
                    ps.executeUpdate();
                }
            }
            return new PurgeReport(tenant, records, revisions, blobs, bytes);
        });
    }

    @Override
    public VerifyReport verify(boolean repair) {
        try (Connection c = dataSource.getConnection()) {
            return new JdbcVerifier(c, tables, repair).run();
        } catch (SQLException e) {
            throw new StoreException("could not verify the database store: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // the DataSource belongs to the host application
    }

    @Override
    public String toString() {
        return "JdbcVersionStore[" + dataSource.getClass().getSimpleName()
                + (tables.schema() == null ? "" : ", schema " + tables.schema()) + "]";
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("database operation failed: " + e.getMessage(), e);
        }
    }
}
