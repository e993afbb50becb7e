package dev.finetune4j.cli;

import picocli.CommandLine.Command;

/** {@code finetune4j store ...}: the store itself. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "The store itself: check every stored byte, mend what can be mended without guessing.",
        subcommands = {StoreVerifyCommand.class, StoreSchemaCommand.class})
final class StoreCommand extends BaseCommand {

    @Override
    public Integer call() {
        throw usage("missing subcommand: verify or schema-sql");
    }
}
