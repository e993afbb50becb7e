package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.JsonlReader;
import dev.finetune4j.dataset.ValidationReport;
import dev.finetune4j.format.DatasetFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j validate FILE}: checks a JSONL training file line by line. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Check a JSONL training file line by line against a provider's rules.",
            "Prints a summary and one line per issue (line number, stable code, message); the OpenAI cookbook's "
                + "data warnings, examples without a system or a user message, as one line each with their count. "
                + "Exits 1 when a line has an error."
        })
final class ValidateCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSONL file.")
    Path file;

    @Option(names = "--provider", paramLabel = "PROVIDER", converter = Converters.Provider.class,
            completionCandidates = Converters.ProviderIds.class,
            description = "Whose data rules to apply: ${COMPLETION-CANDIDATES} (default: the rules of the file's "
                    + "format: Mistral's for --from mistral, else the shared ones, which are "
                    + Providers.DEFAULT_PROVIDER + "'s).")
    String provider;

    @Option(names = "--from", paramLabel = "FORMAT", defaultValue = "openai",
            converter = Converters.InputFormat.class,
            description = "The file's format: openai, mistral or alpaca (default: ${DEFAULT-VALUE}).")
    DatasetFormat from;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "Count tokens with this model's tokenizer (needed by --max-tokens; default with "
                    + "--max-tokens: the default base model of --provider, else of " + Providers.DEFAULT_PROVIDER
                    + ").")
    String model;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Reject examples longer than N tokens (code too_long).")
    Integer maxTokens;

    @Option(names = "--strict",
            description = "Also exit 1 on warnings (duplicates, unknown keys, missing user messages, tool "
                    + "arguments encoded twice, legacy functions converted), but not on missing system messages: "
                    + "for CI checks.")
    boolean strict;

    @Override
    public Integer call() {
        requireFile(file);
        if (maxTokens != null && maxTokens < 1) {
            throw usage("--max-tokens must be at least 1, was " + maxTokens);
        }
        String rules = Providers.rulesLabel(provider, from);
        ImportOptions.Builder options = ImportOptions.builder().format(from).rules(Providers.rules(provider, from));
        if (model != null || maxTokens != null) {
            options.model(model != null ? model : tokenizerModel());
        }
        if (maxTokens != null) {
            options.maxTokensPerExample(maxTokens);
        }
        ValidationReport report = JsonlReader.validate(file, options.build());

        FinetuneCli cli = cli();
        if (cli.json()) {
            ObjectNode doc = JsonDocs.object();
            doc.put("file", file.toString());
            doc.put("provider", rules);
            Reports.putValidation(doc, report);
            cli.printJson(doc);
        } else {
            PrintWriter out = cli.out();
            out.println(file + ": " + report.summary() + " (" + rules + " rules)");
            Reports.printIssues(out, report, Integer.MAX_VALUE);
            if (report.hasErrors()) {
                out.println(Reports.count(report.invalid(), "line") + " rejected: fix them, or let "
                        + "`finetune4j dataset append` skip them.");
            }
        }
        // a system message is optional everywhere: a dataset without any is a choice, not a fault
        boolean failed = report.hasErrors() || (strict && report.countsByCode().keySet().stream()
                .anyMatch(code -> code != IssueCode.MISSING_SYSTEM_MESSAGE));
        return failed ? ExitCodes.INPUT : ExitCodes.OK;
    }

    /** The model counting tokens for --max-tokens without --model: the provider's default base model. */
    private String tokenizerModel() {
        String of = provider != null ? provider : Providers.DEFAULT_PROVIDER;
        return Providers.baseModel(of).orElseThrow(() -> usage("--max-tokens needs --model: provider " + of
                + " has no default base model to count tokens with"));
    }
}
