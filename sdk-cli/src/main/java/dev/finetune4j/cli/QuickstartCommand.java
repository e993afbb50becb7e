package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.JobsEndedException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.assistant.TimelineEntry;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.AppendResult;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.JsonlReader;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.dataset.ValidationReport;
import dev.finetune4j.eval.Comparison;
import dev.finetune4j.eval.EvalReport;
import dev.finetune4j.eval.EvalSpec;
import dev.finetune4j.eval.EvalTarget;
import dev.finetune4j.eval.Scorers;
import dev.finetune4j.format.ConversionReport;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.WriterOptions;
import dev.finetune4j.migration.Migration;
import dev.finetune4j.policy.RetrainAdvice;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.spi.Capability;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code finetune4j quickstart}: the whole lifecycle on the shipped sample, on the local store —
 * validate, count and price, import, create the assistant, train v1 through a real fine-tune job,
 * activate it and chat through the router, append a second batch, train v2, compare v1 and v2 on
 * held-out examples, activate v2 and roll back to v1, migrate the live version to the open provider
 * {@code doctor} would name (on its emulator), and print the timeline. When {@code --provider} takes
 * no new jobs on the day, the walk says so (date and source) and runs on that open provider instead.
 *
 * <p>Without the provider's key it trains on the testkit's emulator, started in this process on a
 * free loopback port, and says so. Running it again submits no job and creates no version: it
 * reuses what the earlier run trained (a model that lived in an earlier run's emulator is gone, and
 * the run says what that means for chat and evaluation).
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {
            "Walk the whole lifecycle on the shipped sample, a workout voice-command parser: validate it, count "
                + "tokens and cost, import it, create the assistant, train v1 (a real fine-tune job), activate it "
                + "and chat with it, append a second batch, train v2, compare v1 and v2 on held-out examples, "
                + "activate v2, roll back to v1, migrate the live version to an open provider (Hugging Face, on "
                + "its emulator: baseline, train, evaluate against the baseline, promote or refuse), and show the "
                + "timeline.",
            "When the provider takes no new fine-tuning jobs on the day (OpenAI from 2027-01-06), it says so "
                + "with the date and the source and walks the story on that open provider instead.",
            "Without $OPENAI_API_KEY (or the key of --provider) it trains on an emulator started in this process "
                + "and says so: nothing leaves the machine. With the key it trains real models, which costs money "
                + "(about USD 0.07 on OpenAI at list prices).",
            "Uses the store (--store, default ./.finetune4j). Running it again submits no job and creates no "
                + "version: it reuses what the earlier run trained and ends in the same state."
        })
final class QuickstartCommand extends BaseCommand {

    private static final String SAMPLE = Samples.FIRST_BATCH;
    private static final String BATCH2 = Samples.SECOND_BATCH;

