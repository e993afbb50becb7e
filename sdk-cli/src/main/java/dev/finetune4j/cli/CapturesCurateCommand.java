package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.ValidationException;
import dev.finetune4j.capture.CaptureQuery;
import dev.finetune4j.capture.CurationResult;
import dev.finetune4j.dataset.AppendResult;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.format.DatasetFormat;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code captures curate ASSISTANT --dataset NAME [filters]}: the selected captures as a new dataset
 * version. With {@code --json}: {@code {"dataset","selected","rejected"}} and the fields of
 * {@code dataset append --json} from {@code "created"} on.
 */
@Command(name = "curate", mixinStandardHelpOptions = true,
        description = {
            "Turn selected captures into examples and append them to a dataset as a new version.",
            "A correction replaces the captured answer; captures rated down without a correction are skipped. "
                + "Examples are validated and deduplicated like any import, and tagged source=capture, call_id and "
                + "rating (or score)."
        })
final class CapturesCurateCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Option(names = "--dataset", paramLabel = "NAME", required = true,
            description = "The assistant's dataset to append to (created when it has no version yet).")
    String dataset;

    @Mixin
    CaptureFilter filter = new CaptureFilter();

    @Option(names = "--note", paramLabel = "TEXT", description = "What the change is (default: \"curated captures\").")
    String note;

    @Option(names = "--provider", paramLabel = "PROVIDER", converter = Converters.Provider.class,
            completionCandidates = Converters.ProviderIds.class,
            description = "Whose data rules to validate with: ${COMPLETION-CANDIDATES} (default: the shared ones).")
    String provider;

    @Option(names = "--strict", description = "Store nothing if any curated example has an error.")
    boolean strict;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            CaptureQuery query = CapturesCommand.query(this, s, assistant, filter);
            Dataset ds = DatasetCommand.dataset(s.ft(), query.assistant() + "/" + dataset, spec);
            ImportOptions options = ImportOptions.builder().rules(Providers.rules(provider, DatasetFormat.OPENAI))
                    .strict(strict).build();
            CurationResult r;
            try {
                r = s.ft().captures().curate(query, ds, options, note != null ? note : "curated captures");
            } catch (ValidationException e) {
                throw new InputException("no version created: curated examples break the rules ("
                        + e.getMessage() + ")");
            }
            if (cli.json()) {
                cli.printJson(json(ds.ref(), r));
            } else {
                print(cli.out(), ds.ref(), r);
            }
            return ExitCodes.OK;
        }
    }

    /** The {@code --json} document: the selection counts, then the append's fields as {@code dataset append} has them. */
    static ObjectNode json(String ref, CurationResult r) {
        ObjectNode doc = JsonDocs.object();
        doc.put("dataset", ref);
        doc.put("selected", r.selected());
        doc.put("rejected", r.rejected());
        DatasetAppendCommand.putAppend(doc, r.appended());
        return doc;
    }

    private static void print(PrintWriter out, String ref, CurationResult r) {
        AppendResult a = r.appended();
        out.println(Reports.count(r.selected(), "capture") + " selected, " + r.rejected()
                + " rated down without a correction skipped");
        if (a.created()) {
            DatasetVersion v = a.version().orElseThrow();
            out.println(ref + " v" + v.number() + " (" + v.id() + "): " + Reports.count(v.examples(), "example")
                    + a.parent().map(p -> " = v" + p.number() + " + " + a.added() + " new").orElse(", new dataset"));
        } else {
            out.println("no new version: nothing new for " + ref);
        }
        out.println(Reports.count(a.duplicates(), "duplicate") + " skipped, " + Reports.count(a.invalid(),
                "invalid example") + " skipped");
        Reports.printIssues(out, a.report(), 10, a.created());
    }
}
