package dev.finetune4j.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.ConflictException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.Tenant;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.spi.ProviderCache;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProviderCache#inStore}: one record per key in the collection {@value #COLLECTION}, each
 * revision {@code {"value":...,"stored_at":...}}. A store failure (damage included) is logged and
 * reads as a miss: a provider then asks its API, as without a cache.
 */
public final class StoreProviderCache implements ProviderCache {

    /** The collection entries live in. */
    public static final String COLLECTION = "provider-cache";

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.STORE);

    private final VersionStore store;
    private final Tenant tenant;
    private final Clock clock;

    /** A cache in {@code store} under {@code tenant}. */
    public StoreProviderCache(VersionStore store, Tenant tenant, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<String> get(String key, Duration maxAge) {
        Objects.requireNonNull(maxAge, "maxAge");
        StoreKey at = new StoreKey(tenant, COLLECTION, key);
        try {
            Optional<Revision> latest = store.latest(at);
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            JsonNode entry = Json.mapper().readTree(latest.get().value());
            Instant storedAt = Instant.parse(entry.path("stored_at").asText());
            if (storedAt.plus(maxAge).isBefore(clock.instant()) || !entry.path("value").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(entry.get("value").asText());
        } catch (IOException | RuntimeException e) { // StoreException and CorruptDataException included
            LOG.warn("provider cache: could not read {} ({}); asking the provider instead", at, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, String value) {
        Objects.requireNonNull(value, "value");
        StoreKey at = new StoreKey(tenant, COLLECTION, key);
        ObjectNode entry = Json.mapper().createObjectNode().put("value", value)
                .put("stored_at", clock.instant().toString());
        try {
            long current = store.latest(at).map(Revision::number).orElse(0L);
            store.write(at, entry.toString(), current);
        } catch (ConflictException e) {
            LOG.debug("provider cache: {} was written by another process at the same time", at);
        } catch (RuntimeException e) { // StoreException included
            LOG.warn("provider cache: could not write {} ({})", at, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ProviderCache.inStore(" + store + ", " + tenant.id() + ")";
    }
}
