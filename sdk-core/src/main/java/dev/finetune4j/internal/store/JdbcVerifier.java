package dev.finetune4j.internal.store;

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

    private final Connection c;
    private final JdbcTables tables;
    private final boolean repair;
    private final List<StoreIssue> issues = new ArrayList<>();
    private long revisions;
    private long blobs;
    private long bytes;

    JdbcVerifier(Connection c, JdbcTables tables, boolean repair) {
        this.c = c;
        this.tables = tables;
        this.repair = repair;
    }

    VerifyReport run() throws SQLException {
        c.setAutoCommit(true);
        checkRevisions();
        checkBlobs();
        checkStrayChunks();
        issues.sort(Comparator.comparing((StoreIssue i) -> !i.damage()).thenComparing(StoreIssue::location));
        return new VerifyReport("PostgreSQL database " + c.getCatalog()
                + (tables.schema() == null ? "" : ", schema " + tables.schema()), revisions, blobs, bytes, issues,
                List.of("tables at schema version " + JdbcVersionStore.SCHEMA_VERSION
                        + ": every revision and blob carries a checksum"));
    }

    private void checkRevisions() throws SQLException {
        String[] chain = {null};
        long[] expected = {1};
        JdbcPages.revisions(c, tables, row -> {
            revisions++;
            String thisChain = row.tenant() + "\u0000" + row.collection() + "\u0000" + row.id();
            if (!thisChain.equals(chain[0])) {
                chain[0] = thisChain;
                expected[0] = 1;
            }
            for (; expected[0] < row.revision(); expected[0]++) {
                issues.add(new StoreIssue(Kind.REVISION_MISSING, JdbcVersionStore.revisionRow(row.tenant(),
                        row.collection(), row.id(), expected[0]), "revision " + expected[0] + " is missing; the record "
                        + "has revision " + row.revision(), Repair.NOT_POSSIBLE));
            }
            expected[0] = row.revision() + 1;
            StoreKey key = row.key();
            String problem = key == null ? "its key is not a valid store key"
                    : JdbcVersionStore.checksumProblem(new Revision(key, row.revision(), row.createdAt(), row.value()),
                            row.checksum());
            if (problem != null) {
                issues.add(new StoreIssue(Kind.REVISION_DAMAGED, row.location(), "revision is damaged: " + problem,
                        Repair.NOT_POSSIBLE));
            }
        }, page -> { });
    }

    private void checkBlobs() throws SQLException {
        JdbcPages.blobs(c, tables, -1, blob -> checkBlob(blob.tenant(), blob.id(), blob.size(), blob.sums()));
    }

    private void checkBlob(String tenant, String id, long size, byte[] sums) throws SQLException {
        blobs++;
        bytes += size;
        String row = JdbcVersionStore.blobRow(tenant, id);
        BlobChunks.Check check;
        try {
            check = BlobChunks.check(id, size, sums, JdbcVersionStore.chunks(c, tables, tenant, id));
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
                        "update " + tables.blobs() + " set sums = ? where tenant = ? and id = ?")) {
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
        try (PreparedStatement ps = c.prepareStatement("select c.tenant, c.id, count(*) from " + tables.chunks() + " c "
                + "left join " + tables.blobs() + " b on b.tenant = c.tenant and b.id = c.id "
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
                try (PreparedStatement del = c.prepareStatement("delete from " + tables.chunks() + " c where tenant = ? "
                        + "and id = ? and (not exists (select 1 from " + tables.blobs() + " b where b.tenant = c.tenant "
                        + "and b.id = c.id) or c.seq::bigint * " + BlobChunks.SIZE + " >= (select b.size from "
                        + "" + tables.blobs() + " b where b.tenant = c.tenant and b.id = c.id))")) {
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
