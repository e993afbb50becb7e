package dev.finetune4j.azureopenai.internal;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An Azure OpenAI deployment as Azure Resource Manager reported it.
 *
 * @param name the deployment's name: what chat sends as {@code model}
 * @param resourceId the ARM resource id ({@code /subscriptions/…/deployments/NAME})
 * @param model the deployed model ({@code properties.model.name}): a base model, a fine-tuned model
 *     ({@code BASE.ft-…}) or a checkpoint ({@code ftchkpt-…})
 * @param modelVersion {@code properties.model.version} ({@code 1} for fine-tuned models)
 * @param skuName {@code sku.name} as Azure returned it
 * @param capacity {@code sku.capacity}, 0 when absent
 * @param provisioningState {@code properties.provisioningState} as Azure wrote it: {@code Accepted},
 *     {@code Creating}, {@code Succeeded}, {@code Failed}, {@code Deleting}, {@code Moving}, {@code
 *     Disabled}, {@code Canceled}, or one not known yet
 * @param errorMessage {@code properties.error.message} of a failed deployment, or null
 */
public record ArmDeployment(String name, String resourceId, String model, String modelVersion, String skuName,
        int capacity, String provisioningState, String errorMessage) {

    /** Checks that nothing but {@code errorMessage} is null. */
    public ArmDeployment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(skuName, "skuName");
        Objects.requireNonNull(provisioningState, "provisioningState");
    }

    /** Whether chat can reach it: provisioning {@code Succeeded}. */
    public boolean ready() {
        return provisioningState.equalsIgnoreCase("Succeeded");
    }

    /** Whether provisioning ended without a usable deployment: {@code Failed}, {@code Canceled} or {@code Disabled}. */
    public boolean failed() {
        String s = provisioningState.toLowerCase(Locale.ROOT);
        return s.equals("failed") || s.equals("canceled") || s.equals("disabled");
    }

    /** Whether its provisioning will not move by itself any more ({@link #ready()} or {@link #failed()}). */
    public boolean settled() {
        return ready() || failed();
    }

    /** Why provisioning failed, as Azure said. */
    public Optional<String> error() {
        return Optional.ofNullable(errorMessage);
    }
}
