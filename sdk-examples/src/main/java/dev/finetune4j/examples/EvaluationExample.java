package dev.finetune4j.examples;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.eval.Comparison;
import dev.finetune4j.eval.EvalReport;
import dev.finetune4j.eval.EvalSpec;
import dev.finetune4j.eval.EvalTarget;
import dev.finetune4j.eval.Evaluator;
import dev.finetune4j.eval.PromotionDecision;
import dev.finetune4j.eval.PromotionRule;
import dev.finetune4j.eval.Scorers;

/**
 * Evaluate before you activate, as the README shows it: model version 1 against the base model on
 * the held-out validation split, field by field (the voice parser answers JSON), then a promotion
 * gate that activates v1 only if it is better.
 *
 * <p>Needs an assistant {@code voice-parser} with a ready model version 1 trained on its dataset
 * {@code main} (the test trains it on the testkit's OpenAI emulator).
 */
public final class EvaluationExample {

    private EvaluationExample() {}

    /**
     * What the evaluation found.
     *
     * @param report the evaluation of v1 and the base model
     * @param comparison v1 against the base model
     * @param decision what the promotion gate did
     */
    public record Outcome(EvalReport report, Comparison comparison, PromotionDecision decision) {}

    /** Evaluates v1 of {@code voice-parser} against its base model and promotes it if it is better. */
    public static Outcome run(FineTuning ft) {
        Evaluator evaluator = ft.evaluator();     // pinned calls, no fallback: a broken version scores 0
        EvalSpec spec = EvalSpec.builder("voice-parser")
                .dataset("main")                  // its validation split by default: never trained on
                .target(EvalTarget.version(1))
                .target(EvalTarget.baseModel())
                .scorer(Scorers.jsonFields(0.01)) // per field; numbers within 1 %
                .build();

        EvalReport report = evaluator.evaluate(spec);
        System.out.print(report.toText());
        Comparison v1VsBase = report.compare(EvalTarget.version(1), EvalTarget.baseModel(), "json-fields");

        // Activates v1 only when it is better overall and no field is worse by more than one point;
        // the figures go into the timeline entry.
        PromotionDecision decision = evaluator.promoteIfBetter(spec, 1, EvalTarget.baseModel(),
                PromotionRule.betterWithoutFieldRegression("json-fields"), Change.by("ci", "nightly evaluation"));
        System.out.println(decision.reason());
        return new Outcome(report, v1VsBase, decision);
    }
}
