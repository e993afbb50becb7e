package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.eval.EvalSpec;
import dev.finetune4j.eval.EvalTarget;
import dev.finetune4j.eval.PromotionDecision;
import dev.finetune4j.eval.PromotionRule;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j promote ASSISTANT VERSION --if-better}: the promotion gate. Exit 0 when the
 * version was activated, 1 when not (with the reason). With {@code --json}: {@code {"assistant",
 * "promoted", "reason", "candidate", "against", "selection", "report", "comparison"}}.
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {
            "Activate a model version only if it evaluates better than what it replaces.",
            "The version and --against (default: the active version, else the base model) answer the same held-out "
                + "examples; the version is activated when it is better overall on the scorer and no field is worse "
                + "by more than one point. The timeline entry carries the figures. Exit 0 when promoted, 1 when not.",
            "To activate without a gate, use `finetune4j activate`."
        })
final class PromoteCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Parameters(index = "1", paramLabel = "VERSION", converter = Converters.VersionNumber.class,
            description = "The model version to promote: 2 or v2.")
    int version;

    @Option(names = "--if-better", description = "Required: promote only when the evaluation says so.")
    boolean ifBetter;

    @Option(names = "--against", paramLabel = "VERSION|base", converter = ChatCommand.Pin.class,
            description = "What it must beat (default: the active version, else the base model).")
    Integer against;

    @Mixin
    EvalOptions options;

    @Mixin
    ChangeOptions changeOptions;

    @Override
    public Integer call() {
        if (!ifBetter) {
            throw usage("promote needs --if-better (it only activates a version that evaluates better); "
                    + "to activate without a gate, use `finetune4j activate " + assistant + " " + version + "`");
        }
        if (against != null && against == version) {
            throw usage("--against " + version + " is the version being promoted; name another version or base");
        }
        FinetuneCli cli = cli();
        Change change = changeOptions.change(cli, spec);
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            Selection before = a.selection();
            s.providers().primary(before.provider());
            int baseline = against != null ? against : before.activeModelVersion().orElse(0);
            if (baseline == version) {
                throw new InputException("invalid_state", "model v" + version + " is already active for " + a.name()
                        + "; name what it must beat with --against VERSION or --against base");
            }
            EvalTarget vs = baseline == 0 ? EvalTarget.baseModel() : EvalTarget.version(baseline);
            EvalSpec.Builder b = options.spec(s, a.name(), "promote", spec);
            b.target(EvalTarget.version(version)).target(vs);
            EvalSpec evalSpec = b.build();
            String scorer = options.scorer(spec).name();
            PromotionDecision d;
            try {
                d = Assistants.attempt(() -> s.ft().evaluator().promoteIfBetter(evalSpec, version, vs,
                        PromotionRule.betterWithoutFieldRegression(scorer), change));
            } catch (InputException e) {
                throw new InputException(e.type(), e.getMessage() + (String.valueOf(e.getMessage()).contains("JSON")
                        ? " (use --scorer exact or normalized for answers that are not JSON)" : ""));
            }
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                doc.put("assistant", a.name());
                doc.put("promoted", d.promoted());
                doc.put("reason", d.reason());
                doc.put("candidate", "v" + version);
                doc.put("against", vs.label());
                doc.set("selection", JsonDocs.selection(d.selection()));
                doc.set("report", EvalDocs.report(d.report(), scorer));
                doc.set("comparison", EvalDocs.comparison(d.comparison()));
                cli.printJson(doc);
            } else {
                PrintWriter out = cli.out();
                out.print(d.report().toText());
                EvalDocs.printComparison(out, d.comparison(), "");
                if (d.promoted()) {
                    Assistants.printChange(out, "promoted model v" + version + " of " + a.name(), before,
                            d.selection(), true, Change.by(change.actor(), d.reason()));
                } else {
                    out.println("not promoted: the selection is unchanged (" + d.selection().describe() + ")");
                }
            }
            if (!d.promoted()) {
                cli.out().flush();
                cli.err().println("finetune4j: " + d.reason());
                return ExitCodes.INPUT;
            }
            return ExitCodes.OK;
        }
    }
}
