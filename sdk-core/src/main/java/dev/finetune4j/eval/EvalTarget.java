package dev.finetune4j.eval;

import java.util.Objects;
import java.util.Optional;

/**
 * What to evaluate: a model version (0 = the assistant's base model) with a prompt version
 * (0 = whatever prompt is active), or a recorded {@link Baseline} whose stored answers are used
 * instead of calling a model — so a comparison still works after that model is gone.
 *
 * @param modelVersion the model version, 0 for the base model (for a baseline: the version it recorded)
 * @param promptVersion the prompt version, 0 for the active one (for a baseline: the one it recorded)
 * @param baseline the baseline's id, empty unless this target is a recorded answer set
 */
public record EvalTarget(int modelVersion, int promptVersion, String baseline) {

    /** Checks the numbers. */
    public EvalTarget {
        Objects.requireNonNull(baseline, "baseline");
        if (modelVersion < 0 || promptVersion < 0) {
            throw new IllegalArgumentException("versions must be >= 0, were " + modelVersion + " and " + promptVersion);
        }
    }

    /** A model version (0 = base model) with a prompt version (0 = the active one), called live. */
    public EvalTarget(int modelVersion, int promptVersion) {
        this(modelVersion, promptVersion, "");
    }

    /** The base model with the active prompt. */
    public static EvalTarget baseModel() {
        return new EvalTarget(0, 0);
    }

    /** A model version with the active prompt. */
    public static EvalTarget version(int modelVersion) {
        return new EvalTarget(modelVersion, 0);
    }

    /**
     * A recorded answer set: the evaluator reads its answers from the store rather than calling a
     * model. The evaluation set must be the baseline's (use {@link Baseline#examples()}) or contain
     * only conversations it recorded.
     */
    public static EvalTarget baseline(Baseline baseline) {
        return new EvalTarget(baseline.modelVersion(), baseline.promptVersion(), baseline.id());
    }

    /** The baseline's id when this target is a recorded answer set. */
    public Optional<String> baselineId() {
        return baseline.isEmpty() ? Optional.empty() : Optional.of(baseline);
    }

    /**
     * A short label, e.g. {@code v3} or {@code base}, with {@code +p2} for a pinned prompt; a baseline
     * is labelled by its id, e.g. {@code bl-v3-20261205-1a2b3c}.
     */
    public String label() {
        if (!baseline.isEmpty()) {
            return baseline;
        }
        return (modelVersion == 0 ? "base" : "v" + modelVersion) + (promptVersion == 0 ? "" : "+p" + promptVersion);
    }
}
