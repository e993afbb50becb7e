package dev.finetune4j.spi;

import dev.finetune4j.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds provider modules on the class path with {@link ServiceLoader}. A factory that cannot be
 * loaded is logged and skipped without hiding the others.
 */
public final class Providers {

    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    private Providers() {}

    /** The factories on the class path, by id (the first of a duplicated id wins, with a warning). */
    public static Map<String, ProviderFactory> factories() {
        Map<String, ProviderFactory> found = new LinkedHashMap<>();
        var it = ServiceLoader.load(ProviderFactory.class, Providers.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                ProviderFactory f = it.next();
                ProviderFactory earlier = found.putIfAbsent(f.id(), f);
                if (earlier != null) {
                    LOG.warn("two provider factories for '{}': {} and {}; using the first", f.id(),
                            earlier.getClass().getName(), f.getClass().getName());
                }
            } catch (ServiceConfigurationError e) {
                LOG.warn("a provider module could not be loaded and is skipped: {}", e.getMessage());
            }
        }
        return found;
    }

    /**
     * Creates the provider with this id.
     *
     * @throws NotFoundException naming every provider found when none has this id
     * @throws IllegalStateException when the provider cannot be configured (e.g. no API key)
     */
    public static Provider create(String id, ProviderConfig config) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(config, "config");
        Map<String, ProviderFactory> factories = factories();
        ProviderFactory f = factories.get(id);
        if (f == null) {
            throw new NotFoundException("no provider '" + id + "' on the class path; found: "
                    + (factories.isEmpty() ? "none (add finetune4j-openai, -mistral or -huggingface)"
                            : String.join(", ", factories.keySet())));
        }
        return f.create(config);
    }

    /**
     * Creates every provider on the class path that can be configured; those that cannot (no key
     * in the environment, say) are logged and left out.
     */
    public static List<Provider> createAll(ProviderConfig config) {
        List<Provider> providers = new ArrayList<>();
        for (ProviderFactory f : factories().values()) {
            try {
                providers.add(f.create(config));
            } catch (RuntimeException e) {
                LOG.info("provider '{}' is not available: {}", f.id(), e.getMessage());
            }
        }
        return providers;
    }
}
