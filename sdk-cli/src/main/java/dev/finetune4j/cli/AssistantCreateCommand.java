package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Selection;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j assistant create NAME --provider P --model BASE}: idempotent, like the library. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {
            "Create an assistant with the provider and base model that answer while no model version is active.",
            "Creating it again with the same provider and base model changes nothing; with another provider or "
                + "base model it exits 1."
        })
final class AssistantCreateCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "[A-Za-z0-9._-], 1-64 characters, e.g. voice-parser.")
    String name;

    @Option(names = "--provider", required = true, paramLabel = "PROVIDER", converter = Converters.Provider.class,
            completionCandidates = Converters.ProviderIds.class,
            description = "The provider that answers while no model version is active: ${COMPLETION-CANDIDATES}.")
    String provider;

    @Option(names = "--model", required = true, paramLabel = "BASE_MODEL",
            description = "The base model, e.g. gpt-4o-mini-2024-07-18.")
    String model;

    @Override
    public Integer call() {
        if (model.isBlank()) {
            throw usage("--model must not be blank");
        }
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            boolean existed = exists(s);
            Assistant a = Assistants.attempt(() -> s.ft().createAssistant(name, provider, model));
            Selection live = a.selection();
            if (cli.json()) {
                ObjectNode doc = Assistants.selectionDoc(a.name(), live);
                doc.put("created", !existed);
                cli.printJson(doc);
            } else {
                PrintWriter out = cli.out();
                out.println(existed
                        ? "assistant " + a.name() + " already exists with " + provider + " and " + model
                                + "; nothing changed"
                        : "created assistant " + a.name() + ": " + provider + ", base model " + model);
                out.println("  now: " + live.describe() + " (revision " + live.revision() + ")");
            }
            return ExitCodes.OK;
        }
    }

    /** Whether the assistant exists already; a malformed name is a usage error. */
    private boolean exists(FinetuneCli.Session s) {
        try {
            return Assistants.exists(s.ft(), name);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }
}
