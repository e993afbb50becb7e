package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j models import ASSISTANT --provider P --model-id ID --base BASE}: an existing
 * provider model as a ready model version, not activated.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {
            "Register an existing provider model (trained elsewhere) as the assistant's next model version, ready "
                + "and not activated. The model id is recorded as given: nothing is sent to the provider.",
            "Importing the same provider and model id again changes nothing and prints the version it got first."
        })
final class ModelsImportCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Option(names = "--provider", required = true, paramLabel = "PROVIDER", converter = Converters.Provider.class,
            completionCandidates = Converters.ProviderIds.class,
            description = "The provider that serves the model: ${COMPLETION-CANDIDATES}.")
    String provider;

    @Option(names = "--model-id", required = true, paramLabel = "ID",
            description = "The provider's model id, e.g. ft:gpt-4o-mini-2024-07-18:acme:ava:7p4lURel.")
    String modelId;

    @Option(names = "--base", required = true, paramLabel = "BASE_MODEL",
            description = "The base model it was trained from.")
    String base;

    @Option(names = "--note", paramLabel = "TEXT", description = "What this model is, e.g. \"+50 Chinese examples\".")
    String note;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            int before = a.modelVersions().size();
            ModelVersion v = Assistants.attempt(() -> a.importModel(provider, modelId, base, note));
            // Numbers are allocated by creation, so a new version is numbered past those seen before.
            boolean created = v.number() > before;
            Selection live = a.selection();
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                doc.put("assistant", a.name());
                doc.put("created", created);
                doc.set("version", JsonDocs.modelVersion(v, live));
                cli.printJson(doc);
            } else {
                PrintWriter out = cli.out();
                out.println(created
                        ? "imported " + v.providerModelId() + " as model v" + v.number() + " of " + a.name() + " ("
                                + v.provider() + ", base model " + v.baseModel() + "), " + JsonDocs.lower(v.state())
                        : "no new version: " + v.providerModelId() + " is already model v" + v.number() + " of "
                                + a.name() + " (" + JsonDocs.lower(v.state()) + ")");
                if (live.activeModelVersion().orElse(0) != v.number()) {
                    out.println("  not active; activate it with `finetune4j activate " + a.name() + " " + v.number()
                            + "`");
                }
            }
            return ExitCodes.OK;
        }
    }
}
