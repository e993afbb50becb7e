package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.JsonlReader;
import dev.finetune4j.dataset.ValidationReport;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.tokens.TokenCounter;
import dev.finetune4j.tokens.TokenStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j stats FILE}: tokens, epochs and the estimated training cost of a JSONL file. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {
            "Count the tokens of a JSONL training file and estimate what training on it costs.",
            "Tokens are counted with the model's real tokenizer (exact for OpenAI models, an approximation "
                + "for others); epochs follow OpenAI's auto heuristic unless --epochs is given; the cost uses "
                + "the bundled, dated list prices. Invalid and duplicate lines are left out.",
            "Each example counts as the OpenAI cookbook's num_tokens_from_messages counts its messages, plus its "
                + "tools and tool calls as their compact JSON text (OpenAI bills them; the cookbook's formula "
                + "leaves them out): on function-calling data the totals are several times the formula's (about "
                + "9x on OpenAI's drone example).",
            "Data warnings as the cookbook counts them: examples without a system message, without a user "
                + "message, and tool call arguments encoded twice (finetune4j validate lists the lines)."
        })
final class StatsCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSONL file.")
    Path file;

    @Option(names = "--provider", paramLabel = "PROVIDER", defaultValue = Providers.DEFAULT_PROVIDER,
            converter = Converters.Provider.class, completionCandidates = Converters.ProviderIds.class,
            description = "Whose rules, tokenizer and prices: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "The base model (default: the provider's default base model; required when it has none).")
    String model;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to estimate for (default: auto).")
    Integer epochs;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "The longest example the model trains on (default: the training policy's "
                    + "limit for the model, when known); longer ones bill only N tokens.")
    Integer maxTokens;

    @Option(names = "--from", paramLabel = "FORMAT", defaultValue = "openai",
            converter = Converters.InputFormat.class,
            description = "The file's format: openai, mistral or alpaca (default: ${DEFAULT-VALUE}).")
    DatasetFormat from;

    @Override
    public Integer call() {
        if (epochs != null && epochs < 1) {
            throw usage("--epochs must be at least 1, was " + epochs);
        }
        if (maxTokens != null && maxTokens < 1) {
            throw usage("--max-tokens must be at least 1, was " + maxTokens);
        }
        String m = model != null ? model : Providers.baseModel(provider).orElseThrow(() -> usage("--provider "
                + provider + " needs --model: " + ProviderRegistry.displayName(provider)
                + " has no default base model"));
        requireFile(file);
        ImportOptions options = ImportOptions.builder()
                .format(from)
                .rules(Providers.rules(provider, from))
                .model(m)
                .build();
        TokenStats.Accumulator acc = TokenStats.accumulator(TokenCounter.forModel(m));
        ValidationReport read = JsonlReader.read(file, options,
                e -> acc.add(e.tokens(), e.assistantTokens(), e.example().messages().size()));
        if (read.valid() == 0) {
            throw new InputException(file + " has no valid example (" + read.summary() + "); see `finetune4j validate "
                    + file + "`");
        }
        TokenCost cost = TokenCost.of(provider, m, acc, maxTokens, epochs);

        FinetuneCli cli = cli();
        if (cli.json()) {
            ObjectNode doc = JsonDocs.object();
            doc.put("file", file.toString());
            doc.put("examples", cost.stats().examples());
            doc.put("invalid", read.invalid());
            doc.put("duplicates", read.duplicates());
            ObjectNode warnings = doc.putObject("data_warnings");
            for (IssueCode code : DATA_WARNINGS) {
                warnings.put(code.code(), read.count(code));
            }
            cost.putJson(doc);
            cli.printJson(doc);
        } else {
            PrintWriter out = cli.out();
            out.println(file + ": " + Reports.count(cost.stats().examples(), "example")
                    + skipped(read) + ", " + provider + " " + m);
            out.println("  data warnings: " + read.count(IssueCode.MISSING_SYSTEM_MESSAGE) + " without a system message, "
                    + read.count(IssueCode.MISSING_USER_MESSAGE) + " without a user message, "
                    + read.count(IssueCode.DOUBLE_ENCODED_ARGUMENTS) + " with tool arguments encoded twice");
            cost.print(out, "  ");
        }
        return ExitCodes.OK;
    }

    /** The cookbook's data warnings, and arguments encoded twice, counted in {@code data_warnings}. */
    private static final List<IssueCode> DATA_WARNINGS = List.of(IssueCode.MISSING_SYSTEM_MESSAGE,
            IssueCode.MISSING_USER_MESSAGE, IssueCode.DOUBLE_ENCODED_ARGUMENTS);

    static String skipped(ValidationReport read) {
        if (read.invalid() == 0 && read.duplicates() == 0) {
            return "";
        }
        return " (" + Reports.count(read.invalid(), "invalid line") + " and "
                + Reports.count(read.duplicates(), "duplicate") + " left out)";
    }
}
