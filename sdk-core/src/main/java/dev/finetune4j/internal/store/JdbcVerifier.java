package dev.finetune4j.internal.store;

import dev.finetune4j.Tenant;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreIssue;
import dev.finetune4j.store.StoreIssue.Kind;
import dev.finetune4j.store.StoreIssue.Repair;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VerifyReport;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@link JdbcVersionStore#verify}: checks every revision row's checksum and every chain for gaps,
 * reads every blob whole against its id and chunk table, and finds chunk rows no blob owns. Pages
 * through the tables, so memory stays bounded.
 */
final class JdbcVerifier {

    private static final int PAGE = 500;

    private final Connection c;
    private final boolean repair;
    private final List<StoreIssue> issues = new ArrayList<>();
    private long revisions;
    private long blobs;
    private long bytes;

    JdbcVerifier(Connection c, boolean repair) {
        this.c = c;
        this.repair = repair;
    }

    VerifyReport run() throws SQLException {
        c.setAutoCommit(true);
        checkRevisions();
        checkBlobs();
        checkStrayChunks();
        issues.sort(Comparator.comparing((StoreIssue i) -> !i.damage()).thenComparing(StoreIssue::location));
        return new VerifyReport("PostgreSQL database " + c.getCatalog(), revisions, blobs, bytes, issues,
                List.of("database schema " + JdbcVersionStore.SCHEMA_VERSION
                        + ": every revision and blob carries a checksum"));
    }

    private void checkRevisions() throws SQLException {
        String[] after = {"", "", ""};
        long afterRevision = 0;
        String chain = null;
        long expected = 1;
        while (true) {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("select tenant, collection, id, revision, created_at, value, "
                    + "checksum from ft4j_revisions where (tenant, collection, id, revision) > (?, ?, ?, ?) "
                    + "order by tenant, collection, id, revision limit " + PAGE)) {
                ps.setString(1, after[0]);
                ps.setString(2, after[1]);
                ps.setString(3, after[2]);
                ps.setLong(4, afterRevision);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                        revisions++;
                        after[0] = rs.getString(1);
                        after[1] = rs.getString(2);
                        after[2] = rs.getString(3);
                        afterRevision = rs.getLong(4);
                        String row = JdbcVersionStore.revisionRow(after[0], after[1], after[2], afterRevision);
                        String thisChain = after[0] + "\u0000" + after[1] + "\u0000" + after[2];
                        if (!thisChain.equals(chain)) {
                            chain = thisChain;
                            expected = 1;
                        }
                        for (; expected < afterRevision; expected++) {
                            issues.add(new StoreIssue(Kind.REVISION_MISSING,
                                    JdbcVersionStore.revisionRow(after[0], after[1], after[2], expected), "revision "
                                    + expected + " is missing; the record has revision " + afterRevision,
                                    Repair.NOT_POSSIBLE));
                        }
                        expected = afterRevision + 1;
                        StoreKey key;
                        try {
                            key = new StoreKey(Tenant.of(after[0]), after[1], after[2]);
                        } catch (IllegalArgumentException e) {
                            issues.add(new StoreIssue(Kind.REVISION_DAMAGED, row, "its key is not valid: "
                                    + e.getMessage(), Repair.NOT_POSSIBLE));
                            continue;
                        }
                        String problem = JdbcVersionStore.checksumProblem(new Revision(key, afterRevision,
                                rs.getTimestamp(5).toInstant(), rs.getString(6)), rs.getString(7));
                        if (problem != null) {
                            issues.add(new StoreIssue(Kind.REVISION_DAMAGED, row, "revision is damaged: " + problem,
                                    Repair.NOT_POSSIBLE));
                        }
                    }
                }
            }
            if (n < PAGE) {
                return;
            }
        }
    }

    private void checkBlobs() throws SQLException {
        String afterTenant = "";
        String afterId = "";
        while (true) {
            List<Object[]> page = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select tenant, id, size, sums from ft4j_blobs "
                    + "where (tenant, id) > (?, ?) order by tenant, id limit " + PAGE)) {
                ps.setString(1, afterTenant);
                ps.setString(2, afterId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBytes(4)});
                    }
                }
            }
            for (Object[] b : page) {
                afterTenant = (String) b[0];
                afterId = (String) b[1];
                checkBlob(afterTenant, afterId, (Long) b[2], (byte[]) b[3]);
            }
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    private void checkBlob(String tenant, String id, long size, byte[] sums) throws SQLException {
        blobs++;
        bytes += size;
        String row = JdbcVersionStore.blobRow(tenant, id);
        BlobChunks.Check check;
        try {
            check = BlobChunks.check(id, size, sums, JdbcVersionStore.chunks(c, tenant, id));
        } catch (IOException e) {
            throw new SQLException(e.getMessage(), e);
        }
        if (check.contentProblem() != null) {
            issues.add(new StoreIssue(Kind.BLOB_DAMAGED, row, "blob is damaged: " + check.contentProblem(),
                    Repair.NOT_POSSIBLE));
        } else if (check.tableProblem() != null) {
            Repair done = Repair.POSSIBLE;
            if (repair) {
                try (PreparedStatement set = c.prepareStatement(
                        "update ft4j_blobs set sums = ? where tenant = ? and id = ?")) {
                    set.setBytes(1, check.table());
                    set.setString(2, tenant);
                    set.setString(3, id);
                    set.executeUpdate();
                }
                done = Repair.DONE;
            }
            issues.add(new StoreIssue(Kind.CHUNK_TABLE_DAMAGED, row, "blob content is intact but "
                    + check.tableProblem() + " (rebuilt from the content on repair)", done));
        }
    }

    /** Chunk rows that no complete blob owns, or that lie past their blob's end: nothing reads them. */
    private void checkStrayChunks() throws SQLException {
        List<String[]> stray = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select c.tenant, c.id, count(*) from ft4j_blob_chunks c "
                + "left join ft4j_blobs b on b.tenant = c.tenant and b.id = c.id "
                + "where b.id is null or c.seq::bigint * " + BlobChunks.SIZE + " >= b.size "
                + "group by c.tenant, c.id order by c.tenant, c.id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                stray.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        for (String[] s : stray) {
            Repair done = Repair.POSSIBLE;
            if (repair) {
                try (PreparedStatement del = c.prepareStatement("delete from ft4j_blob_chunks c where tenant = ? "
                        + "and id = ? and (not exists (select 1 from ft4j_blobs b where b.tenant = c.tenant "
                        + "and b.id = c.id) or c.seq::bigint * " + BlobChunks.SIZE + " >= (select b.size from "
                        + "ft4j_blobs b where b.tenant = c.tenant and b.id = c.id))")) {
                    del.setString(1, s[0]);
                    del.setString(2, s[1]);
                    del.executeUpdate();
                }
                done = Repair.DONE;
            }
            issues.add(new StoreIssue(Kind.LEFTOVER, "ft4j_blob_chunks[tenant=" + s[0] + ", id=" + s[1] + "]",
                    s[2] + " chunk row(s) that no stored blob reads", done));
        }
    }
}
