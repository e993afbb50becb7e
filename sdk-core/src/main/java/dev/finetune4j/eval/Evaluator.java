package dev.finetune4j.eval;

import dev.finetune4j.assistant.Change;
import java.util.List;

/**
 * Runs evaluation sets through model and prompt versions (pinned, so nothing has to be activated
 * first), scores the answers, keeps a summary of each run in the store, and gates promotions on
 * the results. Obtain it from {@code FineTuning.evaluator()}. Thread-safe.
 *
 * <p>It holds nothing open, so it needs no closing: each {@link #evaluate} opens a chat router of
 * its own and closes it before returning. Closing the {@code FineTuning} it came from stops
 * evaluations still running (their calls fail with {@link IllegalStateException}).
 */
public interface Evaluator {

    /**
     * Evaluates every target of the spec on every example, with bounded concurrency. Calls go
     * through the chat router with pinning and without fallback (a failing version scores 0 rather
     * than being silently replaced by the base model). The report's summary is stored.
     */
    EvalReport evaluate(EvalSpec spec);

    /**
     * Evaluates {@code candidate} against {@code against} on the spec's evaluation set and activates
     * the candidate only when {@code rule} holds; the timeline entry's reason carries the figures.
     * Otherwise the selection is left untouched and the decision says why.
     */
    PromotionDecision promoteIfBetter(EvalSpec spec, int candidate, EvalTarget against, PromotionRule rule,
            Change change);

    /**
     * Evaluates {@code candidate} against {@code reference} (a model version or a recorded
     * {@link Baseline}) on the spec's evaluation set and applies a non-inferiority rule; changes nothing.
     * The candidate is pinned to the reference's prompt version.
     */
    GateVerdict checkNotWorse(EvalSpec spec, int candidate, EvalTarget reference, NonInferiorityRule rule);

    /**
     * {@link #checkNotWorse} then, when the gate passes, activates the candidate with the figures in
     * the timeline entry's reason; otherwise leaves the selection untouched and says why.
     */
    PromotionDecision promoteIfNotWorse(EvalSpec spec, int candidate, EvalTarget reference, NonInferiorityRule rule,
            Change change);

    /**
     * Records a {@link Baseline}: asks the spec's model version every conversation of the evaluation
     * set (pinned, temperature 0, without fallback; the active prompt applies as in production) and
     * stores the answers with the model id, prompt version, parameters and timestamps. A failing call
     * is recorded as failed rather than retried elsewhere.
     *
     * @throws dev.finetune4j.NotFoundException when the version or a named dataset does not exist
     * @throws IllegalStateException when the version is not READY, or no set is named and the version
     *     has no training data on record
     * @throws IllegalArgumentException when the set has no conversation to ask
     */
    Baseline recordBaseline(BaselineSpec spec);

    /**
     * A stored baseline, read back and verified.
     *
     * @throws dev.finetune4j.NotFoundException naming the assistant's baselines when there is no such one
     * @throws dev.finetune4j.CorruptDataException when the stored record does not read back whole
     */
    Baseline baseline(String assistant, String id);

    /** Every stored baseline of an assistant, oldest first. */
    List<Baseline> baselines(String assistant);

    /** Stored evaluation summaries of an assistant, oldest first (one line each, JSON). */
    List<String> history(String assistant);
}
