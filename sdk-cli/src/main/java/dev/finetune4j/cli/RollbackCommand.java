package dev.finetune4j.cli;

import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import picocli.CommandLine.Command;

/** {@code finetune4j rollback ASSISTANT}: undo the last selection change. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {
            "Undo the last selection change.",
            "Restores the selection before it; run it again to go further back. Prints the selection after the "
                + "change.",
            "Exits 1 when there is nothing to roll back to, or when the selection to restore names a version "
                + "that was retired or deleted since."
        })
final class RollbackCommand extends SelectionChangeCommand {

    @Override
    Selection apply(Assistant a, Selection before, Change change) {
        return a.rollback(change);
    }

    @Override
    String done(Selection before, Selection after) {
        return "rolled back " + assistant;
    }

    @Override
    String unchanged(Selection after) {
        // a rollback always writes; only a concurrent writer could make the revisions match
        return "rolled back " + assistant;
    }
}
