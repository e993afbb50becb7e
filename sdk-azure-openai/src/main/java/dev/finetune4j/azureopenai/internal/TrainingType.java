package dev.finetune4j.azureopenai.internal;

import java.util.Map;

/**
 * Azure OpenAI's training tiers and how the create body spells them ({@code trainingType}, an
 * Azure addition that is not in the v1 API's published spec). Microsoft's own documents spell
 * them several ways ({@code "globalstandard"} in the REST how-to, {@code "GlobalStandard"}, {@code
 * "Standard"}, {@code "Developer"} in the Python SDK how-to, {@code "developerTier"} in both
 * developer-tier samples); this class accepts any of them, case-insensitively, and sends one
 * spelling per tier: {@code Standard}, {@code GlobalStandard}, {@code developerTier}. Stateless.
 */
public final class TrainingType {

    /** The option and setting name. */
    public static final String OPTION = "training_type";

    /** The create-body field. */
    public static final String FIELD = "trainingType";

    private static final Map<String, String> WIRE = Map.of(
            "standard", "Standard",
            "globalstandard", "GlobalStandard",
            "global", "GlobalStandard",
            "developer", "developerTier",
            "developertier", "developerTier");

    private TrainingType() {}

    /**
     * The wire spelling of a tier.
     *
     * @throws IllegalArgumentException naming the tiers when {@code value} is none of them
     */
    public static String wire(String value) {
        return Spellings.wire(WIRE, value).orElseThrow(() -> new IllegalArgumentException("azure-openai training "
                + "type '" + value + "' is not one of standard (trains in the resource's region), globalstandard "
                + "(global capacity, cheaper) or developer (idle capacity, preemptible, preview)"));
    }
}
