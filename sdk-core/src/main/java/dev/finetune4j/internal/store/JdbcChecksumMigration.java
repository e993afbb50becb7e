package dev.finetune4j.internal.store;

import dev.finetune4j.LoggerNames;
import dev.finetune4j.StoreException;
import dev.finetune4j.store.StoreKey;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schema 1 to 2 of the JDBC store, inside the migration's transaction: gives every revision row its
 * {@link RecordChecksum} (its content could not be verified before; from now on it is), and every
 * blob of more than one chunk its chunk table once its content was checked against its id. A blob
 * whose content does not match its id keeps no table, so reads refuse it and {@code verify} reports
 * it. Works in pages ({@link JdbcPages}), so memory stays bounded whatever the database holds.
 */
final class JdbcChecksumMigration {

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.STORE);

    private final Connection c;
    private final JdbcTables tables;
    private long sealed;
    private long chunkTables;
    private long damaged;

    JdbcChecksumMigration(Connection c, JdbcTables tables) {
        this.c = c;
        this.tables = tables;
    }

    void run() throws SQLException {
        sealRevisions();
        tableBlobs();
        if (sealed > 0 || chunkTables > 0 || damaged > 0) {
            LOG.warn("migrated the finetune4j tables to schema 2: {} revision(s) written without a checksum were "
                    + "given one now (damage they had before cannot be detected), {} chunk table(s) written, {} "
                    + "damaged blob(s) left without one (run `finetune4j store verify` to list them)",
                    sealed, chunkTables, damaged);
        }
    }

    private void sealRevisions() throws SQLException {
        try (PreparedStatement set = c.prepareStatement("update " + tables.revisions() + " set checksum = ? "
                + "where tenant = ? and collection = ? and id = ? and revision = ?")) {
            JdbcPages.revisions(c, tables, row -> {
                StoreKey key = row.key();
                if (key == null) {
                    return; // no store read can reach it; verify reports it
                }
                set.setString(1, RecordChecksum.of(key, row.revision(), row.createdAt(), row.value()));
                set.setString(2, row.tenant());
                set.setString(3, row.collection());
                set.setString(4, row.id());
                set.setLong(5, row.revision());
                set.addBatch();
                sealed++;
            }, page -> set.executeBatch());
        }
    }

    private void tableBlobs() throws SQLException {
        JdbcPages.blobs(c, tables, BlobChunks.SIZE, blob -> {
            BlobChunks.Check check;
            try {
                check = BlobChunks.check(blob.id(), blob.size(), null,
                        JdbcVersionStore.chunks(c, tables, blob.tenant(), blob.id()));
            } catch (IOException e) {
                throw new StoreException("could not read blob " + blob.id() + ": " + e.getMessage(), e);
            }
            if (check.contentProblem() != null) {
                damaged++;
                LOG.warn("schema 2 migration: {} is damaged ({}); left without chunk checksums",
                        JdbcVersionStore.blobRow(blob.tenant(), blob.id()), check.contentProblem());
                return;
            }
            try (PreparedStatement set = c.prepareStatement(
                    "update " + tables.blobs() + " set sums = ? where tenant = ? and id = ?")) {
                set.setBytes(1, check.table());
                set.setString(2, blob.tenant());
                set.setString(3, blob.id());
                set.executeUpdate();
            }
            chunkTables++;
        });
    }
}
