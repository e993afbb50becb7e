package dev.finetune4j.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a provider keeps uploaded training data: file ids (OpenAI, Mistral) or a dataset repository
 * and commit (Hugging Face). The core stores it and reuses it for later jobs on the same dataset
 * version, provider and format.
 *
 * @param trainingRef the training data reference (a file id, or {@code repo@commit:path})
 * @param validationRef the validation data reference, or {@code null}
 * @param details provider details worth keeping (file sizes, repo url, commit oid)
 */
public record UploadedData(String trainingRef, String validationRef, Map<String, String> details) {

    /** Checks and copies. */
    public UploadedData {
        Objects.requireNonNull(trainingRef, "trainingRef");
        details = Map.copyOf(details);
    }

    /** The validation reference, when validation data was sent. */
    public Optional<String> validation() {
        return Optional.ofNullable(validationRef);
    }
}
