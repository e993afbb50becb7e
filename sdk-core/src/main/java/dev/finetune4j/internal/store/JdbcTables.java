package dev.finetune4j.internal.store;

/**
 * The JDBC store's table names as its statements write them: qualified with the configured schema
 * (quoted, so the name is taken as given), or bare for the connection's search path.
 */
record JdbcTables(String schema) {

    /** Tables on the connection's search path. */
    static final JdbcTables SEARCH_PATH = new JdbcTables(null);

    String revisions() {
        return qualified("ft4j_revisions");
    }

    String blobs() {
        return qualified("ft4j_blobs");
    }

    String chunks() {
        return qualified("ft4j_blob_chunks");
    }

    String versions() {
        return qualified("ft4j_schema");
    }

    /** The schema as an SQL identifier; only when one is configured. */
    String quotedSchema() {
        return "\"" + schema + "\"";
    }

    private String qualified(String table) {
        return schema == null ? table : quotedSchema() + "." + table;
    }
}
