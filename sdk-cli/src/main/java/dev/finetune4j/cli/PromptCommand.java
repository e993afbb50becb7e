package dev.finetune4j.cli;

import picocli.CommandLine.Command;

/** {@code finetune4j prompt ...}: an assistant's prompt versions. */
@Command(name = "prompt", mixinStandardHelpOptions = true,
        description = {
            "Create, activate and deactivate prompt versions.",
            "A prompt version is a system prompt plus optional few-shot examples, versioned apart from model "
                + "versions. `prompts ASSISTANT` lists them."
        },
        subcommands = {
            PromptSetCommand.class,
            PromptActivateCommand.class,
            PromptDeactivateCommand.class
        })
final class PromptCommand extends BaseCommand {

    @Override
    public Integer call() {
        throw usage("missing subcommand: set, activate or deactivate");
    }
}
