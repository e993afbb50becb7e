package dev.finetune4j.internal.store;

import dev.finetune4j.StoreException;
import dev.finetune4j.Tenant;
import dev.finetune4j.store.StoreKey;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema 1 to 2 of the JDBC store, inside the migration's transaction: gives every revision row its
 * {@link RecordChecksum} (its content could not be verified before; from now on it is), and every
 * blob of more than one chunk its chunk table once its content was checked against its id. A blob
 * whose content does not match its id keeps no table, so reads refuse it and {@code verify} reports
 * it. Works in pages, so memory stays bounded whatever the database holds.
 */
final class JdbcChecksumMigration {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcChecksumMigration.class);
    private static final int PAGE = 500;

    private final Connection c;

    JdbcChecksumMigration(Connection c) {
        this.c = c;
    }

    void run() throws SQLException {
        long sealed = sealRevisions();
        long[] blobs = tableBlobs();
        if (sealed > 0 || blobs[0] > 0 || blobs[1] > 0) {
            LOG.warn("migrated the finetune4j tables to schema 2: {} revision(s) written without a checksum were "
                    + "given one now (damage they had before cannot be detected), {} chunk table(s) written, {} "
                    + "damaged blob(s) left without one (run `finetune4j store verify` to list them)",
                    sealed, blobs[0], blobs[1]);
        }
    }

    private long sealRevisions() throws SQLException {
        long sealed = 0;
        String[] after = {"", "", ""};
        long afterRevision = 0;
        while (true) {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("select tenant, collection, id, revision, created_at, value "
                    + "from ft4j_revisions where (tenant, collection, id, revision) > (?, ?, ?, ?) "
                    + "order by tenant, collection, id, revision limit " + PAGE);
                    PreparedStatement set = c.prepareStatement("update ft4j_revisions set checksum = ? "
                            + "where tenant = ? and collection = ? and id = ? and revision = ?")) {
                ps.setString(1, after[0]);
                ps.setString(2, after[1]);
                ps.setString(3, after[2]);
                ps.setLong(4, afterRevision);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                        after[0] = rs.getString(1);
                        after[1] = rs.getString(2);
                        after[2] = rs.getString(3);
                        afterRevision = rs.getLong(4);
                        StoreKey key;
                        try {
                            key = new StoreKey(Tenant.of(after[0]), after[1], after[2]);
                        } catch (IllegalArgumentException notAKey) {
                            continue; // no store read can reach it; verify reports it
                        }
                        Instant createdAt = rs.getTimestamp(5).toInstant();
                        set.setString(1, RecordChecksum.of(key, afterRevision, createdAt, rs.getString(6)));
                        set.setString(2, after[0]);
                        set.setString(3, after[1]);
                        set.setString(4, after[2]);
                        set.setLong(5, afterRevision);
                        set.addBatch();
                        sealed++;
                    }
                }
                set.executeBatch();
            }
            if (n < PAGE) {
                return sealed;
            }
        }
    }

    /** Writes the chunk tables; returns {tables written, damaged blobs}. */
    private long[] tableBlobs() throws SQLException {
        long[] counts = new long[2];
        String afterTenant = "";
        String afterId = "";
        while (true) {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("select tenant, id, size from ft4j_blobs "
                    + "where (tenant, id) > (?, ?) and size > ? order by tenant, id limit " + PAGE)) {
                ps.setString(1, afterTenant);
                ps.setString(2, afterId);
                ps.setLong(3, BlobChunks.SIZE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                        afterTenant = rs.getString(1);
                        afterId = rs.getString(2);
                        String tenant = afterTenant;
                        String id = afterId;
                        BlobChunks.Check check;
                        try {
                            check = BlobChunks.check(id, rs.getLong(3), null, JdbcVersionStore.chunks(c, tenant, id));
                        } catch (IOException e) {
                            throw new StoreException("could not read blob " + id + ": " + e.getMessage(), e);
                        }
                        if (check.contentProblem() != null) {
                            counts[1]++;
                            LOG.warn("schema 2 migration: {} is damaged ({}); left without chunk checksums",
                                    JdbcVersionStore.blobRow(tenant, id), check.contentProblem());
                            continue;
                        }
                        try (PreparedStatement set = c.prepareStatement(
                                "update ft4j_blobs set sums = ? where tenant = ? and id = ?")) {
                            set.setBytes(1, check.table());
                            set.setString(2, tenant);
                            set.setString(3, id);
                            set.executeUpdate();
                        }
                        counts[0]++;
                    }
                }
            }
            if (n < PAGE) {
                return counts;
            }
        }
    }
}
