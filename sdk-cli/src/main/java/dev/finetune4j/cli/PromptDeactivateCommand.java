package dev.finetune4j.cli;

import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import picocli.CommandLine.Command;

/** {@code finetune4j prompt deactivate ASSISTANT}. */
@Command(name = "deactivate", mixinStandardHelpOptions = true,
        description = "Run without a system prompt from a prompt version. Prints the selection after the change.")
final class PromptDeactivateCommand extends SelectionChangeCommand {

    @Override
    Selection apply(Assistant a, Selection before, Change change) {
        return a.deactivatePrompt(change);
    }

    @Override
    String done(Selection before, Selection after) {
        return "deactivated prompt v" + before.activePromptVersion().getAsInt() + " of " + assistant;
    }

    @Override
    String unchanged(Selection after) {
        return assistant + " has no active prompt version; nothing changed";
    }
}
