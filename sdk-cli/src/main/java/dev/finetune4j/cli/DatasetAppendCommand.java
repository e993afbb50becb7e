package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.ValidationException;
import dev.finetune4j.dataset.AppendResult;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.ValidationReport;
import dev.finetune4j.format.DatasetFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code finetune4j dataset append ASSISTANT/DATASET FILE}: a file's new examples as a new version. */
@Command(name = "append", mixinStandardHelpOptions = true,
        description = {
            "Append the examples of a JSONL file to a dataset as a new version (the first append creates it).",
            "Examples the dataset already has, and repeats within the file, are skipped; invalid lines are "
                + "skipped and reported (or, with --strict, reject the whole file). When nothing is new, "
                + "no version is created."
        })
final class DatasetAppendCommand extends BaseCommand {

    /** Issue lines shown in human output; the JSON document and `validate` list them all. */
    static final int SHOWN_ISSUES = 20;

    @Parameters(index = "0", paramLabel = "ASSISTANT/DATASET", description = "e.g. voice-parser/main")
    String ref;

    @Parameters(index = "1", paramLabel = "FILE", description = "The JSONL file.")
    Path file;

    @Option(names = "--note", paramLabel = "TEXT",
            description = "What the change is, e.g. \"+50 Chinese examples\" (default: the file name).")
    String note;

    @Option(names = "--strict", description = "Reject the whole file, storing nothing, if any line has an error.")
    boolean strict;

    @Option(names = "--tag", paramLabel = "NAME=VALUE",
            description = "A tag for every example of the file, e.g. --tag language=ms (repeatable).")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--provider", paramLabel = "PROVIDER", converter = Converters.Provider.class,
            completionCandidates = Converters.ProviderIds.class,
            description = "Whose data rules to validate with: ${COMPLETION-CANDIDATES} (default: the rules of the "
                    + "file's format: Mistral's for --from mistral, else the shared ones).")
    String provider;

    @Option(names = "--from", paramLabel = "FORMAT", defaultValue = "openai",
            converter = Converters.InputFormat.class,
            description = "The file's format: openai, mistral or alpaca (default: ${DEFAULT-VALUE}).")
    DatasetFormat from;

    @Override
    public Integer call() {
        requireFile(file);
        ImportOptions.Builder options = ImportOptions.builder()
                .format(from)
                .rules(Providers.rules(provider, from))
                .strict(strict);
        tags.forEach(options::tag);
        String effectiveNote = note != null ? note : String.valueOf(file.getFileName());
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Dataset ds = DatasetCommand.dataset(s.ft(), ref, spec);
            AppendResult result;
            try {
                result = ds.importJsonl(file, options.build(), effectiveNote);
            } catch (ValidationException e) {
                return rejected(cli, ds, e.report());
            }
            return print(cli, ds.ref(), file, result);
        }
    }

    /** Prints an append's outcome (as a JSON document or human text) and returns the exit code. */
    static int print(FinetuneCli cli, String ref, Path file, AppendResult r) {
        boolean usable = r.added() > 0 || r.duplicates() > 0;
        if (cli.json()) {
            cli.printJson(json(ref, file, r));
        } else {
            PrintWriter out = cli.out();
            Optional<DatasetVersion> v = r.version();
            if (r.created()) {
                DatasetVersion nv = v.orElseThrow();
                out.println(ref + " v" + nv.number() + " (" + nv.id() + "): " + Reports.count(nv.examples(), "example")
                        + r.parent().map(p -> " = v" + p.number() + " + " + r.added() + " new")
                                .orElse(", new dataset"));
            } else if (v.isPresent() && usable) {
                out.println("no new version: every valid example of " + file + " is already in " + ref + " v"
                        + v.get().number() + " (" + Reports.count(v.get().examples(), "example") + ")");
            } else {
                out.println("no version created: " + file + " has no valid example");
            }
            out.println(Reports.count(r.duplicates(), "duplicate") + " skipped, "
                    + Reports.count(r.invalid(), "invalid line") + " skipped");
            // Only known examples: the duplicate count says it all, the list would be noise.
            Reports.printIssues(out, r.report(), SHOWN_ISSUES, r.created());
        }
        return usable ? ExitCodes.OK : ExitCodes.INPUT;
    }

    /** {@code {"dataset","file","created","version","number","parent","parent_number",...}}. */
    static ObjectNode json(String ref, Path file, AppendResult r) {
        ObjectNode doc = JsonDocs.object();
        doc.put("dataset", ref);
        doc.put("file", String.valueOf(file));
        putAppend(doc, r);
        return doc;
    }

    /**
     * The fields of an append's outcome: {@code "created","version","number","parent","parent_number",
     * "added","duplicates","invalid","examples","errors","warnings"}.
     */
    static void putAppend(ObjectNode doc, AppendResult r) {
        doc.put("created", r.created());
        putVersion(doc, r.version());
        doc.put("parent", r.parent().map(DatasetVersion::id).orElse(null));
        if (r.parent().isPresent()) {
            doc.put("parent_number", r.parent().get().number());
        } else {
            doc.putNull("parent_number");
        }
        doc.put("added", r.added());
        doc.put("duplicates", r.duplicates());
        doc.put("invalid", r.invalid());
        doc.put("examples", r.version().map(DatasetVersion::examples).orElse(0L));
        doc.set("errors", JsonDocs.issues(r.report().errors()));
        doc.set("warnings", JsonDocs.issues(r.report().warnings()));
    }

    private static void putVersion(ObjectNode doc, Optional<DatasetVersion> v) {
        doc.put("version", v.map(DatasetVersion::id).orElse(null));
        if (v.isPresent()) {
            doc.put("number", v.get().number());
        } else {
            doc.putNull("number");
        }
    }

    /** --strict and the file has errors: nothing was stored. */
    private int rejected(FinetuneCli cli, Dataset ds, ValidationReport report) {
        Optional<DatasetVersion> latest = ds.latest();
        if (cli.json()) {
            ObjectNode doc = JsonDocs.object();
            doc.put("dataset", ds.ref());
            doc.put("file", String.valueOf(file));
            doc.put("created", false);
            putVersion(doc, latest);
            doc.put("parent", (String) null);
            doc.putNull("parent_number");
            doc.put("added", 0);
            doc.put("duplicates", report.duplicates());
            doc.put("invalid", report.invalid());
            doc.put("examples", latest.map(DatasetVersion::examples).orElse(0L));
            doc.set("errors", JsonDocs.issues(report.errors()));
            doc.set("warnings", JsonDocs.issues(report.warnings()));
            cli.printJson(doc);
        } else {
            PrintWriter out = cli.out();
            out.println(file + " rejected (--strict): " + Reports.count(report.invalid(), "invalid line")
                    + "; nothing stored");
            Reports.printIssues(out, report, SHOWN_ISSUES);
        }
        return ExitCodes.INPUT;
    }
}
