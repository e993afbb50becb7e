package dev.finetune4j.spi;

import dev.finetune4j.Tenant;
import dev.finetune4j.internal.store.StoreProviderCache;
import dev.finetune4j.store.VersionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Small facts a provider learns from its API and would otherwise ask again in every process — the
 * owner of a token, say, from an endpoint the provider rate-limits. A cache never holds a secret:
 * a provider keys what it learned about a key by a hash of it. A miss, an expired entry or a cache
 * that fails all read as "ask the API"; nothing a provider does depends on the cache working.
 *
 * <p>{@link #none()} (the default of {@link ProviderConfig}) keeps nothing; {@link #inStore} keeps
 * entries in a {@link VersionStore}, verified on read like every record, so that command-line runs
 * and application instances on one store share them. Implementations are thread-safe.
 */
public interface ProviderCache {

    /**
     * The value stored under {@code key} no longer than {@code maxAge} ago, or empty.
     *
     * @param key one to four names of {@code [A-Za-z0-9._-]} joined by {@code /}, starting with the
     *     provider's id, e.g. {@code huggingface/whoami/3f2a...}
     */
    Optional<String> get(String key, Duration maxAge);

    /** Stores {@code value} under {@code key}, replacing what was there; failures are logged, not thrown. */
    void put(String key, String value);

    /** A cache that keeps nothing. */
    static ProviderCache none() {
        return NoProviderCache.INSTANCE;
    }

    /**
     * A cache in {@code store}, under {@code tenant}'s collection {@code provider-cache}; entries are
     * dated by {@code clock}.
     */
    static ProviderCache inStore(VersionStore store, Tenant tenant, Clock clock) {
        return new StoreProviderCache(store, tenant, clock);
    }
}
