package dev.finetune4j.assistant;

import java.util.Objects;

/**
 * The training data a model version learnt from: a dataset version's training split.
 *
 * @param dataset the dataset reference, {@code assistant/name}
 * @param versionId the dataset version's content-derived id ({@code dv-...})
 * @param versionNumber the dataset version's number
 * @param trainingExamples how many examples the training split had
 * @param validationFraction the split policy's validation fraction used
 */
public record TrainedOn(String dataset, String versionId, int versionNumber, long trainingExamples,
        double validationFraction) {

    /** Checks the parts. */
    public TrainedOn {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(versionId, "versionId");
        if (versionNumber < 1) {
            throw new IllegalArgumentException("versionNumber must be >= 1, was " + versionNumber);
        }
    }
}
