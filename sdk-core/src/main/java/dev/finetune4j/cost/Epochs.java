package dev.finetune4j.cost;

/**
 * Resolves {@code n_epochs: "auto"} to a number of epochs before a job runs, for cost estimates.
 *
 * <p>Thread-safe (stateless).
 */
public final class Epochs {

    /** The epochs the heuristic aims for. */
    public static final int TARGET = 3;
    /** The heuristic raises epochs for small datasets up to this many. */
    public static final int MAX_AUTO = 25;
    /** Small datasets get at least this many example passes in total (examples × epochs). */
    public static final int MIN_TARGET_EXAMPLES = 100;
    /** Large datasets get at most this many example passes in total (examples × epochs). */
    public static final int MAX_TARGET_EXAMPLES = 25_000;

    private Epochs() {}

    /**
     * The epochs OpenAI's {@code "auto"} setting is expected to choose for a training file of
     * {@code examples} examples, exactly as the OpenAI cookbook's data-preparation notebook
     * computes it: 3 epochs; if {@code examples × 3 < 100} then {@code min(25, 100 / examples)};
     * if {@code examples × 3 > 25,000} then {@code max(1, 25,000 / examples)} (integer division).
     * For example 1 → 25, 5 → 20, 10 → 10, 34 → 3, 8,334 → 2, 100,000 → 1.
     *
     * <p>The cookbook mirrors what the service did when it was written; the service's current
     * logic is not published, so the job's reported {@code n_epochs} is the final word. Other
     * providers' defaults may differ: pass explicit epochs to estimate for them.
     *
     * @param examples the number of training examples, at least 1
     * @return the epochs, between 1 and 25
     * @throws IllegalArgumentException if {@code examples} is below 1
     */
    public static int resolveAuto(long examples) {
        if (examples <= 0) {
            throw new IllegalArgumentException("examples must be at least 1, was " + examples);
        }
        // examples * TARGET is only computed where it cannot overflow; the second test is the
        // same as examples * TARGET > MAX_TARGET_EXAMPLES for whole numbers
        if (examples < MIN_TARGET_EXAMPLES && examples * TARGET < MIN_TARGET_EXAMPLES) {
            return (int) Math.min(MAX_AUTO, MIN_TARGET_EXAMPLES / examples);
        }
        if (examples > MAX_TARGET_EXAMPLES / TARGET) {
            return (int) Math.max(1, MAX_TARGET_EXAMPLES / examples);
        }
        return TARGET;
    }
}
