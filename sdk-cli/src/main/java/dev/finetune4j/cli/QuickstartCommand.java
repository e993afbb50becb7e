package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.dataset.AppendResult;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.dataset.JsonlReader;
import dev.finetune4j.dataset.ValidationReport;
import dev.finetune4j.format.ConversionReport;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.policy.RetrainAdvice;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.tokens.TokenCounter;
import dev.finetune4j.tokens.TokenStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code finetune4j quickstart}: the dataset lifecycle on the shipped sample, end to end, on the
 * local store, then the assistant's learning path (model versions, activation, rollback, timeline)
 * as far as it goes without a provider. Running it again changes nothing and says so.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {
            "Walk through the dataset lifecycle and an assistant's learning path on the shipped sample.",
            "The sample is a workout voice-command parser: validate it, count tokens and cost, append two "
                + "batches as versions, show the log, export for Mistral and Hugging Face; then create the "
                + "assistant, import two placeholder model ids as v1 and v2, activate v1, activate v2, roll "
                + "back to v1 and show the timeline.",
            "Uses the store (--store, default ./.finetune4j) and writes the exports to --out. Nothing is "
                + "sent to any provider. Running it again creates no new version and changes no selection."
        })
final class QuickstartCommand extends BaseCommand {

    private static final String SAMPLE = Samples.FIRST_BATCH;
    private static final String BATCH2 = Samples.SECOND_BATCH;
    private static final String NEXT = "training on OpenAI, Mistral or Hugging Face (fine-tune jobs, which "
            + "register real model versions), chat, and deleting a provider's copy of a model arrive with later "
            + "issues of finetune4j; this build sends nothing to any provider.";

