package dev.finetune4j.testkit.internal.mistral;

import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.internal.KitEmulatorFactory;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import dev.finetune4j.testkit.spi.RunningEmulator;

/** The testkit's {@link MistralEmulator} for tools; Mistral's model ids carry no account name. */
public final class MistralEmulatorFactory extends KitEmulatorFactory {

    /** Created by {@link java.util.ServiceLoader}. */
    public MistralEmulatorFactory() {
        super("mistral", "Mistral");
    }

    @Override
    public RunningEmulator start(EmulatorOptions options) {
        return MistralEmulator.builder().start(options);
    }
}
