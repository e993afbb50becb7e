package dev.finetune4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.StoreException;
import dev.finetune4j.testing.Postgres;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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

    @Test
    void schema_isCreatedOnceAndVersioned_andReopeningKeepsData() throws Exception {
        StoreKey k = new StoreKey(a, "things", "x");
        store.write(k, "{\"n\":1}", 0);

        VersionStore again = VersionStores.jdbc(dataSource, clock);

        assertThat(again.latest(k).orElseThrow().value()).isEqualTo("{\"n\":1}");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select version from ft4j_schema")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
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
}
