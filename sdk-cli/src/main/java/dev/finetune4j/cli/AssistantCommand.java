package dev.finetune4j.cli;

import picocli.CommandLine.Command;

/** {@code finetune4j assistant ...}: create an assistant. */
@Command(name = "assistant", mixinStandardHelpOptions = true,
        description = {
            "Create an assistant: what the host app chats with and trains.",
            "An assistant (an avatar, a voice-command parser) owns its model versions, prompt versions and live "
                + "selection. `assistants` lists them."
        },
        subcommands = AssistantCreateCommand.class)
final class AssistantCommand extends BaseCommand {

    @Override
    public Integer call() {
        throw usage("missing subcommand: create");
    }
}
