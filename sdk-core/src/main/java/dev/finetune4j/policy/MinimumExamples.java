package dev.finetune4j.policy;

import java.util.Objects;

/**
 * How many training examples a provider (or model) needs.
 *
 * @param hard below this many a job is refused before anything is uploaded; at least 1
 * @param recommended below this many a job may run but is unlikely to help; at least {@code hard}
 * @param source where the rule comes from, quoted in messages, e.g.
 *     {@code "OpenAI fine-tuning guide: minimum 10 examples, improvements usually from 50-100"}
 */
public record MinimumExamples(int hard, int recommended, String source) {

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if {@code hard} is below 1 or {@code recommended} below {@code hard}
     * @throws NullPointerException if {@code source} is null
     */
    public MinimumExamples {
        Objects.requireNonNull(source, "source");
        if (hard < 1) {
            throw new IllegalArgumentException("hard minimum must be at least 1, was " + hard);
        }
        if (recommended < hard) {
            throw new IllegalArgumentException("recommended minimum (" + recommended
                    + ") must be at least the hard minimum (" + hard + ")");
        }
    }
}
