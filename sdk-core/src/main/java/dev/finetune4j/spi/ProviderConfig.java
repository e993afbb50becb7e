package dev.finetune4j.spi;

import dev.finetune4j.http.ApiKey;
import dev.finetune4j.http.RetryOptions;
import dev.finetune4j.http.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How to create a provider: endpoint, key, HTTP client, retries, timeouts, clock and
 * provider-specific settings. Anything not set here is read by the provider from the environment
 * variables its {@link ProviderDescriptor#settings()} name ({@code OPENAI_API_KEY}, {@code
 * MISTRAL_BASE_URL}, {@code HF_TOKEN}, ...) through {@link #env(String)}. Immutable; {@code
 * toString()} never shows the key.
 */
public final class ProviderConfig {

    private final URI endpoint;
    private final ApiKey apiKey;
    private final HttpClient httpClient;
    private final RetryOptions retry;
    private final Duration timeout;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, String> settings;
    private final Function<String, String> env;
    private final ProviderCache cache;

    private ProviderConfig(Builder b) {
        this.endpoint = b.endpoint;
        this.apiKey = b.apiKey;
        this.httpClient = b.httpClient;
        this.retry = b.retry;
        this.timeout = b.timeout;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.settings = Map.copyOf(b.settings);
        this.env = b.env;
        this.cache = b.cache;
    }

    /** Defaults: the environment, OpenAI-SDK retry rules, 60 s per attempt, the system clock. */
    public static ProviderConfig defaults() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.endpoint = endpoint;
        b.apiKey = apiKey;
        b.httpClient = httpClient;
        b.retry = retry;
        b.timeout = timeout;
        b.clock = clock;
        b.sleeper = sleeper;
        b.settings.putAll(settings);
        b.env = env;
        b.cache = cache;
        return b;
    }

    /** The base URL, when set in code (otherwise the provider's environment variable or default). */
    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** The API key, when set in code (otherwise the provider's environment variable). */
    public Optional<ApiKey> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /** The HTTP client to use, when the host app passes its own. */
    public Optional<HttpClient> httpClient() {
        return Optional.ofNullable(httpClient);
    }

    /** Retry rules. */
    public RetryOptions retry() {
        return retry;
    }

    /** The timeout of one HTTP attempt. */
    public Duration timeout() {
        return timeout;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** How retries wait. */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** A provider-specific setting (e.g. {@code organization}, {@code namespace}), when set. */
    public Optional<String> setting(String name) {
        return Optional.ofNullable(settings.get(Objects.requireNonNull(name, "name")));
    }

    /** Where the provider keeps facts it learned from its API between processes ({@link ProviderCache#none()} by default). */
    public ProviderCache cache() {
        return cache;
    }

    /** An environment variable as the configuration sees it (tests pass a map). */
    public Optional<String> env(String name) {
        String v = env.apply(Objects.requireNonNull(name, "name"));
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    @Override
    public String toString() {
        return "ProviderConfig[endpoint=" + endpoint + ", apiKey=" + (apiKey == null ? "from env" : apiKey)
                + ", retry=" + retry + ", timeout=" + timeout + ", settings=" + settings.keySet() + "]";
    }

    /** Builds a {@link ProviderConfig}. Not thread-safe. */
    public static final class Builder {
        private URI endpoint;
        private ApiKey apiKey;
        private HttpClient httpClient;
        private RetryOptions retry = RetryOptions.defaults();
        private Duration timeout = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Function<String, String> env = System::getenv;
        private ProviderCache cache = ProviderCache.none();

        private Builder() {}

        /** The base URL (a proxy, a gateway, an emulator). */
        public Builder endpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** The API key. */
        public Builder apiKey(ApiKey apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** The host app's HTTP client (it keeps ownership). */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** Retry rules. */
        public Builder retry(RetryOptions retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * The timeout of one HTTP attempt (default 60 s): until a JSON answer has arrived whole, or
         * until the headers of a file download or an event stream have arrived. A call that runs
         * out of it fails as a {@link dev.finetune4j.TransportException} (retried like any
         * transport failure when the call is safe to repeat).
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** The clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How retries wait. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** A provider-specific setting. */
        public Builder setting(String name, String value) {
            settings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Where environment variables come from (default {@code System::getenv}). */
        public Builder env(Function<String, String> env) {
            this.env = Objects.requireNonNull(env, "env");
            return this;
        }

        /**
         * Where the provider may keep facts it learned from its API between processes, e.g.
         * {@link ProviderCache#inStore} (default {@link ProviderCache#none()}).
         */
        public Builder cache(ProviderCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** Builds the configuration. */
        public ProviderConfig build() {
            return new ProviderConfig(this);
        }
    }
}
