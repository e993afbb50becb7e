package dev.finetune4j.testkit.internal.mistral;

import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.internal.KitEmulatorFactory;

/** The testkit's {@link MistralEmulator} for tools; Mistral's model ids carry no account name. */
public final class MistralEmulatorFactory extends KitEmulatorFactory {

    /** Created by {@link java.util.ServiceLoader}. */
    public MistralEmulatorFactory() {
        super("mistral", "Mistral", options -> MistralEmulator.builder().start(options));
    }
}
