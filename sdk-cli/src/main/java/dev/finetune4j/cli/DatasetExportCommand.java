package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.format.ConversionReport;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.DatasetWriter;
import dev.finetune4j.format.WriterOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j dataset export ASSISTANT/DATASET[@VERSION] --to FORMAT}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {
            "Write a dataset version (default: the latest) in a provider's format, streaming.",
            "Formats: openai, mistral, hf-messages, hf-prompt-completion, alpaca, vertex-gemini, bedrock-claude.",
            "What the format cannot hold is reported on stderr (with --json and -o: in the JSON document)."
        })
final class DatasetExportCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT/DATASET[@VERSION]",
            description = "e.g. voice-parser/main, voice-parser/main@2, voice-parser/main@dv-...")
    String ref;

    @Option(names = "--to", paramLabel = "FORMAT", required = true, converter = Converters.Format.class,
            description = "The format to write.")
    DatasetFormat to;

    @Option(names = "--split", paramLabel = "SPLIT", converter = Converters.SplitConverter.class,
            description = "Only one side of the version's deterministic split: train or validation "
                    + "(default: every example).")
    Split split;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "The file to write (replaced when complete); default: stdout.")
    Path output;

    @Mixin
    WriterOptionsMixin writing;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        if (cli.json() && output == null) {
            throw usage("--json needs -o OUT: the exported lines and the JSON report cannot share stdout");
        }
        String[] parts = DatasetCommand.splitVersion(ref, spec);
        try (FinetuneCli.Session s = cli.open(spec)) {
            Dataset ds = DatasetCommand.dataset(s.ft(), parts[0], spec);
            DatasetVersion version = ds.version(parts[1]);
            ConversionReport report = export(ds, version, split, to, writing.options(), output, cli);
            if (cli.json()) {
                cli.printJson(json(version, split, output, report));
            } else {
                printSummary(cli.err(), version, split, output, report);
            }
            return ExitCodes.OK;
        }
    }

    /** Writes a version (or one side of its split) to {@code output}, or to stdout when it is null. */
    static ConversionReport export(Dataset ds, DatasetVersion version, Split split, DatasetFormat to,
            WriterOptions options, Path output, FinetuneCli cli) {
        Consumer<DatasetWriter> producer = writer -> {
            try (Stream<Example> examples = split == null ? ds.examples(version) : ds.examples(version, split)) {
                examples.forEach(writer::write);
            }
        };
        return output != null
                ? Conversions.toFile(to, options, output, producer)
                : Conversions.toStream(to, options, cli.dataOut(), producer);
    }

    /** {@code {"dataset","version","number","split","format","output","examples_read",...}}. */
    static ObjectNode json(DatasetVersion version, Split split, Path output, ConversionReport report) {
        ObjectNode doc = JsonDocs.object();
        doc.put("dataset", version.datasetRef());
        doc.put("version", version.id());
        doc.put("number", version.number());
        doc.put("split", split == null ? null : split.name().toLowerCase(java.util.Locale.ROOT));
        doc.put("format", report.format().id());
        doc.put("output", output == null ? null : output.toString());
        Conversions.putReport(doc, report);
        return doc;
    }

    static void printSummary(PrintWriter out, DatasetVersion version, Split split, Path output,
            ConversionReport report) {
        out.println("exported " + version.datasetRef() + " v" + version.number()
                + (split == null ? "" : " (" + split.name().toLowerCase(java.util.Locale.ROOT) + " split)")
                + " as " + report.format().id() + ": " + Reports.count(report.examplesWritten(), "example")
                + " written, " + report.examplesSkipped() + " skipped" + (output != null ? " -> " + output : ""));
        Conversions.printLosses(out, report);
    }
}
