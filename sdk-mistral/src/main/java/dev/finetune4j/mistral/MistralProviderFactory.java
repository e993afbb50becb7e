package dev.finetune4j.mistral;

import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderFactory;

/**
 * Creates the {@link MistralProvider}; registered for {@link java.util.ServiceLoader} under the id
 * {@value MistralProvider#ID}. The API key comes from the configuration or {@code MISTRAL_API_KEY};
 * the base URL from the configuration, {@code MISTRAL_BASE_URL} or {@code https://api.mistral.ai}
 * (the host: paths {@code /v1/...} are appended).
 *
 * <p>Stateless, cheap to instantiate and thread-safe.
 */
public final class MistralProviderFactory implements ProviderFactory {

    /** A factory (ServiceLoader needs the public no-argument constructor). */
    public MistralProviderFactory() {
        // Nothing to set up: all work happens in create().
    }

    /** {@link MistralProvider#DESCRIPTOR}. */
    @Override
    public ProviderDescriptor descriptor() {
        return MistralProvider.DESCRIPTOR;
    }

    /**
     * Creates the provider; see {@link MistralProvider#create(ProviderConfig)}.
     *
     * @throws IllegalStateException when no API key is configured or set in {@code MISTRAL_API_KEY},
     *     or the key or base URL is unusable
     */
    @Override
    public Provider create(ProviderConfig config) {
        return MistralProvider.create(config);
    }
}
