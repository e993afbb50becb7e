package dev.finetune4j.dataset;

import java.util.Objects;

/**
 * An example accepted from an input, with where it came from and its token counts.
 *
 * @param line the 1-based line number in the input
 * @param example the example (with the import's tags applied)
 * @param tokens its tokens as training counts them, 0 when the import counts no tokens
 * @param assistantTokens its assistant tokens, 0 when the import counts no tokens
 */
public record ReadExample(long line, Example example, int tokens, int assistantTokens) {

    /** Checks the example is present. */
    public ReadExample {
        Objects.requireNonNull(example, "example");
    }
}
