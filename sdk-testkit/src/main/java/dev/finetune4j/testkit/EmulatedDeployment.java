package dev.finetune4j.testkit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An Azure Resource Manager deployment the {@link AzureOpenAiEmulator} holds, as a test sees it at
 * the moment it was read.
 *
 * @param name the deployment's name (what chat sends as {@code model})
 * @param model the model it serves: a base model, a fine-tuned model ({@code BASE.ft-…}) or a
 *     checkpoint ({@code ftchkpt-…})
 * @param modelVersion the model version the deployment named ({@code 1} for fine-tuned models)
 * @param skuName the SKU as the request named it, e.g. {@code standard}, {@code GlobalStandard},
 *     {@code developertier}
 * @param capacity the SKU capacity
 * @param provisioningState {@code Accepted}, {@code Creating}, {@code Succeeded} or {@code Failed}
 * @param createdAt when it was created, on the emulator's clock
 * @param lastUsedAt when chat last reached it, or {@code null} if never
 */
public record EmulatedDeployment(String name, String model, String modelVersion, String skuName, int capacity,
        String provisioningState, Instant createdAt, Instant lastUsedAt) {

    /** Checks that nothing but {@code modelVersion} and {@code lastUsedAt} is null. */
    public EmulatedDeployment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(skuName, "skuName");
        Objects.requireNonNull(provisioningState, "provisioningState");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** When chat last reached it. */
    public Optional<Instant> lastUsed() {
        return Optional.ofNullable(lastUsedAt);
    }
}
