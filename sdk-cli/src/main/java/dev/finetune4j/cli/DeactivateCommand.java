package dev.finetune4j.cli;

import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import picocli.CommandLine.Command;

/** {@code finetune4j deactivate ASSISTANT}: back to the base model. */
@Command(name = "deactivate", mixinStandardHelpOptions = true,
        description = {
            "Go back to the base model.",
            "No model version is active afterwards; the prompt and the candidate stay. Prints the selection after "
                + "the change."
        })
final class DeactivateCommand extends SelectionChangeCommand {

    @Override
    Selection apply(Assistant a, Selection before, Change change) {
        return a.deactivate(change);
    }

    @Override
    String done(Selection before, Selection after) {
        return "deactivated model v" + before.activeModelVersion().getAsInt() + " of " + assistant
                + ": the base model " + after.baseModel() + " answers";
    }

    @Override
    String unchanged(Selection after) {
        return assistant + " already runs on its base model " + after.baseModel() + "; nothing changed";
    }
}
