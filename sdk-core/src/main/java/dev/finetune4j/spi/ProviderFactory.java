package dev.finetune4j.spi;

/**
 * Creates a {@link Provider}; found with {@link java.util.ServiceLoader} (register the class in
 * {@code META-INF/services/dev.finetune4j.spi.ProviderFactory}). Cheap to instantiate: all work
 * happens in {@link #create}.
 */
public interface ProviderFactory {

    /** The provider id this factory creates, e.g. {@code openai}. */
    String id();

    /**
     * Creates the provider.
     *
     * @throws IllegalStateException when the configuration lacks something the provider needs
     *     (e.g. no API key in the configuration or the environment), naming it
     */
    Provider create(ProviderConfig config);
}
