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

    /** Stored evaluation summaries of an assistant, oldest first (one line each, JSON). */
    List<String> history(String assistant);
}
