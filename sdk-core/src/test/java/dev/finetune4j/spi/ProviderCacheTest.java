package dev.finetune4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.Tenant;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProviderCacheTest {

    private final Tenant tenant = Tenant.of("t");

    @Test
    void inStore_keepsTheLatestValue_forMaxAge_andSharesItWithAnotherCacheOnTheSameStore() {
        VersionStore store = VersionStores.inMemory();
        ProviderCache cache = ProviderCache.inStore(store, tenant, Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"),
                ZoneOffset.UTC));
        cache.put("acme/owner/abc", "first");
        cache.put("acme/owner/abc", "second");

        ProviderCache later = ProviderCache.inStore(store, tenant, Clock.fixed(Instant.parse("2026-12-02T00:00:01Z"),
                ZoneOffset.UTC));
        assertThat(cache.get("acme/owner/abc", Duration.ofDays(1))).contains("second");
        assertThat(later.get("acme/owner/abc", Duration.ofDays(2))).contains("second");
        assertThat(later.get("acme/owner/abc", Duration.ofDays(1))).isEmpty();
        assertThat(cache.get("acme/owner/other", Duration.ofDays(1))).isEmpty();
        assertThat(ProviderCache.inStore(store, Tenant.of("u"), Clock.systemUTC())
                .get("acme/owner/abc", Duration.ofDays(9999))).isEmpty();
    }

    @Test
    void anEntryThatIsNotOurs_readsAsAMiss_andIsReplacedByTheNextPut() {
        VersionStore store = VersionStores.inMemory();
        StoreKey key = new StoreKey(tenant, "provider-cache", "acme/owner/abc");
        store.write(key, "not json at all", 0);
        ProviderCache cache = ProviderCache.inStore(store, tenant, Clock.systemUTC());

        assertThat(cache.get("acme/owner/abc", Duration.ofDays(1))).isEmpty();
        cache.put("acme/owner/abc", "mended");
        assertThat(cache.get("acme/owner/abc", Duration.ofDays(1))).contains("mended");
    }

    @Test
    void none_keepsNothing_andIsTheDefault() {
        ProviderCache.none().put("acme/x", "y");
        assertThat(ProviderCache.none().get("acme/x", Duration.ofDays(1))).isEmpty();
        assertThat(ProviderConfig.defaults().cache()).isSameAs(ProviderCache.none());
    }
}
