package dev.finetune4j.policy;

import java.util.Objects;

/**
 * Whether the examples added since a model version was trained justify a new training run, and
 * how to run it. Made by {@link TrainingPolicy#retrainAdvice}.
 *
 * @param examplesInTrainedVersion the examples the trained version was trained on
 * @param examplesNow the examples the dataset has now
 * @param newExamples examples added since the trained version
 * @param removedExamples examples removed since the trained version
 * @param percentNew {@code newExamples} as a percentage of {@code examplesInTrainedVersion}
 *     (not rounded; 113.6… for 50 new on 44)
 * @param retrainRecommended whether a new training run is recommended
 * @param recommendation what to do
 * @param reason one sentence with the numbers, e.g. {@code "50 new examples since the trained
 *     version (44 examples, +114 %): retrain recommended; retrain from the base model on all 94
 *     examples"}
 */
public record RetrainAdvice(
        long examplesInTrainedVersion,
        long examplesNow,
        long newExamples,
        long removedExamples,
        double percentNew,
        boolean retrainRecommended,
        Recommendation recommendation,
        String reason) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code recommendation} or {@code reason} is null
     * @throws IllegalArgumentException if {@code retrainRecommended} contradicts {@code recommendation}
     */
    public RetrainAdvice {
        Objects.requireNonNull(recommendation, "recommendation");
        Objects.requireNonNull(reason, "reason");
        if (retrainRecommended == (recommendation == Recommendation.NOT_YET)) {
            throw new IllegalArgumentException("retrainRecommended=" + retrainRecommended
                    + " contradicts recommendation " + recommendation);
        }
    }

    /** What to do about the new examples. */
    public enum Recommendation {
        /** Keep the trained version; not enough new data yet. */
        NOT_YET,
        /**
         * Train a new version from the base model on all current examples: what OpenAI recommends
         * (accumulate data, retrain from base), and the only choice after examples were removed.
         */
        RETRAIN_FROM_BASE,
        /**
         * Train the trained version further on the new examples only, with a lower learning rate
         * (about ×0.1) and fewer epochs: cheaper, for a small increment, where the provider can
         * start a job from a fine-tuned model.
         */
        CONTINUE_FROM_PARENT
    }
}
