package dev.finetune4j.cli;

import dev.finetune4j.http.ApiKey;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderCache;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderFactory;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.spi.TrainingService;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The providers of one CLI run: every provider module on the class path (found with
 * {@link java.util.ServiceLoader}, so a module added to the jar needs no change here), each
 * configured only when a command first uses it. A command that never talks to a provider never
 * needs a key; one that does fails, at that moment, with a message naming the environment
 * variable to set.
 *
 * <p>Everything the CLI says about a provider (its display name, the environment variables of its
 * key and base URL) comes from its {@link ProviderDescriptor}. Configuration: keys and base URLs
 * from the environment the CLI was given (the variables the descriptors name); {@code --endpoint}
 * overrides the base URL of the provider the command is about ({@link #primary}); {@link #override}
 * points a provider at an in-process emulator. Thread-safe: the evaluator calls from several threads.
 */
final class ProviderRegistry implements AutoCloseable {

    private final Map<String, String> env;
    private final ProviderCache cache;
    private final URI endpoint;
    private final Map<String, ProviderFactory> factories;
    private final Map<String, Provider> created = new LinkedHashMap<>();
    private final Map<String, Redirect> overrides = new LinkedHashMap<>();
    private String primary;

    /** Where a provider is pointed instead of its environment (an in-process emulator). */
    private record Redirect(URI endpoint, ApiKey apiKey, Map<String, String> environment) {}

    /** The descriptors of the provider modules in this build, found once. */
    private static final class Discovered {
        static final Map<String, ProviderDescriptor> DESCRIPTORS = Providers.descriptors();
    }

    /**
     * @param env the environment variables the providers read
     * @param endpoint {@code --endpoint}, or null
     */
    ProviderRegistry(Map<String, String> env, URI endpoint) {
        this(env, endpoint, ProviderCache.none());
    }

    /** With {@code cache} for what providers learn from their APIs (the session's store). */
    ProviderRegistry(Map<String, String> env, URI endpoint, ProviderCache cache) {
        this.env = Map.copyOf(env);
        this.endpoint = endpoint;
        this.cache = cache;
        this.factories = Providers.factories();
    }

    /** The descriptors of the provider modules in this build, by id, in discovery order. */
    static Map<String, ProviderDescriptor> descriptors() {
        return Discovered.DESCRIPTORS;
    }

    /** The descriptor of a provider module in this build. */
    static Optional<ProviderDescriptor> descriptor(String id) {
        return Optional.ofNullable(Discovered.DESCRIPTORS.get(id));
    }

    /** The ids of the provider modules on the class path, in discovery order. */
    Set<String> ids() {
        return factories.keySet();
    }

    /** Whether a provider module with this id is on the class path. */
    boolean has(String id) {
        return factories.containsKey(id);
    }

    /** Providers that configure themselves on first use, one per module, for {@code FineTuning.builder()}. */
    List<Provider> lazyProviders() {
        List<Provider> lazy = new ArrayList<>();
        factories.values().forEach(f -> lazy.add(new Lazy(f)));
        return lazy;
    }

    /**
     * Names the provider the command is about: {@code --endpoint} applies to it. Call before the
     * provider is first used.
     */
    synchronized void primary(String id) {
        this.primary = Objects.requireNonNull(id, "id");
    }

    /**
     * Points a provider at {@code endpoint} with {@code key}, reading its other settings from
     * {@code environment} instead of the machine's (the quickstart's emulators: Hugging Face's also
     * names its serving URL there).
     */
    synchronized void override(String id, URI endpoint, ApiKey key, Map<String, String> environment) {
        overrides.put(id, new Redirect(endpoint, key, Map.copyOf(environment)));
    }

    /**
     * The environment variable holding the provider's key, for messages ({@code OPENAI_API_KEY}), as
     * its descriptor names it; for a provider that declares none, a phrase naming its key.
     */
    static String keyVariable(String id) {
        return descriptor(id).flatMap(ProviderDescriptor::apiKey).flatMap(ProviderSetting::environmentVariable)
                .orElse("the API key of provider " + id);
    }

    /** The environment variable holding the provider's base URL, as its descriptor names it. */
    private static Optional<String> urlVariable(String id) {
        return descriptor(id).flatMap(ProviderDescriptor::endpoint).flatMap(ProviderSetting::environmentVariable);
    }

    /** How people write the provider's name ({@code Hugging Face}), as its descriptor says; the id otherwise. */
    static String displayName(String id) {
        return descriptor(id).map(ProviderDescriptor::displayName).orElse(id);
    }

    /** Whether the provider's key is set in the environment (or the provider needs none). */
    boolean hasKey(String id) {
        Optional<ProviderSetting> key = descriptor(id).flatMap(ProviderDescriptor::apiKey);
        return key.isEmpty() || key.get().environmentVariable().map(env::get).filter(v -> !v.isBlank()).isPresent();
    }

    /**
     * The base URL the provider will talk to when it is set explicitly ({@code --endpoint}, an
     * override or the environment variable); empty when it is the provider's default.
     */
    synchronized Optional<URI> explicitEndpoint(String id) {
        Redirect o = overrides.get(id);
        if (o != null) {
            return Optional.of(o.endpoint());
        }
        if (endpoint != null && id.equals(primary)) {
            return Optional.of(endpoint);
        }
        return urlVariable(id).map(env::get).filter(v -> !v.isBlank()).flatMap(v -> {
            try {
                return Optional.of(URI.create(v.strip()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** Whether the provider talks to this machine (an emulator): jobs there may be polled quickly. */
    boolean isLocal(String id) {
        return explicitEndpoint(id).map(URI::getHost)
                .map(h -> h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1"))
                .orElse(false);
    }

    /**
     * The configured provider, created on first use.
     *
     * @throws InputException (exit 1) when the provider cannot be configured, naming the
     *     environment variable to set
     */
    synchronized Provider get(String id) {
        Provider p = created.get(id);
        if (p != null) {
            return p;
        }
        ProviderFactory factory = factories.get(id);
        if (factory == null) {
            throw new InputException("provider_unavailable", "no provider '" + id + "' in this build; it has "
                    + String.join(", ", factories.keySet()));
        }
        ProviderConfig.Builder config = ProviderConfig.builder().env(env::get).cache(cache);
        Redirect o = overrides.get(id);
        if (o != null) {
            config.env(o.environment()::get).endpoint(o.endpoint()).apiKey(o.apiKey());
        } else if (endpoint != null && id.equals(primary)) {
            config.endpoint(endpoint);
        }
        try {
            p = factory.create(config.build());
        } catch (IllegalStateException | IllegalArgumentException e) {
            String why = String.valueOf(e.getMessage()).replace(" or pass ProviderConfig.builder().apiKey(...)", "");
            throw new InputException("provider_config", "provider " + id + " is not configured: " + why
                    + (hasKey(id) ? "" : "; to work without a key, run `finetune4j emulator` and export the lines "
                            + "it prints"));
        }
        created.put(id, p);
        return p;
    }

    /** Closes the providers that were created. */
    @Override
    public synchronized void close() {
        created.values().forEach(Provider::close);
        created.clear();
    }

    /**
     * A provider that creates the real one when a service is first asked for. Its id and descriptor
     * come from the factory, so the library can index it, and read its rules and capabilities,
     * without a key.
     */
    private final class Lazy implements Provider {
        private final ProviderFactory factory;

        Lazy(ProviderFactory factory) {
            this.factory = factory;
        }

        @Override
        public ProviderDescriptor descriptor() {
            return factory.descriptor();
        }

        @Override
        public Optional<TrainingService> training() {
            return get(factory.id()).training();
        }

        @Override
        public Optional<ChatService> chat() {
            return get(factory.id()).chat();
        }

        @Override
        public List<LifecycleEvent> reportedLifecycle(String providerModelId, LocalDate checkedOn) {
            return get(factory.id()).reportedLifecycle(providerModelId, checkedOn);
        }

        @Override
        public Optional<DeploymentService> deployments() {
            return get(factory.id()).deployments();
        }

        @Override
        public void close() {
            // the registry closes what it created
        }

        @Override
        public String toString() {
            return "Provider[" + factory.id() + ", configured on first use]";
        }
    }
}
