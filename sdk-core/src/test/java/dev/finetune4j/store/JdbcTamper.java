package dev.finetune4j.store;

import dev.finetune4j.Tenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Random;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/** {@link Tamper} for the JDBC store: updates its rows with plain SQL, as a careless hand would. */
public final class JdbcTamper implements Tamper {

    private static final String REVISION = " where tenant = ? and collection = ? and id = ? and revision = ?";

    private final DataSource dataSource;

    public JdbcTamper(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Flips a low bit of one character of the value or of the checksum (the text columns stay valid
     * UTF-8, as PostgreSQL requires): a bit flip as a database page would suffer it.
     */
    @Override
    public void flipBit(StoreKey key, long revision, Random random) {
        String column = random.nextInt(4) == 0 ? "checksum" : "value";
        String text = query("select " + column + " from ft4j_revisions" + REVISION, key, revision);
        int at = random.nextInt(text.length());
        char flipped = (char) (text.charAt(at) ^ (1 << random.nextInt(5)));
        if (flipped == 0) {
            flipped = (char) (text.charAt(at) ^ 0x20);
        }
        String changed = text.substring(0, at) + flipped + text.substring(at + 1);
        update("update ft4j_revisions set " + column + " = ?" + REVISION, changed, key, revision);
    }

    @Override
    public void editValue(StoreKey key, long revision, UnaryOperator<String> edit) {
        String value = query("select value from ft4j_revisions" + REVISION, key, revision);
        update("update ft4j_revisions set value = ?" + REVISION, edit.apply(value), key, revision);
    }

    @Override
    public void copyRevision(StoreKey from, long fromNumber, StoreKey to, long toNumber) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update ft4j_revisions t set value = f.value, checksum = f.checksum, created_at = f.created_at "
                        + "from ft4j_revisions f where f.tenant = ? and f.collection = ? and f.id = ? and f.revision = ? "
                        + "and t.tenant = ? and t.collection = ? and t.id = ? and t.revision = ?")) {
            bind(ps, 1, from, fromNumber);
            bind(ps, 5, to, toNumber);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void flipBlobBit(Tenant tenant, String blobId, long offset) {
        int seq = (int) (offset / (1 << 20));
        int at = (int) (offset % (1 << 20)) + 1;
        sql("update ft4j_blob_chunks set data = set_byte(data, " + (at - 1) + ", get_byte(data, " + (at - 1)
                + ") # 4) where tenant = ? and id = ? and seq = " + seq, tenant.id(), blobId);
    }

    @Override
    public void truncateBlob(Tenant tenant, String blobId, long size) {
        int lastSeq = (int) (size / (1 << 20));
        int keep = (int) (size % (1 << 20));
        sql("delete from ft4j_blob_chunks where tenant = ? and id = ? and seq > " + lastSeq, tenant.id(), blobId);
        sql("update ft4j_blob_chunks set data = substring(data from 1 for " + keep + ") where tenant = ? and id = ? "
                + "and seq = " + lastSeq, tenant.id(), blobId);
    }

    @Override
    public void deleteBlob(Tenant tenant, String blobId) {
        sql("delete from ft4j_blob_chunks where tenant = ? and id = ?", tenant.id(), blobId);
        sql("delete from ft4j_blobs where tenant = ? and id = ?", tenant.id(), blobId);
    }

    @Override
    public String location(StoreKey key, long revision) {
        return "ft4j_revisions[tenant=" + key.tenant().id() + ", collection=" + key.collection() + ", id=" + key.id()
                + ", revision=" + revision + "]";
    }

    @Override
    public String location(Tenant tenant, String blobId) {
        return "ft4j_blobs[tenant=" + tenant.id() + ", id=" + blobId + "]";
    }

    /** Runs a statement whose parameters are all strings. */
    public void sql(String statement, String... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String query(String sql, StoreKey key, long revision) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, 1, key, revision);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(String sql, String value, StoreKey key, long revision) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            bind(ps, 2, key, revision);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement ps, int from, StoreKey key, long revision) throws SQLException {
        ps.setString(from, key.tenant().id());
        ps.setString(from + 1, key.collection());
        ps.setString(from + 2, key.id());
        ps.setLong(from + 3, revision);
    }
}
