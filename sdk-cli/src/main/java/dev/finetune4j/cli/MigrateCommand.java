package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.eval.NonInferiorityRule;
import dev.finetune4j.eval.Scorer;
import dev.finetune4j.migration.Migration;
import dev.finetune4j.migration.MigrationEstimate;
import dev.finetune4j.migration.MigrationSpec;
import dev.finetune4j.migration.MigrationStage;
import dev.finetune4j.migration.MigrationStep;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j migrate ASSISTANT --to PROVIDER --model BASE}: carries the live model version to
 * another provider (baseline, train, deploy, evaluate, gate, promote with the source as fallback),
 * resumable by running it again. With {@code --json}: {@code {"migration": {...} or null,
 * "estimate": {...} or null}}.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {
            "Move an assistant's live model version to another provider, proven not worse.",
            "Stages, each stored before its remote work and shown in the timeline: record a baseline of the live "
                + "version's answers on the validation split of the dataset version it was trained on; train that "
                + "same dataset version on the target (once: a rerun adopts the job); deploy where the target "
                + "needs it; evaluate the new version against the expected answers and the baseline; gate "
                + "(not worse than the baseline by more than --margin points at the 95 %% paired-bootstrap low end, "
                + "no field worse by more than --margin); promote it (or --canary) with the old version as the first "
                + "fallback (until --keep-source-until) and the base model after it.",
            "A run killed at any point resumes at its stage when the same migrate runs again. --estimate spends "
                + "nothing and prints the target's training cost, the deployment price per hour where one is "
                + "needed, and the calls and tokens the baseline costs on the source.",
            "Exit codes: 0 promoted, or training still running without --wait (run again to go on); 1 refused by "
                + "the gate (the figures are printed); 3 the training job failed, or still running after --timeout."
        })
