package dev.finetune4j.spi;

import dev.finetune4j.LoggerNames;
import dev.finetune4j.NotFoundException;
import java.util.ArrayList;
import java.util.Collections;
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
 * loaded, or whose descriptor cannot be built, is logged and skipped without hiding the others.
 */
public final class Providers {

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.provider(null));

    private Providers() {}

    /** The factories on the class path, by id (the first of a duplicated id wins, with a warning). */
    public static Map<String, ProviderFactory> factories() {
        Map<String, ProviderFactory> found = new LinkedHashMap<>();
        var it = ServiceLoader.load(ProviderFactory.class, Providers.class.getClassLoader()).iterator();
        while (true) {
            ProviderFactory f;
            try {
                if (!it.hasNext()) {
                    break;
                }
                f = it.next();
            } catch (ServiceConfigurationError e) {
                LOG.warn("a provider module could not be loaded and is skipped: {}", e.getMessage());
                continue;
            }
            String id;
            try {
                id = f.id();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("provider factory {} cannot describe itself and is skipped: {}", f.getClass().getName(),
                        String.valueOf(e));
                continue;
            }
            ProviderFactory earlier = found.putIfAbsent(id, f);
            if (earlier != null) {
                LOG.warn("two provider factories for '{}': {} and {}; using the first", id,
                        earlier.getClass().getName(), f.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(found);
    }

    /** The descriptors of the providers on the class path, by id, in discovery order. */
    public static Map<String, ProviderDescriptor> descriptors() {
        Map<String, ProviderDescriptor> descriptors = new LinkedHashMap<>();
        factories().forEach((id, f) -> descriptors.put(id, f.descriptor()));
        return Collections.unmodifiableMap(descriptors);
    }

    /**
     * The descriptor of the provider with this id.
     *
     * @throws NotFoundException naming every provider found when none has this id
     */
    public static ProviderDescriptor descriptor(String id) {
        return factory(id, factories()).descriptor();
    }

    /**
     * Creates the provider with this id.
     *
     * @throws NotFoundException naming every provider found when none has this id
     * @throws IllegalStateException when the provider cannot be configured (e.g. no API key)
     */
    public static Provider create(String id, ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        return factory(id, factories()).create(config);
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

    private static ProviderFactory factory(String id, Map<String, ProviderFactory> factories) {
        Objects.requireNonNull(id, "id");
        ProviderFactory f = factories.get(id);
        if (f == null) {
            throw new NotFoundException("no provider '" + id + "' on the class path; found: "
                    + (factories.isEmpty() ? "none (add a provider module such as finetune4j-openai)"
                            : String.join(", ", factories.keySet())));
        }
        return f;
    }
}