    @Option(names = "--dataset", paramLabel = "ASSISTANT/DATASET", defaultValue = "voice-parser/main",
            description = "The dataset to create; its assistant is the one trained (default: ${DEFAULT-VALUE}).")
    String ref;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "quickstart-out",
            description = "Where the exports go, created if missing (default: ./${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--actor", paramLabel = "NAME",
            description = "Who the selection changes are recorded as (default: $USER, else cli).")
    String actor;

    @Option(names = "--provider", paramLabel = "PROVIDER", defaultValue = Providers.DEFAULT_PROVIDER,
            converter = Converters.Provider.class, completionCandidates = Converters.ProviderIds.class,
            description = "Where to train: ${COMPLETION-CANDIDATES}, on its default base model; its emulator when "
                    + "its key is not set (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
            converter = Converters.DurationConverter.class,
            description = "How long to wait for each training job (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The base model the walk trains, chosen with the provider by {@link #backend}. */
    private String trainedBase;
    /** Why the walk does not train on {@code --provider}: it takes no new jobs today; null when it does. */
    private JobsEndedException jobsEnded;

    /**
     * Starts the backend of {@code --provider}, or, when that provider takes no new jobs today, of
     * the first provider {@code doctor} would migrate to that the testkit emulates (its emulator
     * unless its key is set), and remembers which provider and base model the walk trains.
     */
    private QuickstartBackend backend(FinetuneCli.Session s, boolean endpointGiven) {
        String wanted = Providers.defaultModel(provider);
        jobsEnded = QuickstartMigration.jobsEnded(s, provider, wanted).orElse(null);
        Optional<String> open = jobsEnded == null ? Optional.empty()
                : QuickstartBackend.firstEmulated(LifecycleDocs.migrationTargets(provider, s.ft().lifecycle()));
        if (open.isEmpty()) {
            jobsEnded = null;
            trainedBase = wanted;
            return QuickstartBackend.start(s, provider, endpointGiven, wanted);
        }
        provider = open.get();
        if (s.providers().hasKey(provider)) {
            trainedBase = Providers.defaultModel(provider);
            return QuickstartBackend.start(s, provider, false, trainedBase);
        }
        s.providers().primary(provider);
        QuickstartBackend b = QuickstartBackend.emulate(s, provider).orElseThrow(() -> new InputException(
                "provider_config", jobsEnded.getMessage() + "; and there is no emulator of " + provider
                        + " to tell the story on: set " + ProviderRegistry.keyVariable(provider)));
        trainedBase = b.baseModel().orElseThrow();
        return b;
    }

    @Override
    public Integer call() {
        FinetuneCli cli = cli();
        boolean json = cli.json();
        long started = System.nanoTime();
        // In --json mode the walkthrough's text is not printed at all: the document has it all.
        PrintWriter out = json ? new PrintWriter(Writer.nullWriter()) : cli.out();
        ObjectNode doc = JsonDocs.object();

        try (FinetuneCli.Session s = cli.open(spec);
                QuickstartBackend backend = backend(s, cli.endpointGiven());
                QuickstartBackend target = QuickstartMigration.target(s, backend, provider, jobsEnded == null)) {
            String baseModel = trainedBase;
            Dataset ds = DatasetCommand.dataset(s.ft(), ref, spec);
            doc.put("store", s.location());
            doc.put("tenant", s.ft().tenant().id());
            doc.put("dataset", ds.ref());
            ObjectNode providerDoc = backend.json();
            providerDoc.put("base_model", baseModel);
            doc.set("provider", providerDoc);
            doc.set("jobs_ended", jobsEnded == null ? null : QuickstartMigration.json(jobsEnded));
            out.println("finetune4j quickstart: a workout voice-command parser, trained, served, evaluated, "
                    + "rolled back and migrated");
            out.println("store " + s.location() + " (tenant " + s.ft().tenant().id() + "), dataset " + ds.ref()
                    + ", exports to " + outDir);
            if (jobsEnded != null) {
                out.println("today is " + s.ft().lifecycle().today() + ": " + ProviderRegistry.displayName(
                        jobsEnded.provider()) + " takes no new fine-tuning jobs for " + jobsEnded.model() + " since "
                        + jobsEnded.date() + " (" + jobsEnded.source() + "), so this run tells the story on "
                        + ProviderRegistry.displayName(provider) + ", which still does");
            }
            if (backend.emulated()) {
                out.println("provider " + provider + ": " + ProviderRegistry.keyVariable(provider) + " is not set, "
                        + "so an emulator of the " + ProviderRegistry.displayName(provider) + " API runs in this "
                        + "process at " + backend.baseUrl() + "; nothing leaves this machine");
                out.println("   (its fine-tuned models answer from their training data, and stop with it; set "
                        + ProviderRegistry.keyVariable(provider) + " to train real models instead)");
            } else {
                out.println("provider " + provider + " at " + backend.baseUrl() + ": "
                        + ProviderRegistry.keyVariable(provider) + " is set, so this trains real models and costs "
                        + "real money (see the estimates below)");
            }

            // 1 + 2: one pass over the sample validates it and counts its tokens.
            TokenStats.Accumulator acc = TokenStats.accumulator(TokenCounter.forModel(baseModel));
            ValidationReport report;
            try (InputStream in = Samples.open(SAMPLE)) {
                report = JsonlReader.read(in, ImportOptions.builder().model(baseModel).build(),
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

            TokenCost cost = TokenCost.of(provider, baseModel, acc, null, null);
            out.println();
            out.println("2. Count tokens and estimate the cost of training " + baseModel + " on them");
            cost.print(out, "   ");
            ObjectNode stats = doc.putObject("stats");
            stats.put("examples", cost.stats().examples());
            cost.putJson(stats);

            ArrayNode appends = doc.putArray("appends");
            int created = 0;
            out.println();
            out.println("3. Import it as the first version of " + ds.ref());
            AppendResult first = append(ds, SAMPLE, "sample: first batch");
            appends.add(DatasetAppendCommand.json(ds.ref(), Path.of("samples", SAMPLE), first));
            created += first.created() ? 1 : 0;
            out.println("   " + describe(ds, first));
            DatasetVersion dv1 = ds.history().get(0);

            out.println();
            out.println("4. Create the assistant " + ds.assistant() + " (" + provider + ", base model " + baseModel
                    + ")");
            boolean existed = Assistants.exists(s.ft(), ds.assistant());
            Assistant a;
            try {
                a = Assistants.attempt(() -> s.ft().createAssistant(ds.assistant(), provider, baseModel));
            } catch (InputException e) {
                throw new InputException(e.type(), e.getMessage() + "; the quickstart needs it on " + provider + " "
                        + baseModel + ": use another --store, or --dataset OTHER/main");
            }
            out.println(existed ? "   it already existed: nothing to create"
                    : "   created; live: " + a.selection().describe() + " (revision " + a.selection().revision() + ")");
            doc.putObject("assistant").put("name", a.name()).put("created", !existed);

            JobWaiter waiter = new JobWaiter(new Terminal(cli.out(), cli.err(), cli.progress() && !json), backend.emulated()
                    || s.providers().isLocal(provider));
            QuickstartTraining training = new QuickstartTraining(s, backend, waiter, timeout, out);
            ArrayNode trainingDoc = doc.putArray("training");

            out.println();
            out.println("5. Train model v1 on " + ds.ref() + "@" + dv1.number() + " (" + provider + " fine-tune job)");
            QuickstartTraining.Trained t1 = training.train(a, dv1);
            trainingDoc.add(t1.json());
            int v1 = t1.version().number();

            String who = ChangeOptions.actor(actor, cli, spec);
            ArrayNode steps = doc.putArray("steps");
            out.println();
            out.println("6. Activate v" + v1 + " and chat with it through the router");
            Selection before = a.selection();
            Optional<Migration> migrated = QuickstartMigration.promotedEarlier(s, a);
            boolean walked;
            if (migrated.isPresent()) {
                out.println("   an earlier run walked the selection and migrated v" + migrated.get().sourceVersion()
                        + " to v" + migrated.get().newVersion().getAsInt() + ", which is live: no change made");
                walked = false;
            } else {
                walked = step(out, steps, "activate", v1, before,
                        () -> a.activate(v1, Change.by(who, "quickstart: the first trained model")));
            }
            doc.set("chat", chat(s, a, ds, dv1, t1, backend, out));

            out.println();
            out.println("7. Append a second batch, samples/" + BATCH2 + " (some in Malay and Chinese)");
            AppendResult second = append(ds, BATCH2, "sample: second batch, Malay and Chinese");
            appends.add(DatasetAppendCommand.json(ds.ref(), Path.of("samples", BATCH2), second));
            created += second.created() ? 1 : 0;
            doc.put("versions_created", created);
            out.println("   " + describe(ds, second));
            DatasetVersion dv2 = second.version().orElseThrow();
            List<DatasetVersion> history = ds.history();
            doc.set("versions", DatasetLogCommand.json(ds.ref(), history).get("versions"));
            long train = ds.count(dv2, Split.TRAIN);
            long held = ds.count(dv2, Split.VALIDATION);
            out.println("   v" + dv2.number() + " splits into " + train + " training and " + held + " held-out "
                    + "validation examples (by example id, so each example keeps its side in later versions)");
            doc.putObject("split").put("train", train).put("validation", held);
            // The advice for this provider (it can continue a fine-tuned model or not), on what v1 was trained on.
            DatasetVersion trainedOn = ds.version(t1.version().trainedOn().orElseThrow().versionId());
            RetrainAdvice advice = ds.retrainAdvice(trainedOn, dv2, TrainingPolicy.defaults(),
                    s.ft().provider(provider).descriptor().capabilities().has(Capability.CONTINUE_FROM_FINE_TUNED));
            out.println("   retrain advice for v" + v1 + ": " + advice.reason());
            if (advice.recommendation() == RetrainAdvice.Recommendation.CONTINUE_FROM_PARENT) {
                out.println("   the quickstart retrains from the base model on all " + dv2.examples() + " examples "
                        + "instead (OpenAI's own advice: accumulate data, retrain from base); `finetune4j train "
                        + a.name() + " --continue-from " + v1 + "` continues v" + v1 + " on them");
            }
            doc.putObject("retrain_advice")
                    .put("trained_on", trainedOn.number())
                    .put("current", dv2.number())
                    .put("recommendation", advice.recommendation().name().toLowerCase(Locale.ROOT))
                    .put("reason", advice.reason());

            out.println();
            out.println("8. Export v" + dv2.number() + " for Mistral and Hugging Face (the data moves with you)");
            Files.createDirectories(outDir);
            ArrayNode exports = doc.putArray("exports");
            for (DatasetFormat format : List.of(DatasetFormat.MISTRAL, DatasetFormat.HF_MESSAGES)) {
                Path file = outDir.resolve(ds.assistant() + "-" + ds.name() + "-v" + dv2.number() + "." + format.id()
                        + ".jsonl");
                ConversionReport conversion = DatasetExportCommand.export(ds, dv2, null, format, WriterOptions.defaults(), file,
                        cli);
                exports.add(DatasetExportCommand.json(dv2, null, file, conversion));
                out.println("   " + file + ": " + Reports.count(conversion.examplesWritten(), "example")
                        + (conversion.isLossless() ? ", lossless" : ", with losses (see `dataset export`)"));
            }

            out.println();
            out.println("9. Train model v2 on " + ds.ref() + "@" + dv2.number() + " (from the base model, on all "
                    + dv2.examples() + " examples)");
            QuickstartTraining.Trained t2 = training.train(a, dv2);
            trainingDoc.add(t2.json());
            int v2 = t2.version().number();

            out.println();
            out.println("10. Compare v" + v2 + " with v" + v1 + " on the " + held + " held-out examples of v"
                    + dv2.number() + " (json-fields scorer: the answers are JSON)");
            ObjectNode evaluation = evaluate(s, a, ds, dv2, t1, t2, out);
            doc.set("evaluation", evaluation);
            JsonNode diff = evaluation.path("comparison").path("difference");
            String rollbackReason = diff.isNumber() && diff.asDouble() <= 0
                    ? String.format(Locale.ROOT, "quickstart: v%d is not better than v%d on held-out examples "
                            + "(%+.2f points); back to v%d", v2, v1, 100 * diff.asDouble(), v1)
                    : "quickstart: showing a rollback, back to v" + v1;

            out.println();
            out.println("11. Activate v" + v2 + ", then roll back to v" + v1);
            if (walked) {
                step(out, steps, "activate", v2, a.selection(),
                        () -> a.activate(v2, Change.by(who, "quickstart: try the second model")));
                step(out, steps, "rollback", 0, a.selection(), () -> a.rollback(Change.by(who, rollbackReason)));
            } else {
                out.println("   the selection is already where this walk ends (" + a.selection().describe()
                        + "): no change made");
            }
            out.println();
            if (jobsEnded != null) {
                out.println("12. Migrate: nothing to migrate, this run trained on " + ProviderRegistry.displayName(provider)
                        + " from the start (" + ProviderRegistry.displayName(jobsEnded.provider())
                        + " takes no new jobs since " + jobsEnded.date() + ")");
                doc.putNull("migration");
            } else {
                doc.set("migration", QuickstartMigration.run(s, a, provider, backend, target, timeout, 12, out));
            }
            Selection live = a.selection();
            doc.set("selection", JsonDocs.selection(live));
            doc.set("model_versions", VersionsCommand.json(a.name(), a.modelVersions(), live,
                    s.ft().lifecycle()).get("versions"));

            out.println();
            out.println("13. The timeline of " + a.name() + ": every selection change, who made it and why");
            List<TimelineEntry> entries;
            try (Stream<TimelineEntry> timeline = a.timeline()) {
                entries = timeline.toList();
            }
            StringWriter table = new StringWriter();
            TimelineCommand.print(new PrintWriter(table), a.name(), entries);
            table.toString().lines().forEach(l -> out.println("   " + l));
            doc.set("timeline", TimelineCommand.json(a.name(), entries).get("entries"));

            out.println();
            boolean nothingNew = created == 0 && t1.reused() && t2.reused() && !walked;
            if (nothingNew) {
                out.println("Nothing new: the store already had both batches, both trained versions and the walk; "
                        + "no job was submitted and no version created. Run it with --store on an empty directory to "
                        + "see it from the start.");
            }
            next(out, a.name(), backend);
            doc.put("nothing_new", nothingNew);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println(String.format(Locale.ROOT, "(%.1f s)", (System.nanoTime() - started) / 1e9));
        if (json) {
            cli.printJson(doc);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Activates v1, calls the router once, and says what answered. */
    private static ObjectNode chat(FinetuneCli.Session s, Assistant a, Dataset ds, DatasetVersion dv,
            QuickstartTraining.Trained t, QuickstartBackend backend, PrintWriter out) {
        String question = firstQuestion(ds, dv);
        ChatResponse r;
        try (ChatRouter router = s.ft().chatRouter(ChatRouter.Options.defaults())) {
            r = router.chat(ChatRequest.of(a.name(), question));
        }
        out.println("   you: " + question);
        out.println("   " + a.name() + ": " + r.content());
        out.println("     (" + ChatCommand.servedBy(r) + ")");
        String note = null;
        if (!t.callable()) {
            note = "v" + t.version().number() + "'s model " + t.version().providerModelId() + " was trained by an "
                    + "earlier run, in an emulator that stopped with that run; this run's emulator does not have it, "
                    + "so the router answered with the base model and flagged the fallback, as it would for a model "
                    + "deleted at the provider";
            out.println("   note: " + note);
        } else if (backend.emulated()) {
            note = "the emulated model answers with the reply of its closest training example; this question is "
                    + "the first example v" + t.version().number() + " was trained on";
            out.println("   (" + note + ")");
        }
        ObjectNode doc = ChatCommand.json(r);
        doc.put("question", question);
        doc.put("note", note);
        return doc;
    }

    /** The user message of the first training example of {@code dv}: a question the model was trained on. */
    private static String firstQuestion(Dataset ds, DatasetVersion dv) {
        try (Stream<Example> train = ds.examples(dv, Split.TRAIN)) {
            return train.flatMap(e -> e.messages().stream())
                    .filter(m -> m.role() == Role.USER)
                    .map(Message::content)
                    .flatMap(Optional::stream)
                    .findFirst()
                    .orElse("bench press 225 for 8 at RPE 8");
        }
    }

    /**
     * Evaluates v2 against v1 on v2's validation split, or, when this run's emulator does not have
     * their models, shows the comparison an earlier run stored.
     */
    private static ObjectNode evaluate(FinetuneCli.Session s, Assistant a, Dataset ds, DatasetVersion dv2,
            QuickstartTraining.Trained t1, QuickstartTraining.Trained t2, PrintWriter out) {
        EvalTarget cand = EvalTarget.version(t2.version().number());
        EvalTarget base = EvalTarget.version(t1.version().number());
        String set = dv2.datasetRef() + "@" + dv2.number() + " validation";
        ObjectNode doc = JsonDocs.object();
        if (!t1.callable() || !t2.callable()) {
            String note = "the models of v" + t1.version().number() + " and v" + t2.version().number() + " were "
                    + "trained by an earlier run, in an emulator that stopped with it; this run's emulator does not "
                    + "have them, so they are not evaluated again";
            out.println("   " + note + ".");
            doc.put("rerun", false);
            doc.put("note", note);
            Optional<JsonNode> stored = QuickstartTraining.storedEvaluation(s, a.name(), set,
                    List.of(cand.label(), base.label()));
            if (stored.isPresent()) {
                JsonNode n = stored.get();
                out.println("   the evaluation that run stored, " + n.path("id").asText() + " of "
                        + n.path("created_at").asText() + " on " + set + " (" + n.path("examples").asInt()
                        + " examples):");
                for (JsonNode t : n.path("targets")) {
                    JsonNode sc = t.path("scores").path("json-fields");
                    out.println(String.format(Locale.ROOT, "     %-4s json-fields  mean %6.2f %%  right %d/%d",
                            t.path("label").asText(), 100 * sc.path("mean").asDouble(), sc.path("right").asLong(),
                            n.path("examples").asLong()));
                }
                doc.set("stored", n);
            } else {
                out.println("   (no stored evaluation of v" + t2.version().number() + " against v"
                        + t1.version().number() + " on " + set + " was found)");
                doc.putNull("stored");
            }
            doc.putNull("report");
            doc.putNull("comparison");
            return doc;
        }
        EvalSpec spec = EvalSpec.builder(a.name()).dataset(ds.name()).datasetVersion(dv2.id())
                .split(Split.VALIDATION).target(cand).target(base).scorer(Scorers.jsonFields(0.01)).build();
        EvalReport report = EvalCommand.evaluate(s, spec);
        Comparison c = report.compare(cand, base, "json-fields");
        report.toText().lines().forEach(l -> out.println("   " + l));
        EvalDocs.printComparison(out, c, "   ");
        out.println("   (" + held(report) + " examples are few: the interval says how much that leaves open)");
        doc.put("rerun", true);
        doc.putNull("note");
        doc.putNull("stored");
        doc.set("report", EvalDocs.report(report, "json-fields"));
        doc.set("comparison", EvalDocs.comparison(c));
        return doc;
    }

    private static int held(EvalReport r) {
        return r.items().size();
    }

    /** One selection change of the walk; returns whether it changed the selection. */
    private static boolean step(PrintWriter out, ArrayNode steps, String action, int version, Selection before,
            Supplier<Selection> change) {
        Selection after = Assistants.attempt(change);
        boolean changed = after.revision() != before.revision();
        ObjectNode s = steps.addObject();
        s.put("action", action);
        if (version == 0) {
            s.putNull("version");
        } else {
            s.put("version", version);
        }
        s.put("changed", changed);
        s.set("selection", JsonDocs.selection(after));
        String what = action + (version == 0 ? "" : " v" + version);
        out.printf("   %-12s now: %s (revision %d%s)%n", what, after.describe(), after.revision(),
                changed ? "" : ", unchanged");
        return changed;
    }

    private static void next(PrintWriter out, String assistant, QuickstartBackend backend) {
        out.println("Try:");
        out.println("   ./finetune4j jobs " + assistant);
        out.println("   ./finetune4j versions " + assistant);
        out.println("   ./finetune4j timeline " + assistant);
        if (backend.emulated()) {
            out.println("   ./finetune4j emulator    (in another terminal; export the lines it prints, then:)");
            out.println("   ./finetune4j train " + assistant + " --wait");
            out.println("   ./finetune4j chat " + assistant + " \"squat 100 kilos for 5\"");
            out.println("   ./finetune4j eval " + assistant + " --versions 3,base");
            out.println("   (the models trained above lived in this run's emulator and stopped with it; a model "
                    + "trained on `finetune4j emulator` lives as long as that process)");
        } else {
            out.println("   ./finetune4j chat " + assistant + " \"squat 100 kilos for 5\" --subject user-17");
            out.println("   ./finetune4j eval " + assistant + " --versions 2,1,base");
            out.println("   ./finetune4j promote " + assistant + " 2 --if-better");
        }
        out.println("   ./finetune4j --help");
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
