package dev.finetune4j.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A fine-tuning job an emulator holds, as seen by a test at the moment it was read.
 *
 * @param id the provider's job id
 * @param model the base model the job trains (as the provider reports it)
 * @param status the provider's raw status, e.g. {@code running} (OpenAI) or {@code RUNNING} (Mistral)
 * @param trainingFiles the training file ids
 * @param validationFile the validation file id, or {@code null}
 * @param suffix the requested suffix, or {@code null}
 * @param metadata the job's metadata (empty when none); unmodifiable
 * @param fineTunedModel the resulting model id once succeeded, else {@code null}
 * @param errorCode the error code once failed, else {@code null}
 * @param errorMessage the error message once failed, else {@code null}
 * @param trainedTokens the billable tokens once succeeded, else {@code null}
 * @param createdAt when the job was created, on the emulator's clock
 */
public record EmulatedJob(
        String id,
        String model,
        String status,
        List<String> trainingFiles,
        String validationFile,
        String suffix,
        Map<String, String> metadata,
        String fineTunedModel,
        String errorCode,
        String errorMessage,
        Long trainedTokens,
        Instant createdAt) {

    public EmulatedJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(status, "status");
        trainingFiles = List.copyOf(trainingFiles);
        metadata = Map.copyOf(metadata);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The resulting model id, once the job succeeded. */
    public Optional<String> fineTunedModelId() {
        return Optional.ofNullable(fineTunedModel);
    }
}
