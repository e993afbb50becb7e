package dev.finetune4j.spi;

import dev.finetune4j.job.Hyperparameters;
import java.util.Map;
import java.util.Objects;

/**
 * What the core asks a provider to train.
 *
 * @param tag our job id; the provider attaches it where the API allows (OpenAI {@code metadata},
 *     Mistral {@code suffix}, Hugging Face job labels) so the job can be found after a crash
 * @param assistant the assistant the model is for (used to name output repositories)
 * @param baseModel the model to train from: a base model or a fine-tuned model id to continue from
 * @param data the uploaded training data
 * @param hyperparameters what to set; unset means the provider's auto
 * @param suffix a short name for the fine-tuned model, or {@code null}
 * @param start whether to start training at once; {@code false} asks a provider with a cost
 *     preview to validate and price the job first ({@link TrainingService#startJob} starts it)
 * @param options provider-specific options (e.g. Hugging Face {@code flavor}, {@code timeout})
 */
public record JobRequest(String tag, String assistant, String baseModel, UploadedData data,
        Hyperparameters hyperparameters, String suffix, boolean start, Map<String, String> options) {

    /** Checks and copies. */
    public JobRequest {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(assistant, "assistant");
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(hyperparameters, "hyperparameters");
        options = Map.copyOf(options);
    }
}
