package dev.finetune4j.azureopenai.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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
        Objects.requireNonNull(value, "value");
        String key = value.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
        String wire = WIRE.get(key);
        if (wire == null) {
            throw new IllegalArgumentException("azure-openai deployment type '" + value + "' is not one of standard "
                    + "(regional, hourly hosting fee), globalstandard (hourly hosting fee), developer (no hosting "
                    + "fee, deleted after 24 hours) or provisionedmanaged (provisioned throughput units)");
        }
        return wire;
    }

    /** Whether the type is the Developer tier, whose deployments Azure deletes 24 hours after creating them. */
    public static boolean isDeveloper(String wire) {
        return wire.equalsIgnoreCase("developertier") || wire.equalsIgnoreCase("developer");
    }
}
