package dev.finetune4j.cli;

import dev.finetune4j.store.JdbcStoreOptions;
import picocli.CommandLine.Command;

/** {@code finetune4j store schema-sql}: prints the PostgreSQL store's DDL for a migrations tool. */
@Command(name = "schema-sql", mixinStandardHelpOptions = true,
        description = {
            "Print the SQL that creates the PostgreSQL store's tables, for applications whose migrations tool "
                    + "(Flyway, Liquibase) or DBA owns the database schema, e.g. "
                    + "`finetune4j store schema-sql > V1__finetune4j.sql`.",
            "The names are unqualified: run it with the target schema first on the search path, and open the "
                    + "store with JdbcStoreOptions.builder().schema(...).createTables(false). Opens no store."
        })
final class StoreSchemaCommand extends BaseCommand {

    @Override
    public Integer call() {
        cli().out().print(JdbcStoreOptions.schemaScript());
        cli().out().flush();
        return ExitCodes.OK;
    }
}
