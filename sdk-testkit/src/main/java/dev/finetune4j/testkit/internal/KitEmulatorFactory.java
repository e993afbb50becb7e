package dev.finetune4j.testkit.internal;

import dev.finetune4j.testkit.spi.EmulatorFactory;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import dev.finetune4j.testkit.spi.RunningEmulator;
import java.util.function.Function;

/** What the testkit's own emulator factories share: their provider's id and name, and how they start. Immutable. */
public abstract class KitEmulatorFactory implements EmulatorFactory {

    private final String providerId;
    private final String displayName;
    private final Function<EmulatorOptions, RunningEmulator> starter;

    protected KitEmulatorFactory(String providerId, String displayName, Function<EmulatorOptions, RunningEmulator> starter) {
        this.providerId = providerId;
        this.displayName = displayName;
        this.starter = starter;
    }

    @Override
    public final String providerId() {
        return providerId;
    }

    @Override
    public final String displayName() {
        return displayName;
    }

    @Override
    public final RunningEmulator start(EmulatorOptions options) {
        return starter.apply(options);
    }
}
