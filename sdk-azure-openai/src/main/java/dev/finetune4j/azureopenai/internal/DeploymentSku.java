package dev.finetune4j.azureopenai.internal;

import java.util.Map;

/**
 * The deployment types a fine-tuned model can be deployed with, and how an ARM {@code sku.name}
 * spells them. Microsoft's fine-tuning deployment how-to writes {@code "standard"} and {@code
 * "developertier"} in its JSON, its ARM examples {@code "Standard"}, its CLI samples {@code
 * "GlobalStandard"} and {@code "Developer"}; this class accepts any of these, case-insensitively,
 * and sends one spelling per type: {@code Standard}, {@code GlobalStandard}, {@code developertier},
 * {@code ProvisionedManaged}. Stateless.
 */
public final class DeploymentSku {

    private static final Map<String, String> WIRE = Map.of(
            "standard", "Standard",
            "globalstandard", "GlobalStandard",
            "global", "GlobalStandard",
            "developer", "developertier",
            "developertier", "developertier",
            "provisionedmanaged", "ProvisionedManaged",
            "provisioned", "ProvisionedManaged");

    private DeploymentSku() {}

    /**
     * The {@code sku.name} of a deployment type.
     *
     * @throws IllegalArgumentException naming the types when {@code value} is none of them
     */
    public static String wire(String value) {
        return Spellings.wire(WIRE, value).orElseThrow(() -> new IllegalArgumentException("azure-openai deployment "
                + "type '" + value + "' is not one of standard (regional, hourly hosting fee), globalstandard (hourly "
                + "hosting fee), developer (no hosting fee, deleted after 24 hours) or provisionedmanaged "
                + "(provisioned throughput units)"));
    }
}
