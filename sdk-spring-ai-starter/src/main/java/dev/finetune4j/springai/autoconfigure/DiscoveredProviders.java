package dev.finetune4j.springai.autoconfigure;

import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * The providers the starter created: every provider module on the class path that its
 * environment variables configure (read through Spring's {@link Environment}), except those the
 * application defines as beans. Closes what it created when the context stops.
 */
final class DiscoveredProviders implements AutoCloseable {

    private final List<Provider> created;
    private final List<Provider> all;

    DiscoveredProviders(Environment environment, List<Provider> fromApplication) {
        Map<String, Provider> byId = new LinkedHashMap<>();
        created = new ArrayList<>();
        for (Provider p : Providers.createAll(ProviderConfig.builder().env(environment::getProperty).build())) {
            boolean replaced = fromApplication.stream().anyMatch(a -> a.id().equals(p.id()));
            if (replaced) {
                p.close();
            } else {
                created.add(p);
                byId.put(p.id(), p);
            }
        }
        fromApplication.forEach(p -> byId.put(p.id(), p));
        all = List.copyOf(byId.values());
    }

    /** The providers to give {@code FineTuning}, the application's and the discovered ones. */
    List<Provider> all() {
        return all;
    }

    @Override
    public void close() {
        created.forEach(Provider::close);
    }
}
