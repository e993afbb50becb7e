package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.DeletionReport;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j delete ASSISTANT VERSION}: delete a model version, leaving the selection first. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {
            "Delete a model version from the store, and with --provider-model the provider's copy too.",
            "The version leaves the selection first (an active version falls back to the base model, a candidate "
                + "is cleared), then is marked deleted; the record stays for lineage. Prints the selection after "
                + "the change and the deleted version.",
            "--provider-model then deletes the provider's copy of the model (a copy already gone there is fine). "
                + "The provider must be configured (its key) before anything is deleted; when it refuses or cannot "
                + "be reached, the version stays deleted here, the copy is kept, and the command exits 3: run it "
                + "again to retry the provider's part."
        })
final class DeleteCommand extends SelectionChangeCommand {

    @Parameters(index = "1", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "The model version: 2 or v2.")
    int version;

    @Option(names = "--provider-model",
            description = "Also delete the provider's copy of the model (needs the provider's key, e.g. "
                    + "$OPENAI_API_KEY).")
    boolean providerModel;

    private DeletionReport report;
    private Selection after;

    @Override
    Selection apply(Assistant a, Selection before, Change change) {
        ModelVersion v = a.modelVersion(version).orElseThrow(() ->
                new NotFoundException("assistant '" + a.name() + "' has no model version " + version));
        if (providerModel) {
            // Configured before anything is deleted: without the key, nothing happens at all.
            session.providers().primary(v.provider());
            session.ft().provider(v.provider()).training();
        }
        report = a.delete(version, providerModel, change);
        after = a.selection();
        return after;
    }

    @Override
    String done(Selection before, Selection after) {
        return "deleted model v" + version + " of " + assistant + " (" + report.version().providerModelId() + ")";
    }

    @Override
    String unchanged(Selection after) {
        return "model v" + version + " of " + assistant + " was already deleted; nothing changed";
    }

    @Override
    void putJson(ObjectNode doc) {
        doc.set("deleted", JsonDocs.modelVersion(report.version(), after));
        doc.putObject("provider_model")
                .put("asked", providerModel)
                .put("deleted", report.providerModelDeleted())
                .put("outcome", report.providerOutcome());
    }

    @Override
    void printMore(PrintWriter out) {
        ModelVersion v = report.version();
        String copy = providerModel ? "at the provider: " + report.providerOutcome()
                : v.provider() + " still has its copy of " + v.providerModelId() + " (--provider-model deletes it)";
        out.println("  the record of v" + version + " stays for lineage; " + copy);
    }

    @Override
    int finish(FinetuneCli cli) {
        if (providerModel && !report.providerModelDeleted()) {
            cli.out().flush();
            cli.err().println("finetune4j: v" + version + " is deleted here, but the provider's copy was "
                    + report.providerOutcome() + "; run the command again to retry");
            return ExitCodes.PROVIDER;
        }
        return ExitCodes.OK;
    }
}
