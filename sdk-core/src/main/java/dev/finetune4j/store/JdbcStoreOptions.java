package dev.finetune4j.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How {@link VersionStores#jdbc(javax.sql.DataSource, JdbcStoreOptions)} uses its database: which
 * schema holds the tables, whether the store may create and migrate them, and the clock of revision
 * times. The defaults are those of {@link VersionStores#jdbc(javax.sql.DataSource)}: the tables in
 * the first schema of each connection's search path, created or migrated on open.
 *
 * <pre>{@code
 * // tables created by Flyway from postgresql-schema.sql, in the schema "finetune"
 * VersionStore store = VersionStores.jdbc(dataSource, JdbcStoreOptions.builder()
 *         .schema("finetune")
 *         .createTables(false)
 *         .build());
 * }</pre>
 */
public final class JdbcStoreOptions {

    /** The class-path resource of {@link #schemaScript()}. */
    public static final String SCHEMA_SCRIPT = "/dev/finetune4j/store/postgresql-schema.sql";

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final JdbcStoreOptions DEFAULTS = builder().build();

    private final String schema;
    private final boolean createTables;
    private final Clock clock;

    private JdbcStoreOptions(Builder b) {
        this.schema = b.schema;
        this.createTables = b.createTables;
        this.clock = b.clock;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: search-path schema, tables created and migrated on open, the UTC system clock. */
    public static JdbcStoreOptions defaults() {
        return DEFAULTS;
    }

    /** The schema that holds the tables, or empty for the first schema of the connection's search path. */
    public Optional<String> schema() {
        return Optional.ofNullable(schema);
    }

    /** Whether opening the store may create the schema and its tables and migrate older ones. */
    public boolean createTables() {
        return createTables;
    }

    /** Where revision times come from. */
    public Clock clock() {
        return clock;
    }

    /**
     * The SQL that creates the store's tables at the schema version this library writes, for
     * applications whose migrations tool (Flyway, Liquibase) or DBA owns the database schema. Its
     * names are unqualified: run it with the target schema first on the search path.
     */
    public static String schemaScript() {
        try (InputStream in = JdbcStoreOptions.class.getResourceAsStream(SCHEMA_SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the finetune4j jar lacks " + SCHEMA_SCRIPT);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "JdbcStoreOptions[schema=" + (schema == null ? "(search path)" : schema) + ", createTables="
                + createTables + ", clock=" + clock + "]";
    }

    /** Builds {@link JdbcStoreOptions}. */
    public static final class Builder {

        private String schema;
        private boolean createTables = true;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * Puts the tables in {@code schema} (created when {@link #createTables} allows) instead of
         * the connection's search path; the store qualifies every table name with it, so it never
         * changes the connections it borrows.
         *
         * @param schema a lower-case PostgreSQL identifier: a letter or {@code _}, then letters,
         *     digits or {@code _}, at most 63 characters; null for the search path
         * @throws IllegalArgumentException if the name is not such an identifier
         */
        public Builder schema(String schema) {
            if (schema != null && !SCHEMA_NAME.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must be a lower-case PostgreSQL identifier ([a-z_]"
                        + "[a-z0-9_]*, at most 63 characters), was '" + schema + "'");
            }
            this.schema = schema;
            return this;
        }

        /**
         * Whether opening the store may create the schema and tables and migrate older ones (default
         * true). With false the store runs no DDL: it checks that the tables exist at the schema
         * version it writes and refuses to open otherwise, naming {@link #schemaScript()}.
         */
        public Builder createTables(boolean createTables) {
            this.createTables = createTables;
            return this;
        }

        /** Where revision times come from (default: the UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The options. */
        public JdbcStoreOptions build() {
            return new JdbcStoreOptions(this);
        }
    }
}
