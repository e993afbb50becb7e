package dev.finetune4j.spi;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Training data ready to send to a provider: the training split (and optionally the validation
 * split) of one dataset version, already written in the provider's upload format.
 *
 * @param datasetVersionId the dataset version the files were written from ({@code dv-...})
 * @param label a human label, e.g. {@code avatar-42/main@3}, for file names and commit messages
 * @param trainingFile the training split file (JSONL)
 * @param validationFile the validation split file, or {@code null}
 * @param trainingExamples examples in the training file
 */
public record TrainingData(String datasetVersionId, String label, Path trainingFile, Path validationFile,
        long trainingExamples) {

    /** Checks the required parts. */
    public TrainingData {
        Objects.requireNonNull(datasetVersionId, "datasetVersionId");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(trainingFile, "trainingFile");
    }

    /** The validation file, when there is one. */
    public Optional<Path> validation() {
        return Optional.ofNullable(validationFile);
    }
}
