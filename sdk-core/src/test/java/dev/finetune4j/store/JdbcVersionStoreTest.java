package dev.finetune4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.finetune4j.CorruptDataException;
import dev.finetune4j.StoreException;
import dev.finetune4j.testing.Postgres;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class JdbcVersionStoreTest extends VersionStoreContract {

    private DataSource dataSource;

    @Override
    protected VersionStore open() {
        dataSource = Postgres.freshDatabase();
        return VersionStores.jdbc(dataSource, clock);
    }

    @Override
    protected Tamper tamper() {
        return new JdbcTamper(dataSource);
    }

    @Test
    void schema_isCreatedOnceAndVersioned_andReopeningKeepsData() throws Exception {
        StoreKey k = new StoreKey(a, "things", "x");
        store.write(k, "{\"n\":1}", 0);

        VersionStore again = VersionStores.jdbc(dataSource, clock);

        assertThat(again.latest(k).orElseThrow().value()).isEqualTo("{\"n\":1}");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select version from ft4j_schema order by version")) {
            // a new database is created at schema 2 by the shipped script, in one step
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void newerSchema_isRefused() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into ft4j_schema (version) values (9)");
        }

        assertThatThrownBy(() -> VersionStores.jdbc(dataSource, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 9");
    }

    @Test
    void largeBlob_streamsInChunks() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);

        BlobRef ref = store.putBlob(a, new java.io.ByteArrayInputStream(content));

        try (InputStream in = store.openBlob(a, ref.id())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from ft4j_blob_chunks")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(4);
        }
    }

    private static String sha(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    /** Writes a blob's rows as schema 1 did: chunks and a blobs row without checksums. */
    private static void schemaOneBlob(Connection c, String tenant, String id, byte[] content) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("insert into ft4j_blob_chunks (tenant, id, seq, data) "
                + "values (?, ?, ?, ?)")) {
            for (int seq = 0; seq * 1048576 < content.length; seq++) {
                ps.setString(1, tenant);
                ps.setString(2, id);
                ps.setInt(3, seq);
                ps.setBytes(4, Arrays.copyOfRange(content, seq * 1048576, Math.min(content.length, (seq + 1) * 1048576)));
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into ft4j_blobs (tenant, id, size) values (?, ?, ?)")) {
            ps.setString(1, tenant);
            ps.setString(2, id);
            ps.setLong(3, content.length);
            ps.executeUpdate();
        }
    }

    @Test
    void schemaOneDatabase_isMigratedOnce_sealingRevisionsAndCheckingBlobsAgainstTheirIds() throws Exception {
        DataSource legacy = Postgres.freshDatabase();
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(big);
        byte[] other = new byte[2 * 1024 * 1024 + 9];
        new Random(5).nextBytes(other);
        String otherId = sha(other);
        other[5] ^= 1;
        try (Connection c = legacy.getConnection(); Statement s = c.createStatement()) {
            // the schema 1 DDL, as finetune4j before checksums created it
            s.execute("create table ft4j_schema (version integer not null)");
            s.execute("create table ft4j_revisions (tenant varchar(64) collate \"C\" not null, collection varchar(64) "
                    + "collate \"C\" not null, id varchar(200) collate \"C\" not null, revision bigint not null, "
                    + "created_at timestamptz not null, value text not null, primary key (tenant, collection, id, revision))");
            s.execute("create index ft4j_revisions_first on ft4j_revisions (tenant, collection, id) where revision = 1");
            s.execute("create table ft4j_blobs (tenant varchar(64) not null, id char(64) not null, size bigint not null, "
                    + "primary key (tenant, id))");
            s.execute("create table ft4j_blob_chunks (tenant varchar(64) not null, id varchar(64) not null, "
                    + "seq integer not null, data bytea not null, primary key (tenant, id, seq))");
            s.execute("insert into ft4j_schema (version) values (1)");
            s.execute("insert into ft4j_revisions values ('tenant-a', 'things', 'x', 1, '2026-11-20T09:00:00.123456Z', "
                    + "'{\"n\":1}'), ('tenant-a', 'things', 'x', 2, '2026-11-20T09:01:00Z', '{\"n\":2}')");
            schemaOneBlob(c, "tenant-a", sha(big), big);
            schemaOneBlob(c, "tenant-a", otherId, other);
        }

        VersionStore migrated = VersionStores.jdbc(legacy, clock);

        StoreKey x = new StoreKey(a, "things", "x");
        assertThat(migrated.latest(x).orElseThrow().value()).isEqualTo("{\"n\":2}");
        assertThat(migrated.read(x, 1).orElseThrow().createdAt()).isEqualTo(Instant.parse("2026-11-20T09:00:00.123456Z"));
        try (InputStream in = migrated.openBlob(a, sha(big))) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }
        assertThatThrownBy(() -> migrated.openBlob(a, otherId)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("ft4j_blobs[tenant=tenant-a, id=" + otherId + "]")
                .hasMessageContaining("chunk checksums are missing");
        assertThat(migrated.verify(false).damage()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(StoreIssue.Kind.BLOB_DAMAGED);
            assertThat(i.location()).isEqualTo("ft4j_blobs[tenant=tenant-a, id=" + otherId + "]");
        });
        assertThat(migrated.write(x, "{\"n\":3}", 2).number()).isEqualTo(3);
        VersionStores.jdbc(legacy, clock);
        try (Connection c = legacy.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*), max(version) from ft4j_schema")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getInt(2)).isEqualTo(2);
        }
    }

    @Test
    void revisionWithoutAChecksum_isRefused() {
        StoreKey k = new StoreKey(a, "things", "x");
        store.write(k, "{\"n\":1}", 0);

        new JdbcTamper(dataSource).sql("update ft4j_revisions set checksum = null where tenant = ?", "tenant-a");

        assertThatThrownBy(() -> store.latest(k)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("ft4j_revisions[tenant=tenant-a, collection=things, id=x, revision=1]")
                .hasMessageContaining("it has no checksum");
    }

    @Test
    void verifyRepair_removesChunkRowsNoBlobOwns_andRebuildsATableOfIntactContent() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024 + 5];
        new Random(4).nextBytes(big);
        BlobRef ref = store.putBlob(a, new java.io.ByteArrayInputStream(big));
        JdbcTamper t = new JdbcTamper(dataSource);
        t.sql("update ft4j_blobs set sums = null where tenant = ?", "tenant-a");
        t.sql("insert into ft4j_blob_chunks (tenant, id, seq, data) values (?, 'upload-crashed', 0, '\\x00')",
                "tenant-a");

        VerifyReport found = store.verify(false);

        assertThat(found.issues()).extracting(StoreIssue::kind, StoreIssue::location, StoreIssue::repair)
                .containsExactly(
                        tuple(StoreIssue.Kind.CHUNK_TABLE_DAMAGED, "ft4j_blobs[tenant=tenant-a, id=" + ref.id() + "]",
                                StoreIssue.Repair.POSSIBLE),
                        tuple(StoreIssue.Kind.LEFTOVER, "ft4j_blob_chunks[tenant=tenant-a, id=upload-crashed]",
                                StoreIssue.Repair.POSSIBLE));
        assertThat(store.verify(true).clean()).isTrue();
        assertThat(store.verify(false).issues()).isEmpty();
        try (InputStream in = store.openBlob(a, ref.id())) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }
    }
}
