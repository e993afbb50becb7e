package dev.finetune4j.cli;

import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code finetune4j prompt activate ASSISTANT VERSION}. */
@Command(name = "activate", mixinStandardHelpOptions = true,
        description = "Make a prompt version the active one (whatever model answers). Prints the selection after "
                + "the change; exits 1 for an unknown version.")
final class PromptActivateCommand extends SelectionChangeCommand {

    @Parameters(index = "1", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "The prompt version: 2 or v2.")
    int version;

    @Override
    Selection apply(Assistant a, Selection before, Change change) {
        return a.activatePrompt(version, change);
    }

    @Override
    String done(Selection before, Selection after) {
        return "activated prompt v" + version + " of " + assistant;
    }

    @Override
    String unchanged(Selection after) {
        return "prompt v" + version + " is already active for " + assistant + "; nothing changed";
    }
}
