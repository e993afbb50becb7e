package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ResourceNotFoundException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelState;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.spi.Provider;
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
            "The provider's copy of the model stays unless --provider-model is given: then it is deleted at the "
                + "provider first (a copy already gone there is fine), and nothing is deleted when that fails."
        })
final class DeleteCommand extends SelectionChangeCommand {

    @Parameters(index = "1", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "The model version: 2 or v2.")
    int version;

    @Option(names = "--provider-model",
            description = "Also delete the provider's copy of the model, first (needs the provider's key, e.g. "
                    + "$OPENAI_API_KEY).")
    boolean providerModel;

    /** {@code deleted}, {@code not_found} (already gone at the provider) or {@code kept}. */
    private String providerCopy = "kept";

    private ModelVersion deleted;
    private Selection after;

    @Override
    Selection apply(Assistant a, Selection before, Change change) {
        ModelVersion v = a.modelVersion(version).orElseThrow(() ->
                new NotFoundException("assistant '" + a.name() + "' has no model version " + version));
        if (providerModel && v.state() != ModelState.DELETED) {
            providerCopy = deleteAtProvider(v);
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

    /** Deletes the provider's copy; a copy already gone is fine. Fails (nothing deleted) otherwise. */
    private String deleteAtProvider(ModelVersion v) {
        FinetuneCli.Session s = session;
        s.providers().primary(v.provider());
        Provider p = s.ft().provider(v.provider());
        if (!p.capabilities().deleteModel()) {
            throw new InputException("invalid_state", v.provider() + " cannot delete models through its API; "
                    + "nothing was deleted. Delete " + v.providerModelId() + " in " + v.provider() + "'s console, then "
                    + "run without --provider-model");
        }
        try {
            p.deleteModel(v.providerModelId());
            return "deleted";
        } catch (ResourceNotFoundException e) {
            return "not_found";
        }
    }

    @Override
    void putJson(ObjectNode doc) {
        doc.set("deleted", JsonDocs.modelVersion(deleted, after));
        doc.put("provider_model", providerCopy);
    }

    @Override
    void printMore(PrintWriter out) {
        String copy = switch (providerCopy) {
            case "deleted" -> deleted.provider() + "'s copy of " + deleted.providerModelId() + " was deleted first";
            case "not_found" -> deleted.provider() + " had no copy of " + deleted.providerModelId() + " any more";
            default -> deleted.provider() + " still has its copy of " + deleted.providerModelId()
                    + " (--provider-model deletes it)";
        };
        out.println("  the record of v" + version + " stays for lineage; " + copy);
    }
}
