package dev.finetune4j.cli;

import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code finetune4j activate ASSISTANT VERSION}: make a ready model version the live one. */
@Command(name = "activate", mixinStandardHelpOptions = true,
        description = {
            "Make a ready model version the live one.",
            "One atomic switch; a candidate that is this version stops being one. Prints the selection after "
                + "the change.",
            "Exits 1 for an unknown version or one that is not ready (training, failed, retired, deleted)."
        })
final class ActivateCommand extends SelectionChangeCommand {

    @Parameters(index = "1", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "The model version: 2 or v2.")
    int version;

    @Override
    Selection apply(Assistant a, Selection before, Change change) {
        return a.activate(version, change);
    }

    @Override
    String done(Selection before, Selection after) {
        return "activated model v" + version + " of " + assistant;
    }

    @Override
    String unchanged(Selection after) {
        return "model v" + version + " is already active for " + assistant + "; nothing changed";
    }
}
