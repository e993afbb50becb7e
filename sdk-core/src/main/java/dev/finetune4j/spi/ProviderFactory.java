package dev.finetune4j.spi;

/**
 * Creates a {@link Provider}; found with {@link java.util.ServiceLoader} (register the class in
 * {@code META-INF/services/dev.finetune4j.spi.ProviderFactory}). Cheap to instantiate and to ask
 * for its {@link #descriptor()}: all work happens in {@link #create}.
 */
public interface ProviderFactory {

    /**
     * What the provider says about itself: id, display name, settings, default base model, data
     * rules, capabilities. Needs no configuration and no key; return a constant.
     */
    ProviderDescriptor descriptor();

    /** The provider id this factory creates, e.g. {@code openai}: the descriptor's. */
    default String id() {
        return descriptor().id();
    }

    /**
     * Creates the provider.
     *
     * @throws IllegalStateException when the configuration lacks something the provider needs
     *     (e.g. no API key in the configuration or the environment), naming it
     */
    Provider create(ProviderConfig config);
}
