package dev.finetune4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.StoreException;
import dev.finetune4j.Tenant;
import dev.finetune4j.testing.Postgres;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store in a schema of the application's choosing, and with its tables created by the
 * application's migrations tool from the shipped script instead of by the store.
 */
class JdbcStoreOptionsTest {

    private final Tenant tenant = Tenant.of("tenant-a");
    private final StoreKey key = new StoreKey(tenant, "things", "x");

    @Test
    void storesInTwoSchemas_ofOneDatabase_keepTheirDataApart_andLeaveTheSearchPathAlone() throws Exception {
        DataSource db = Postgres.freshDatabase();

        VersionStore one = VersionStores.jdbc(db, JdbcStoreOptions.builder().schema("app_one").build());
        VersionStore two = VersionStores.jdbc(db, JdbcStoreOptions.builder().schema("app_two").build());
        one.write(key, "{\"n\":1}", 0);
        two.write(key, "{\"n\":2}", 0);
        two.write(key, "{\"n\":3}", 1);

        assertThat(one.latest(key).orElseThrow().value()).isEqualTo("{\"n\":1}");
        assertThat(two.latest(key).orElseThrow().value()).isEqualTo("{\"n\":3}");
        assertThat(tablesIn(db, "app_one")).containsExactly("ft4j_blob_chunks", "ft4j_blobs", "ft4j_revisions",
                "ft4j_schema");
        assertThat(tablesIn(db, "public")).isEmpty();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("show search_path")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("\"$user\", public");
        }
        assertThat(one.verify(false).issues()).isEmpty();
        assertThat(one.toString()).contains("schema app_one");
    }

    @Test
    void withoutCreateTables_anEmptyDatabase_isRefusedNamingTheScript_andNothingIsCreated() throws Exception {
        DataSource db = Postgres.freshDatabase();
        JdbcStoreOptions options = JdbcStoreOptions.builder().schema("app").createTables(false).build();

        assertThatThrownBy(() -> VersionStores.jdbc(db, options))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("not in schema app")
                .hasMessageContaining("createTables(false)")
                .hasMessageContaining(JdbcStoreOptions.SCHEMA_SCRIPT);
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from information_schema.schemata "
                        + "where schema_name = 'app'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void theShippedScript_createsTheTablesTheStoreCreates_andAStoreWithoutCreateTablesWorksOnThem() throws Exception {
        DataSource db = Postgres.freshDatabase();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            // what a Flyway migration holding the script does
            s.execute("create schema migrated");
            s.execute("set search_path to migrated");
            s.execute(JdbcStoreOptions.schemaScript());
            s.execute("set search_path to default");
        }
        VersionStore store = VersionStores.jdbc(db,
                JdbcStoreOptions.builder().schema("migrated").createTables(false).build());
        VersionStores.jdbc(db, JdbcStoreOptions.builder().schema("by_store").build());

        store.write(key, "{\"n\":1}", 0);
        byte[] content = "weights".repeat(400_000).getBytes(StandardCharsets.UTF_8);
        BlobRef blob = store.putBlob(tenant, new ByteArrayInputStream(content));
        assertThat(store.latest(key).orElseThrow().value()).isEqualTo("{\"n\":1}");
        try (InputStream in = store.openBlob(tenant, blob.id())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(store.verify(false).issues()).isEmpty();
        assertThat(columns(db, "migrated")).isEqualTo(columns(db, "by_store")).isNotEmpty();
        assertThat(indexes(db, "migrated")).isEqualTo(indexes(db, "by_store"))
                .anySatisfy(index -> assertThat(index).startsWith("ft4j_revisions_first ").endsWith("(revision = 1)"));
    }

    @Test
    void withoutCreateTables_aSchemaOneDatabase_isRefusedWithTheWayToMigrateIt() throws Exception {
        DataSource db = Postgres.freshDatabase();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table ft4j_schema (version integer not null)");
            s.execute("insert into ft4j_schema (version) values (1)");
        }

        assertThatThrownBy(() -> VersionStores.jdbc(db, JdbcStoreOptions.builder().createTables(false).build()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("on the connection's search path are at schema version 1")
                .hasMessageContaining("createTables(true) to migrate");
    }

    @Test
    void aSchemaName_mustBeAPlainLowerCaseIdentifier() {
        for (String bad : List.of("App", "1app", "app-one", "a\"; drop table x; --", "a".repeat(64), "")) {
            assertThatThrownBy(() -> JdbcStoreOptions.builder().schema(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThat(JdbcStoreOptions.builder().schema("_app_2").build().schema()).contains("_app_2");
        assertThat(JdbcStoreOptions.defaults().schema()).isEmpty();
        assertThat(JdbcStoreOptions.defaults().createTables()).isTrue();
    }

    private static List<String> tablesIn(DataSource db, String schema) throws Exception {
        return strings(db, "select table_name from information_schema.tables where table_schema = '" + schema
                + "' order by table_name");
    }

    private static List<String> columns(DataSource db, String schema) throws Exception {
        return strings(db, "select table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '"
                + " || coalesce(collation_name, '-') || ' ' || coalesce(character_maximum_length::text, '-') "
                + "from information_schema.columns where table_schema = '" + schema + "' order by 1");
    }

    private static List<String> indexes(DataSource db, String schema) throws Exception {
        return strings(db, "select indexname || ' ' || replace(indexdef, '" + schema + ".', '') from pg_indexes "
                + "where schemaname = '" + schema + "' order by 1");
    }

    private static List<String> strings(DataSource db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
