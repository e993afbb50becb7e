package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.eval.Comparison;
import dev.finetune4j.eval.EvalReport;
import dev.finetune4j.eval.EvalSpec;
import dev.finetune4j.eval.EvalTarget;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code finetune4j eval ASSISTANT --versions 3,4[,base]}: model versions (and the base model) on the
 * same held-out examples, scored, and the first compared with the second. With {@code --json}:
 * {@code {"report": {...}, "comparison": {...} or null}}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Evaluate model versions (and the base model) of an assistant on the same examples, before activating.",
            "Each version answers every example of the set (by default the validation split, which training never "
                + "sees), pinned and without fallback, with the active prompt; the answers are scored (json-fields: "
                + "per field of JSON answers). With two or more targets, the first is compared with the second: "
                + "difference, 95 %% paired-bootstrap interval, permutation p-value, examples that went from right "
                + "to wrong, and per-field differences. The summary is kept in the store."
        })
final class EvalCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "ASSISTANT", description = "The assistant, e.g. voice-parser.")
    String assistant;

    @Option(names = "--versions", required = true, split = ",", paramLabel = "VERSION", converter = ChatCommand.Pin.class,
            description = "What to evaluate, comma-separated: model versions (2 or v2) and base, e.g. 2,1,base; "
                    + "the first is compared with the second.")
    List<Integer> versions;

    @Mixin
    EvalOptions options;

    @Override
    public Integer call() {
        List<EvalTarget> targets = new ArrayList<>();
        for (int v : new LinkedHashSet<>(versions)) {
            targets.add(v == 0 ? EvalTarget.baseModel() : EvalTarget.version(v));
        }
        FinetuneCli cli = cli();
        try (FinetuneCli.Session s = cli.open(spec)) {
            Assistant a = Assistants.open(s, assistant, spec);
            s.providers().primary(a.selection().provider());
            EvalSpec.Builder b = options.spec(s, a.name(), "eval", spec);
            targets.forEach(b::target);
            EvalReport report = evaluate(s, b.build());
            String scorer = report.scorers().get(0);
            Comparison c = targets.size() >= 2 ? report.compare(targets.get(0), targets.get(1), scorer) : null;
            if (cli.json()) {
                ObjectNode doc = JsonDocs.object();
                doc.set("report", EvalDocs.report(report, scorer));
                doc.set("comparison", c == null ? null : EvalDocs.comparison(c));
                cli.printJson(doc);
            } else {
                PrintWriter out = cli.out();
                out.print(report.toText());
                if (c != null) {
                    EvalDocs.printComparison(out, c, "");
                }
            }
            return ExitCodes.OK;
        }
    }

    /** Runs the evaluation; an expected answer the scorer cannot read is the user's to fix (exit 1). */
    static EvalReport evaluate(FinetuneCli.Session s, EvalSpec spec) {
        try {
            return s.ft().evaluator().evaluate(spec);
        } catch (IllegalArgumentException e) {
            throw new InputException("input", e.getMessage() + (String.valueOf(e.getMessage()).contains("JSON")
                    ? " (use --scorer exact or normalized for answers that are not JSON)" : ""));
        }
    }
}
