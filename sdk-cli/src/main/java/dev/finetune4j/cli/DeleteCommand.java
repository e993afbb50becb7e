package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j delete ASSISTANT VERSION}: delete a model version, leaving the selection first. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {
            "Delete a model version from the store (the provider's copy stays).",
            "The version leaves the selection first (an active version falls back to the base model, a candidate "
                + "is cleared), then is marked deleted; the record stays for lineage. Prints the selection after "
                + "the change and the deleted version.",
            "The provider's copy of the model is not touched: deleting it (--provider-model) needs a configured "
                + "provider, which arrives with the provider modules."
        })
final class DeleteCommand extends SelectionChangeCommand {

    @Parameters(index = "1", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "The model version: 2 or v2.")
    int version;

    @Option(names = "--provider-model",
            description = "Also delete the provider's copy of the model. Not available in this build: it needs a "
                    + "configured provider, which arrives with the provider modules; the command then stops "
                    + "with exit 2 and deletes nothing.")
    boolean providerModel;

    private ModelVersion deleted;
    private Selection after;

    @Override
    Selection apply(Assistant a, Selection before, Change change) {
        ModelVersion v = a.modelVersion(version).orElseThrow(() ->
                new NotFoundException("assistant '" + a.name() + "' has no model version " + version));
        if (providerModel) {
            // Checked here, not in checkUsage, to name the provider's model in the message.
            throw usage("--provider-model: deleting " + v.provider() + "'s copy of " + v.providerModelId()
                    + " needs a configured " + v.provider() + " provider, which arrives with the provider modules "
                    + "(sdk-openai, sdk-mistral, sdk-huggingface); nothing was deleted. Run without --provider-model "
                    + "to delete v" + version + " from the store, and delete the model in " + v.provider()
                    + "'s own console or API");
        }
        deleted = a.delete(version, change);
        after = a.selection();
        return after;
    }

    @Override
    String done(Selection before, Selection after) {
        return "deleted model v" + version + " of " + assistant + " (" + deleted.providerModelId() + ")";
    }

    @Override
    String unchanged(Selection after) {
        return "model v" + version + " of " + assistant + " was already deleted; nothing changed";
    }

    @Override
    void putJson(ObjectNode doc) {
        doc.set("deleted", JsonDocs.modelVersion(deleted, after));
    }

    @Override
    void printMore(PrintWriter out) {
        out.println("  the record of v" + version + " stays for lineage; " + deleted.provider()
                + " still has its copy of " + deleted.providerModelId()
                + " (deleting it arrives with the provider modules)");
    }
}
