package dev.finetune4j.internal.store;

import dev.finetune4j.Tenant;
import dev.finetune4j.store.StoreKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the JDBC store's tables in key order, one page of rows at a time (keyset paging), so that
 * the schema migration and {@code verify} stay in bounded memory whatever the database holds. A
 * page is read whole before its rows are handed on, so the caller may run statements on the same
 * connection.
 */
final class JdbcPages {

    private static final int PAGE = 500;

    private JdbcPages() {}

    /** What to do with a row, or after a page. */
    interface Action<T> {
        void accept(T row) throws SQLException;
    }

    /** One row of {@code ft4j_revisions}, as stored. */
    record RevisionRow(String tenant, String collection, String id, long revision, Instant createdAt, String value,
            String checksum) {

        /** The row's key, or null when the stored names are not a valid key. */
        StoreKey key() {
            try {
                return new StoreKey(Tenant.of(tenant), collection, id);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        String location() {
            return JdbcVersionStore.revisionRow(tenant, collection, id, revision);
        }
    }

    /** One row of {@code ft4j_blobs}. */
    record BlobRow(String tenant, String id, long size, byte[] sums) {}

    /** Every revision row, by (tenant, collection, id, revision); {@code afterPage} runs after each page. */
    static void revisions(Connection c, JdbcTables tables, Action<RevisionRow> each, Action<Void> afterPage) throws SQLException {
        RevisionRow last = new RevisionRow("", "", "", 0, null, null, null);
        while (true) {
            List<RevisionRow> page = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select tenant, collection, id, revision, created_at, value, "
                    + "checksum from " + tables.revisions() + " where (tenant, collection, id, revision) > (?, ?, ?, ?) "
                    + "order by tenant, collection, id, revision limit " + PAGE)) {
                ps.setString(1, last.tenant());
                ps.setString(2, last.collection());
                ps.setString(3, last.id());
                ps.setLong(4, last.revision());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(new RevisionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7)));
                    }
                }
            }
            for (RevisionRow row : page) {
                each.accept(row);
            }
            afterPage.accept(null);
            if (page.size() < PAGE) {
                return;
            }
            last = page.get(page.size() - 1);
        }
    }

    /** Every blob of more than {@code minSize} bytes, by (tenant, id). */
    static void blobs(Connection c, JdbcTables tables, long minSize, Action<BlobRow> each) throws SQLException {
        BlobRow last = new BlobRow("", "", 0, null);
        while (true) {
            List<BlobRow> page = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select tenant, id, size, sums from " + tables.blobs() + " "
                    + "where (tenant, id) > (?, ?) and size > ? order by tenant, id limit " + PAGE)) {
                ps.setString(1, last.tenant());
                ps.setString(2, last.id());
                ps.setLong(3, minSize);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(new BlobRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBytes(4)));
                    }
                }
            }
            for (BlobRow row : page) {
                each.accept(row);
            }
            if (page.size() < PAGE) {
                return;
            }
            last = page.get(page.size() - 1);
        }
    }
}
