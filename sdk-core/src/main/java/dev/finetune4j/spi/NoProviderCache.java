package dev.finetune4j.spi;

import java.time.Duration;
import java.util.Optional;

/** {@link ProviderCache#none()}: remembers nothing. */
enum NoProviderCache implements ProviderCache {
    INSTANCE;

    @Override
    public Optional<String> get(String key, Duration maxAge) {
        return Optional.empty();
    }

    @Override
    public void put(String key, String value) {
        // nothing is kept
    }

    @Override
    public String toString() {
        return "ProviderCache.none()";
    }
}