final class MigrateCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Option(names = "--to", required = true, paramLabel = "PROVIDER", converter = Converters.Provider.class,
            completionCandidates = Converters.ProviderIds.class,
            description = "The target provider: ${COMPLETION-CANDIDATES}.")
    String provider;

    @Option(names = "--model", required = true, paramLabel = "BASE_MODEL", description = "The target base model.")
    String model;

    @Option(names = "--version", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "The model version to move (default: the active one).")
    Integer version;

    @Option(names = "--scorer", paramLabel = "SCORER", defaultValue = "json-fields",
            description = "json-fields, exact or normalized (default: ${DEFAULT-VALUE}).")
    String scorer;

    @Option(names = "--margin", paramLabel = "POINTS", defaultValue = "2",
            description = "How many points worse the new version may be at the 95 %% low end, overall and per field "
                    + "(default: ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--canary", paramLabel = "PERCENT",
            description = "Start a canary at this share (1-99) instead of promoting at once.")
    Integer canary;

    @Option(names = "--keep-source-until", paramLabel = "YYYY-MM-DD",
            description = "The last day the old version stays in the fallback chain (e.g. its shutdown day; "
                    + "default: no end).")
    String keepSourceUntil;

    @Option(names = "--max", paramLabel = "N", description = "Record and evaluate at most the first N examples.")
    Integer max;

    @Option(names = "--option", paramLabel = "NAME=VALUE",
            description = "A provider-specific option of the target training, repeatable (e.g. Together "
                    + "training_type=full); give the same ones when running the migration again.")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--estimate", description = "Only estimate: nothing is sent, nothing is spent.")
    boolean estimateOnly;

    @Option(names = "--wait", description = "Wait for the training job (without it, migrate returns while it runs).")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2h",
            converter = Converters.DurationConverter.class,
            description = "How long --wait waits: 90s, 30m, 2h ... (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        if (!(margin >= 0 && margin <= 100)) {
            throw usage("--margin must be 0 to 100 points, was " + margin);
        }
        if (canary != null && (canary < 1 || canary > 99)) {
            throw usage("--canary must be 1 to 99 %, was " + canary);
        }
        if (max != null && max < 1) {
            throw usage("--max must be at least 1, was " + max);
        }
        if (estimateOnly && await) {
            throw usage("--estimate spends nothing; drop --wait (or --estimate)");
        }
        EvalOptions scoring = new EvalOptions();
        scoring.scorer = scorer;
        scoring.tolerance = 0.01;
        Scorer sc = scoring.scorer(spec);
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            if (!s.providers().has(provider)) {
                throw usage("--to " + provider + ": this build has no " + provider + " provider module (it has "
                        + String.join(", ", s.providers().ids()) + ")");
            }
            s.providers().primary(provider);
            MigrationSpec.Builder b = MigrationSpec.builder(a.name(), provider, model).scorer(sc)
                    .rule(NonInferiorityRule.of(sc.name()).withMargin(margin / 100))
                    .await(await ? timeout : Duration.ZERO);
            if (version != null) {
                b.sourceVersion(version);
            }
            if (canary != null) {
                b.canaryShare(canary);
            }
            if (max != null) {
                b.maxExamples(max);
            }
            options.forEach(b::option);
            if (keepSourceUntil != null) {
                try {
                    b.keepSourceUntil(LocalDate.parse(keepSourceUntil));
                } catch (DateTimeParseException e) {
                    throw usage("--keep-source-until '" + keepSourceUntil + "' is not a date like 2027-01-14");
                }
            }
            PrintWriter out = cli.json() ? new PrintWriter(java.io.Writer.nullWriter()) : cli.out();
            MigrationEstimate estimate = Assistants.attempt(() -> s.ft().migrations().estimate(b.build()));
            printEstimate(out, estimate);
            if (estimateOnly) {
                out.println("nothing was sent or spent; run without --estimate to migrate");
                return finish(cli, null, estimate, ExitCodes.OK);
            }
            int[] shown = {0};
            b.listener(m -> {
                printSteps(out, m, shown);
                out.flush();
            });
            Migration m = Assistants.attempt(() -> s.ft().migrations().run(b.build()));
            printSteps(out, m, shown);
            int code = switch (m.stage()) {
                case DONE -> ExitCodes.OK;
                case REFUSED -> ExitCodes.INPUT;
                case FAILED -> ExitCodes.PROVIDER;
                default -> await ? ExitCodes.PROVIDER : ExitCodes.OK;
            };
            if (m.stage() == MigrationStage.TRAIN) {
                out.println("training job " + m.jobId() + " is running at " + provider + "; run this migrate again "
                        + (await ? "" : "(or with --wait) ") + "to go on from there");
            } else if (m.stage() == MigrationStage.REFUSED) {
                out.println("not promoted: " + a.name() + " stays on v" + m.sourceVersion() + "; v" + m.targetVersion()
                        + " is kept for inspection (`finetune4j eval " + a.name() + " --versions " + m.targetVersion()
                        + "," + m.sourceVersion() + "`)");
            } else if (m.stage() == MigrationStage.DONE) {
                out.println("live: " + a.selection().describe());
            }
            return finish(cli, m, estimate, code);
        }
    }

    private static void printEstimate(PrintWriter out, MigrationEstimate e) {
        out.println("estimate:");
        out.println("  train on " + e.training().provider() + " " + e.training().model() + ": "
                + e.training().trainingExamples() + " examples, " + e.training().tokens().totalTokens()
                + " tokens per epoch, cost " + e.training().cost().map(c -> c.cost().toString()).orElse("unknown"));
        out.println("  baseline on the source: " + e.baselineCalls() + " calls, about " + e.baselineTokens()
                + " tokens, at most " + e.baselineCost().map(Object::toString).orElse("unknown (no price)"));
        out.println("  evaluation on the target: " + e.evaluationCalls() + " calls");
        out.println("  deployment: " + (e.needsDeployment() ? "needed" : "none needed"));
        e.notes().forEach(n -> out.println("  note: " + n));
    }

    /** Prints the steps not printed yet. */
    static void printSteps(PrintWriter out, Migration m, int[] shown) {
        for (int i = shown[0]; i < m.steps().size(); i++) {
            MigrationStep step = m.steps().get(i);
            out.println(String.format(Locale.ROOT, "  %-8s %s", JsonDocs.lower(step.stage()), step.note()));
        }
        shown[0] = Math.max(shown[0], m.steps().size());
    }

    private static int finish(FinetuneCli cli, Migration m, MigrationEstimate e, int code) {
        if (cli.json()) {
            ObjectNode doc = JsonDocs.object();
            doc.set("migration", m == null ? null : json(m));
            ObjectNode est = doc.putObject("estimate");
            est.set("training", Jobs.estimateJson(e.training().datasetVersionId(), e.training()));
            est.put("needs_deployment", e.needsDeployment());
            est.put("baseline_calls", e.baselineCalls());
            est.put("baseline_tokens", e.baselineTokens());
            Jobs.putMoney(est, "baseline_cost", e.baselineCost().orElse(null));
            est.put("evaluation_calls", e.evaluationCalls());
            ArrayNode notes = est.putArray("notes");
            e.notes().forEach(notes::add);
            cli.printJson(doc);
        }
        return code;
    }

    /**
     * {@code {"id","assistant","source_version","provider","base_model","stage","baseline","job",
     * "new_version","verdict","created_at","updated_at","steps":[{"stage","at","note"}]}}.
     */
    static ObjectNode json(Migration m) {
        ObjectNode o = JsonDocs.object();
        o.put("id", m.id());
        o.put("assistant", m.assistant());
        o.put("source_version", m.sourceVersion());
        o.put("provider", m.provider());
        o.put("base_model", m.baseModel());
        o.put("stage", JsonDocs.lower(m.stage()));
        o.put("baseline", m.baseline().orElse(null));
        o.put("job", m.job().orElse(null));
        if (m.newVersion().isPresent()) {
            o.put("new_version", m.newVersion().getAsInt());
        } else {
            o.putNull("new_version");
        }
        o.put("verdict", m.verdict().isEmpty() ? null : m.verdict());
        o.put("created_at", m.createdAt().toString());
        o.put("updated_at", m.updatedAt().toString());
        ArrayNode steps = o.putArray("steps");
        for (MigrationStep step : m.steps()) {
            steps.addObject().put("stage", JsonDocs.lower(step.stage())).put("at", step.at().toString())
                    .put("note", step.note());
        }
        return o;
    }
}
