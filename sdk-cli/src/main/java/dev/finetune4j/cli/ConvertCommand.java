package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.JsonlReader;
import dev.finetune4j.dataset.ValidationReport;
import dev.finetune4j.format.ConversionReport;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.DatasetWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j convert FILE --to FORMAT}: a JSONL file in another provider's format. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {
            "Convert a JSONL training file to another format, streaming.",
            "Formats: openai, mistral, hf-messages, hf-prompt-completion, alpaca, vertex-gemini, bedrock-claude.",
            "Invalid and duplicate input lines are skipped and counted. Lines read with a change (legacy "
                + "functions / function_call converted to tools, unknown keys left out) and what the target format "
                + "cannot hold are reported on stderr (with --json and -o: in the JSON document); \"lossless\" "
                + "only when nothing was changed, dropped or skipped. When no example can be written, the command "
                + "exits 1 and leaves -o OUT as it was."
        })
final class ConvertCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSONL file to read.")
    Path file;

    @Option(names = "--to", paramLabel = "FORMAT", required = true, converter = Converters.Format.class,
            description = "The format to write.")
    DatasetFormat to;

    @Option(names = "--from", paramLabel = "FORMAT", defaultValue = "openai",
            converter = Converters.InputFormat.class,
            description = "The input's format: openai, mistral or alpaca (default: ${DEFAULT-VALUE}).")
    DatasetFormat from;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "The file to write (replaced when complete); default: stdout.")
    Path output;

    @Mixin
    WriterOptionsMixin writing;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        if (cli.json() && output == null) {
            throw usage("--json needs -o OUT: the converted lines and the JSON report cannot share stdout");
        }
        requireFile(file);
        ImportOptions options = ImportOptions.builder().format(from).build();
        AtomicReference<ValidationReport> read = new AtomicReference<>();
        Consumer<DatasetWriter> producer = writer -> {
            read.set(JsonlReader.read(file, options, e -> writer.write(e.example())));
            if (writer.report().examplesWritten() == 0) {
                // thrown inside the conversion, so an -o file is not replaced by an empty one
                throw new InputException("nothing converted: " + file + " has no example to write as " + to.id()
                        + " (" + read.get().summary() + (writer.report().examplesSkipped() > 0
                                ? ", " + writer.report().examplesSkipped() + " valid but not expressible" : "")
                        + ")" + (output != null ? "; " + output + " was not written" : "")
                        + "; see `finetune4j validate " + file + "`");
            }
        };
        ConversionReport report = output != null
                ? Conversions.toFile(to, writing.options(), output, producer)
                : Conversions.toStream(to, writing.options(), cli.dataOut(), producer);
        ValidationReport input = read.get();
        Map<IssueCode, Long> changes = Conversions.inputChanges(input);

        if (cli.json()) {
            ObjectNode doc = JsonDocs.object();
            doc.put("file", file.toString());
            doc.put("from", from.id());
            doc.put("to", to.id());
            doc.put("output", output.toString());
            doc.put("lines", input.lines());
            doc.put("invalid", input.invalid());
            doc.put("duplicates", input.duplicates());
            Conversions.putReport(doc, report);
            Conversions.putInputChanges(doc, changes, report);
            doc.set("errors", JsonDocs.issues(input.errors()));
            cli.printJson(doc);
        } else {
            PrintWriter err = cli.err();
            err.println("converted " + file + " (" + from.id() + ") to " + to.id() + ": "
                    + Reports.count(report.examplesWritten(), "example") + " written, "
                    + report.examplesSkipped() + " skipped" + (output != null ? " -> " + output : ""));
            if (input.invalid() > 0 || input.duplicates() > 0) {
                err.println("input: " + Reports.count(input.invalid(), "invalid line") + " and "
                        + Reports.count(input.duplicates(), "duplicate") + " not converted (details: "
                        + "finetune4j validate " + file + ")");
            }
            Conversions.printLosses(err, report, changes);
        }
        return ExitCodes.OK;
    }
}
