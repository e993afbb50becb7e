package dev.finetune4j.store;

import dev.finetune4j.internal.store.FileVersionStore;
import dev.finetune4j.internal.store.InMemoryVersionStore;
import dev.finetune4j.internal.store.JdbcVersionStore;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;

/** Factories for the shipped {@link VersionStore}s. */
public final class VersionStores {

    private VersionStores() {}

    /** A store that keeps everything in this JVM's memory; for tests and throw-away work. */
    public static VersionStore inMemory() {
        return inMemory(Clock.systemUTC());
    }

    /** An in-memory store whose revision times come from {@code clock}. */
    public static VersionStore inMemory(Clock clock) {
        return new InMemoryVersionStore(clock);
    }

    /**
     * The embedded file store (the library's default, {@code ./.finetune4j} on the command line):
     * plain files under {@code directory}, created if missing. Every write is atomic and durable
     * when the call returns; several threads and several processes may use the same directory.
     *
     * @throws dev.finetune4j.StoreException if the directory cannot be created or is not a store
     */
    public static VersionStore file(Path directory) {
        return file(directory, Clock.systemUTC());
    }

    /** The file store with revision times from {@code clock}. */
    public static VersionStore file(Path directory, Clock clock) {
        return new FileVersionStore(directory, clock);
    }

    /**
     * The PostgreSQL store, for applications that run many instances on one database. Pass the
     * application's own {@link DataSource} (a connection pool such as HikariCP is recommended); the
     * store borrows a connection per operation and never closes the data source. Tables named
     * {@code ft4j_*} are created or migrated on first use, in the first schema of the connection's
     * search path; {@link #jdbc(DataSource, JdbcStoreOptions)} chooses another schema or leaves the
     * tables to the application's migrations tool.
     *
     * @throws dev.finetune4j.StoreException if the database cannot be reached or has a newer schema
     */
    public static VersionStore jdbc(DataSource dataSource) {
        return jdbc(dataSource, JdbcStoreOptions.defaults());
    }

    /** The PostgreSQL store with revision times from {@code clock}. */
    public static VersionStore jdbc(DataSource dataSource, Clock clock) {
        return jdbc(dataSource, JdbcStoreOptions.builder().clock(clock).build());
    }

    /**
     * The PostgreSQL store as {@code options} say: the schema of its tables, whether it may create
     * and migrate them, its clock.
     *
     * @throws dev.finetune4j.StoreException if the database cannot be reached, has a newer schema,
     *     or lacks the tables while {@link JdbcStoreOptions#createTables()} is false
     */
    public static VersionStore jdbc(DataSource dataSource, JdbcStoreOptions options) {
        return new JdbcVersionStore(dataSource, options);
    }
}
