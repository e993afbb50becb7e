package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.Tenant;
import dev.finetune4j.store.JdbcStoreOptions;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A host test on the PostgreSQL store: a real server, an empty database per test, in the schema asked for. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresStoreTest {

    @RegisterExtension
    static PostgresStore postgres = PostgresStore.create(JdbcStoreOptions.builder().schema("host_app").build());

    private final StoreKey key = new StoreKey(Tenant.of("t"), "things", "x");

    @Test
    @Order(1)
    void aTest_getsAStoreOnARealPostgres_inTheOptionsSchema(VersionStore store, DataSource db) throws Exception {
        store.write(key, "{\"n\":1}", 0);

        assertThat(store.latest(key).orElseThrow().value()).isEqualTo("{\"n\":1}");
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from host_app.ft4j_revisions")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void theNextTest_startsFromAnEmptyDatabase(VersionStore store) {
        assertThat(store.latest(key)).isEmpty();
        assertThat(postgres.freshStore().latest(key)).isEmpty();
    }
}
