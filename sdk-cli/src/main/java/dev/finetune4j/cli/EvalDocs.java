package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.eval.Comparison;
import dev.finetune4j.eval.EvalReport;
import dev.finetune4j.eval.EvalTarget;
import dev.finetune4j.eval.TargetSummary;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Evaluation reports and comparisons as JSON and as text, for {@code eval}, {@code promote} and {@code quickstart}. */
final class EvalDocs {

    /** Regressions printed in human output; the JSON has all the report keeps (20). */
    static final int SHOWN_REGRESSIONS = 5;

    private EvalDocs() {}

    /**
     * {@code {"id","assistant","evaluation_set","examples","scorer","targets":[{"label","model_version",
     * "prompt_version","mean","right","examples","unparseable","failed_calls","fields":{NAME: accuracy}}]}};
     * {@code model_version} is null for the base model, {@code prompt_version} null for the active prompt.
     */
    static ObjectNode report(EvalReport r, String scorer) {
        ObjectNode o = JsonDocs.object();
        o.put("id", r.id());
        o.put("assistant", r.assistant());
        o.put("evaluation_set", r.evaluationSet());
        o.put("examples", r.items().size());
        o.put("scorer", scorer);
        ArrayNode targets = o.putArray("targets");
        for (EvalTarget t : r.targets()) {
            TargetSummary s = r.summary(t, scorer);
            ObjectNode tn = targets.addObject();
            tn.put("label", t.label());
            putVersion(tn, "model_version", t.modelVersion());
            putVersion(tn, "prompt_version", t.promptVersion());
            tn.put("mean", s.mean());
            tn.put("right", s.right());
            tn.put("examples", s.examples());
            tn.put("unparseable", s.unparseable());
            tn.put("failed_calls", s.failedCalls());
            ObjectNode fields = tn.putObject("fields");
            s.fields().forEach((name, acc) -> fields.put(name, acc.accuracy()));
        }
        return o;
    }

    /**
     * {@code {"candidate","baseline","scorer","candidate_mean","baseline_mean","difference","ci_low","ci_high",
     * "p_value","significantly_better","right_to_wrong","wrong_to_right","field_differences":{NAME: diff},
     * "regressions":[{"index","input","expected","baseline_answer","candidate_answer"}]}}; fractions (0.01 is
     * one point).
     */
    static ObjectNode comparison(Comparison c) {
        ObjectNode o = JsonDocs.object();
        o.put("candidate", c.candidate().label());
        o.put("baseline", c.baseline().label());
        o.put("scorer", c.scorer());
        o.put("candidate_mean", c.candidateMean());
        o.put("baseline_mean", c.baselineMean());
        o.put("difference", c.difference());
        o.put("ci_low", c.ciLow());
        o.put("ci_high", c.ciHigh());
        o.put("p_value", c.pValue());
        o.put("significantly_better", c.significantlyBetter());
        o.put("right_to_wrong", c.rightToWrong());
        o.put("wrong_to_right", c.wrongToRight());
        ObjectNode fields = o.putObject("field_differences");
        c.fieldDifferences().forEach(fields::put);
        ArrayNode regressions = o.putArray("regressions");
        for (Comparison.Regression r : c.regressions()) {
            regressions.addObject()
                    .put("index", r.index())
                    .put("input", r.input())
                    .put("expected", r.expected())
                    .put("baseline_answer", r.baselineAnswer())
                    .put("candidate_answer", r.candidateAnswer());
        }
        return o;
    }

    /** The comparison in words: the difference with its interval and p-value, changed examples, fields. */
    static void printComparison(PrintWriter out, Comparison c, String indent) {
        out.println(indent + String.format(Locale.ROOT, "%s against %s (%s): %+.2f points (%.2f %% vs %.2f %%), "
                        + "95 %% CI [%+.2f, %+.2f], p = %.4f%s", c.candidate().label(), c.baseline().label(), c.scorer(),
                100 * c.difference(), 100 * c.candidateMean(), 100 * c.baselineMean(), 100 * c.ciLow(),
                100 * c.ciHigh(), c.pValue(), c.significantlyBetter() ? ", significantly better"
                        : c.ciHigh() < 0 ? ", significantly worse" : ", not significant"));
        out.println(indent + "  right to wrong: " + Reports.count(c.rightToWrong(), "example") + "; wrong to right: "
                + Reports.count(c.wrongToRight(), "example"));
        if (!c.fieldDifferences().isEmpty()) {
            List<String> fields = new ArrayList<>();
            for (Map.Entry<String, Double> f : c.fieldDifferences().entrySet()) {
                fields.add(String.format(Locale.ROOT, "%s %+.2f", f.getKey(), 100 * f.getValue()));
            }
            out.println(indent + "  fields (points): " + String.join(", ", fields));
        }
        int shown = Math.min(SHOWN_REGRESSIONS, c.regressions().size());
        for (int i = 0; i < shown; i++) {
            Comparison.Regression r = c.regressions().get(i);
            out.println(indent + "  got worse, example " + (r.index() + 1) + ": \"" + r.input() + "\"");
            out.println(indent + "    expected " + r.expected());
            out.println(indent + "    " + c.baseline().label() + " said " + r.baselineAnswer());
            out.println(indent + "    " + c.candidate().label() + " said " + r.candidateAnswer());
        }
        if (c.rightToWrong() > shown) {
            out.println(indent + "  ... and " + (c.rightToWrong() - shown) + " more (--json lists up to 20)");
        }
    }

    private static void putVersion(ObjectNode o, String field, int version) {
        if (version == 0) {
            o.putNull(field);
        } else {
            o.put(field, version);
        }
    }
}
