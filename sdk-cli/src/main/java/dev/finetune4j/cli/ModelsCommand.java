package dev.finetune4j.cli;

import picocli.CommandLine.Command;

/** {@code finetune4j models ...}: register model versions. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {
            "Import an existing provider model as a model version.",
            "`versions ASSISTANT` lists the model versions."
        },
        subcommands = ModelsImportCommand.class)
final class ModelsCommand extends BaseCommand {

    @Override
    public Integer call() {
        throw usage("missing subcommand: import");
    }
}
