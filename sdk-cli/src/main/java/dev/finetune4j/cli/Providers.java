package dev.finetune4j.cli;

import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.spi.ProviderDescriptor;
import java.util.Optional;

/** Provider defaults of the CLI, read from the providers' descriptors. */
final class Providers {

    /**
     * The provider {@code quickstart} and {@code stats} use without {@code --provider}, and whose
     * rules label a file validated without one: the documented default of the quickstart.
     */
    static final String DEFAULT_PROVIDER = "openai";

    private Providers() {}

    /**
     * The descriptor of a provider in this build.
     *
     * @throws InputException naming the providers in this build when there is none with this id
     */
    static ProviderDescriptor descriptor(String provider) {
        return ProviderRegistry.descriptor(provider).orElseThrow(() -> new InputException("provider_unavailable",
                "no provider '" + provider + "' in this build; it has "
                        + String.join(", ", ProviderRegistry.descriptors().keySet())));
    }

    /**
     * The rules to validate a file with: the provider's published rules when one is given, else
     * the rules of the file's format (Mistral's for {@code --from mistral}, the shared ones
     * otherwise). A Mistral file is always read with Mistral's format rules.
     */
    static DataRules rules(String provider, DatasetFormat from) {
        return provider != null ? descriptor(provider).dataRules() : from.rules();
    }

    /**
     * Whose rules {@link #rules} applies, for reports: the provider given, else the format whose own
     * rules apply ({@code mistral}), else {@link #DEFAULT_PROVIDER} (whose rules are the shared ones).
     */
    static String rulesLabel(String provider, DatasetFormat from) {
        if (provider != null) {
            return provider;
        }
        return from.rules().equals(DataRules.standard()) ? DEFAULT_PROVIDER : from.id();
    }

    /** The default base model of a provider, when its descriptor names one. */
    static Optional<String> baseModel(String provider) {
        return descriptor(provider).defaultBaseModel();
    }

    /**
     * The default base model of a provider, for token counts, cost estimates and the quickstart.
     *
     * @throws InputException when the provider names none, saying how to name one
     */
    static String defaultModel(String provider) {
        return baseModel(provider).orElseThrow(() -> new InputException("provider_config", "provider " + provider
                + " (" + ProviderRegistry.displayName(provider) + ") has no default base model; set "
                + ProviderRegistry.keyVariable(provider) + " and name one: `finetune4j train ASSISTANT --provider "
                + provider + " --model MODEL`"));
    }
}
