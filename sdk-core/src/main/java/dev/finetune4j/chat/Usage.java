package dev.finetune4j.chat;

/**
 * Tokens a chat call consumed.
 *
 * @param inputTokens prompt tokens
 * @param outputTokens completion tokens
 */
public record Usage(long inputTokens, long outputTokens) {

    /** No usage reported. */
    public static final Usage NONE = new Usage(0, 0);

    /** Checks the counts. */
    public Usage {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0, were " + inputTokens + " and " + outputTokens);
        }
    }

    /** Both counts added. */
    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
    }
}
