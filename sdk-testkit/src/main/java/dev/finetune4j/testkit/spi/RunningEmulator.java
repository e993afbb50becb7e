package dev.finetune4j.testkit.spi;

import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import java.util.List;
import java.util.Map;

/**
 * An emulator that is serving: where it listens and what a client must set to use it. Thread-safe.
 */
public interface RunningEmulator extends AutoCloseable {

    /** The id of the provider it stands in for ({@code openai}). */
    String providerId();

    /** How people write the provider's name ({@code OpenAI}). */
    String displayName();

    /** The URL the provider's client takes as its endpoint (what {@code ProviderConfig.endpoint} and the provider's base-URL variable expect). */
    String baseUrl();

    /**
     * Every URL a client may need, named, in a stable order: the provider id for
     * {@link #baseUrl()}, then others ({@code huggingface-serving}).
     */
    Map<String, String> baseUrls();

    /**
     * The environment a client of the provider needs to use this emulator, variable to value, in
     * the order to print them: the base URL variable(s) and the key variable with
     * {@link #clientKey()} ({@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}).
     */
    Map<String, String> environment();

    /** A key clients may send: the one the emulator was told to accept, else {@code test} (any non-blank key is accepted). */
    String clientKey();

    /** The model ids chat accepts now: base models, then trained ones. */
    List<String> models();

    /**
     * The provider this emulator stands in for, created by its id (its module must be on the class
     * path) from {@link #environment()} alone — nothing of the machine's environment leaks in —
     * with retries that do not wait, so fault scripts run at once. The caller closes it.
     *
     * @throws dev.finetune4j.NotFoundException when no provider module with this id is on the
     *     class path, naming those that are
     */
    default Provider provider() {
        return provider(ProviderConfig.builder().sleeper(d -> { }));
    }

    /**
     * As {@link #provider()}, from {@code base} (a clock, a timeout, settings, a sleeper of the
     * caller's), with this emulator's environment in place of the machine's.
     */
    default Provider provider(ProviderConfig.Builder base) {
        Map<String, String> environment = environment();
        return Providers.create(providerId(), base.env(environment::get).build());
    }

    /** Stops serving (the shared host, if any, keeps running); idempotent. */
    @Override
    void close();
}
