package dev.finetune4j.testkit.internal;

import dev.finetune4j.testkit.spi.EmulatorFactory;

/** What the testkit's own emulator factories share: their provider's id and name. Immutable. */
public abstract class KitEmulatorFactory implements EmulatorFactory {

    private final String providerId;
    private final String displayName;

    protected KitEmulatorFactory(String providerId, String displayName) {
        this.providerId = providerId;
        this.displayName = displayName;
    }

    @Override
    public final String providerId() {
        return providerId;
    }

    @Override
    public final String displayName() {
        return displayName;
    }
}