    @Option(names = "--dataset", paramLabel = "ASSISTANT/DATASET", defaultValue = "voice-parser/main",
            description = "The dataset to create (default: ${DEFAULT-VALUE}).")
    String ref;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "quickstart-out",
            description = "Where the exports go, created if missing (default: ./${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--actor", paramLabel = "NAME",
            description = "Who the learning path's selection changes are recorded as (default: $USER, else cli).")
    String actor;

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        boolean json = cli.json();
        // In --json mode the walkthrough's text is not printed at all: the document has it all.
        PrintWriter out = json ? new PrintWriter(Writer.nullWriter()) : cli.out();
        ObjectNode doc = JsonDocs.object();

        try (FinetuneCli.Session s = cli.open(spec)) {
            Dataset ds = DatasetCommand.dataset(s.ft(), ref, spec);
            doc.put("store", s.location());
            doc.put("tenant", s.ft().tenant().id());
            doc.put("dataset", ds.ref());
            out.println("finetune4j quickstart: a workout voice-command parser dataset, end to end");
            out.println("store " + s.location() + " (tenant " + s.ft().tenant().id() + "), dataset " + ds.ref()
                    + ", exports to " + outDir);

            // 1 + 2: one pass over the sample validates it and counts its tokens.
            String model = Providers.DEFAULT_OPENAI_MODEL;
            TokenStats.Accumulator acc = TokenStats.accumulator(TokenCounter.forModel(model));
            ValidationReport report;
            try (InputStream in = Samples.open(SAMPLE)) {
                report = JsonlReader.read(in, ImportOptions.builder().model(model).build(),
                        e -> acc.add(e.tokens(), e.assistantTokens(), e.example().messages().size()));
            }
            out.println();
            out.println("1. Validate samples/" + SAMPLE);
            out.println("   " + report.summary() + " (openai rules)");
            report.issues().forEach(i -> out.println("   " + Reports.issueLine(i)));
            out.println("   The " + Reports.count(report.invalid(), "broken line") + " are reported and will be "
                    + "skipped; the " + report.valid() + " good examples go on.");
            ObjectNode validation = doc.putObject("validation");
            validation.put("file", "samples/" + SAMPLE);
            Reports.putValidation(validation, report);

            TokenCost cost = TokenCost.of("openai", model, acc, null, null);
            out.println();
            out.println("2. Count tokens and estimate the cost of training " + model + " on them");
            cost.print(out, "   ");
            ObjectNode stats = doc.putObject("stats");
            stats.put("examples", cost.stats().examples());
            cost.putJson(stats);

            // 3 + 4: two appends; the second is "v2 = v1 + the new examples".
            ArrayNode appends = doc.putArray("appends");
            int created = 0;
            out.println();
            out.println("3. Append it to " + ds.ref() + " as its first version");
            AppendResult first = append(ds, SAMPLE, "sample: first batch");
            appends.add(DatasetAppendCommand.json(ds.ref(), Path.of("samples", SAMPLE), first));
            created += first.created() ? 1 : 0;
            out.println("   " + describe(ds, first));

            out.println();
            out.println("4. Append a second batch, samples/" + BATCH2 + " (some in Malay and Chinese)");
            AppendResult second = append(ds, BATCH2, "sample: second batch, Malay and Chinese");
            appends.add(DatasetAppendCommand.json(ds.ref(), Path.of("samples", BATCH2), second));
            created += second.created() ? 1 : 0;
            out.println("   " + describe(ds, second));
            doc.put("versions_created", created);

            out.println();
            out.println("5. The dataset's log");
            List<DatasetVersion> history = ds.history();
            StringWriter table = new StringWriter();
            DatasetLogCommand.print(new PrintWriter(table), ds.ref(), history);
            table.toString().lines().forEach(l -> out.println("   " + l));
            doc.set("versions", DatasetLogCommand.json(ds.ref(), history).get("versions"));

            // What the policy would say, had a model been trained on the first version.
            DatasetVersion v = second.version().orElseThrow();
            long train = ds.count(v, Split.TRAIN);
            long held = ds.count(v, Split.VALIDATION);
            out.println("   v" + v.number() + " splits into " + train + " training and " + held
                    + " validation examples (by example id, so each example keeps its side in later versions)");
            doc.putObject("split").put("train", train).put("validation", held);
            DatasetVersion oldest = history.get(0);
            if (oldest.number() < v.number()) {
                RetrainAdvice advice = ds.retrainAdvice(oldest, v, TrainingPolicy.defaults(), true);
                out.println("   had a model been trained on v" + oldest.number() + ": " + advice.reason());
                doc.putObject("retrain_advice")
                        .put("trained_on", oldest.number())
                        .put("current", v.number())
                        .put("recommendation", advice.recommendation().name().toLowerCase(Locale.ROOT))
                        .put("reason", advice.reason());
            } else {
                doc.putNull("retrain_advice");
            }

            // 6: export what the second append produced (or found) for two other providers.
            out.println();
            out.println("6. Export v" + v.number() + " for Mistral and Hugging Face");
            Files.createDirectories(outDir);
            ArrayNode exports = doc.putArray("exports");
            for (DatasetFormat format : List.of(DatasetFormat.MISTRAL, DatasetFormat.HF_MESSAGES)) {
                Path file = outDir.resolve(ds.assistant() + "-" + ds.name() + "-v" + v.number() + "." + format.id()
                        + ".jsonl");
                ConversionReport conversion = DatasetExportCommand.export(ds, v, null, format, file, cli);
                exports.add(DatasetExportCommand.json(v, null, file, conversion));
                out.println("   " + file + ": " + Reports.count(conversion.examplesWritten(), "example")
                        + (conversion.isLossless() ? ", lossless" : ", with losses (see `dataset export`)"));
            }

            // 7 + 8: the assistant's learning path, as far as it goes without a provider.
            ObjectNode path = LearningPath.walk(s.ft(), ds.assistant(),
                    ChangeOptions.actor(actor, cli, spec), out);
            doc.set("learning_path", path);

            out.println();
            if (created == 0 && path.get("versions_imported").asInt() == 0) {
                out.println("Nothing new: the store already had both batches and both model versions, so no "
                        + "version was created. Run it with --store on an empty directory to see it from the start.");
            }
            out.println("Next: " + NEXT);
            out.println("Try:");
            out.println("   ./finetune4j validate samples/" + SAMPLE);
            out.println("   ./finetune4j stats samples/" + SAMPLE + " --provider mistral");
            out.println("   ./finetune4j dataset log " + ds.ref());
            out.println("   ./finetune4j dataset export " + ds.ref() + "@1 --to alpaca --split validation");
            out.println("   ./finetune4j versions " + ds.assistant());
            out.println("   ./finetune4j candidate " + ds.assistant()
                    + " 2 --share 10 --reason \"retry v2 on 10 % of users\"");
            out.println("   ./finetune4j timeline " + ds.assistant());
            out.println("   ./finetune4j --help");
            doc.put("next", NEXT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json) {
            cli.printJson(doc);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static AppendResult append(Dataset ds, String sample, String note) throws IOException {
        try (InputStream in = Samples.open(sample)) {
            return ds.importJsonl(in, ImportOptions.defaults(), note);
        }
    }

    private static String describe(Dataset ds, AppendResult r) {
        List<String> skipped = new ArrayList<>();
        if (r.invalid() > 0) {
            skipped.add(Reports.count(r.invalid(), "invalid line"));
        }
        if (r.duplicates() > 0) {
            skipped.add(Reports.count(r.duplicates(), "duplicate"));
        }
        String tail = skipped.isEmpty() ? "" : "; skipped " + String.join(" and ", skipped);
        DatasetVersion v = r.version().orElseThrow();
        if (!r.created()) {
            return "no new version: " + ds.ref() + " v" + v.number() + " already has every example of this file"
                    + tail;
        }
        return ds.ref() + " v" + v.number() + " (" + v.id() + "): " + Reports.count(v.examples(), "example")
                + r.parent().map(p -> " = v" + p.number() + " + " + r.added() + " new").orElse("") + tail;
    }
}
