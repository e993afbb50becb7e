package dev.finetune4j.store;

import dev.finetune4j.internal.store.InMemoryVersionStore;
import java.time.Clock;

/** Factories for the shipped {@link VersionStore}s. */
public final class VersionStores {

    private VersionStores() {}

    /** A store that keeps everything in this JVM's memory; for tests and throw-away work. */
    public static VersionStore inMemory() {
        return inMemory(Clock.systemUTC());
    }

    /** An in-memory store whose revision times come from {@code clock}. */
    public static VersionStore inMemory(Clock clock) {
        return new InMemoryVersionStore(clock);
    }
}
