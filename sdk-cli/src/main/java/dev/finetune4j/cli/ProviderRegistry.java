package dev.finetune4j.cli;

import dev.finetune4j.dataset.RuleSet;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderFactory;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
import java.net.URI;
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
 * <p>Configuration: keys and base URLs from the environment the CLI was given (the providers' own
 * variables, {@code OPENAI_API_KEY}, {@code MISTRAL_BASE_URL}, ...); {@code --endpoint} overrides
 * the base URL of the provider the command is about ({@link #primary}); {@link #override} points a
 * provider at an in-process emulator. Thread-safe: the evaluator calls from several threads.
 */
final class ProviderRegistry implements AutoCloseable {

    /** The environment variables of the providers this build knows by name, for messages. */
    private static final Map<String, String[]> ENV = Map.of(
            "openai", new String[] {"OPENAI_API_KEY", "OPENAI_BASE_URL"},
            "mistral", new String[] {"MISTRAL_API_KEY", "MISTRAL_BASE_URL"},
            "huggingface", new String[] {"HF_TOKEN", "HF_ENDPOINT"});

    private final Map<String, String> env;
    private final URI endpoint;
    private final Map<String, ProviderFactory> factories;
    private final Map<String, Provider> created = new LinkedHashMap<>();
    private final Map<String, Redirect> overrides = new LinkedHashMap<>();
    private String primary;

    /** Where a provider is pointed instead of its environment (an in-process emulator). */
    private record Redirect(URI endpoint, ApiKey apiKey) {}

    /**
     * @param env the environment variables the providers read
     * @param endpoint {@code --endpoint}, or null
     */
    ProviderRegistry(Map<String, String> env, URI endpoint) {
        this.env = Map.copyOf(env);
        this.endpoint = endpoint;
        this.factories = Providers.factories();
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
        factories.keySet().forEach(id -> lazy.add(new Lazy(id)));
        return lazy;
    }

    /**
     * Names the provider the command is about: {@code --endpoint} applies to it. Call before the
     * provider is first used.
     */
    synchronized void primary(String id) {
        this.primary = Objects.requireNonNull(id, "id");
    }

    /** Points a provider at {@code endpoint} with {@code key}, ignoring the environment (the quickstart's emulator). */
    synchronized void override(String id, URI endpoint, ApiKey key) {
        overrides.put(id, new Redirect(endpoint, key));
    }

    /** The environment variable holding the provider's key, for messages ({@code OPENAI_API_KEY}). */
    static String keyVariable(String id) {
        String[] names = ENV.get(id);
        return names == null ? id.toUpperCase(java.util.Locale.ROOT) + "_API_KEY" : names[0];
    }

    /** The environment variable holding the provider's base URL, when this build knows it. */
    static Optional<String> urlVariable(String id) {
        String[] names = ENV.get(id);
        return names == null ? Optional.empty() : Optional.of(names[1]);
    }

    /** How people write the provider's name: {@code OpenAI}, {@code Mistral}, {@code Hugging Face}. */
    static String displayName(String id) {
        return switch (id) {
            case "openai" -> "OpenAI";
            case "mistral" -> "Mistral";
            case "huggingface" -> "Hugging Face";
            default -> id;
        };
    }

    /** Whether the provider's key is set in the environment. */
    boolean hasKey(String id) {
        String v = env.get(keyVariable(id));
        return v != null && !v.isBlank();
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
        ProviderConfig.Builder config = ProviderConfig.builder().env(env::get);
        Redirect o = overrides.get(id);
        if (o != null) {
            config.endpoint(o.endpoint()).apiKey(o.apiKey());
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
     * A provider that creates the real one on first use. {@link #id()} never does, so the library
     * can index it without a key.
     */
    private final class Lazy implements Provider {
        private final String id;

        Lazy(String id) {
            this.id = id;
        }

        private Provider real() {
            return get(id);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Capabilities capabilities() {
            return real().capabilities();
        }

        @Override
        public RuleSet rules() {
            return real().rules();
        }

        @Override
        public DatasetFormat uploadFormat() {
            return real().uploadFormat();
        }

        @Override
        public void checkRequest(JobRequest request) {
            real().checkRequest(request);
        }

        @Override
        public UploadedData upload(TrainingData data) {
            return real().upload(data);
        }

        @Override
        public RemoteJob createJob(JobRequest request) {
            return real().createJob(request);
        }

        @Override
        public RemoteJob getJob(String remoteId) {
            return real().getJob(remoteId);
        }

        @Override
        public Optional<RemoteJob> findJobByTag(String tag) {
            return real().findJobByTag(tag);
        }

        @Override
        public RemoteJob startJob(String remoteId) {
            return real().startJob(remoteId);
        }

        @Override
        public RemoteJob cancelJob(String remoteId) {
            return real().cancelJob(remoteId);
        }

        @Override
        public EventPage events(String remoteId, String cursor) {
            return real().events(remoteId, cursor);
        }

        @Override
        public List<MetricPoint> metrics(String remoteId) {
            return real().metrics(remoteId);
        }

        @Override
        public void deleteModel(String providerModelId) {
            real().deleteModel(providerModelId);
        }

        @Override
        public ChatResult chat(ChatCall call) {
            return real().chat(call);
        }

        @Override
        public void chatStream(ChatCall call, ChatStreamListener listener) {
            real().chatStream(call, listener);
        }

        @Override
        public void close() {
            // the registry closes what it created
        }

        @Override
        public String toString() {
            return "Provider[" + id + ", configured on first use]";
        }
    }
}
