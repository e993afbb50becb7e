package dev.finetune4j.eval;

/**
 * What to evaluate: a model version (0 = the assistant's base model) with a prompt version
 * (0 = whatever prompt is active).
 *
 * @param modelVersion the model version, 0 for the base model
 * @param promptVersion the prompt version, 0 for the active one
 */
public record EvalTarget(int modelVersion, int promptVersion) {

    /** Checks the numbers. */
    public EvalTarget {
        if (modelVersion < 0 || promptVersion < 0) {
            throw new IllegalArgumentException("versions must be >= 0, were " + modelVersion + " and " + promptVersion);
        }
    }

    /** The base model with the active prompt. */
    public static EvalTarget baseModel() {
        return new EvalTarget(0, 0);
    }

    /** A model version with the active prompt. */
    public static EvalTarget version(int modelVersion) {
        return new EvalTarget(modelVersion, 0);
    }

    /** A short label, e.g. {@code v3} or {@code base}, with {@code +p2} for a pinned prompt. */
    public String label() {
        return (modelVersion == 0 ? "base" : "v" + modelVersion) + (promptVersion == 0 ? "" : "+p" + promptVersion);
    }
}
