package dev.finetune4j.testkit.internal.huggingface;

import dev.finetune4j.testkit.HuggingFaceEmulator;
import dev.finetune4j.testkit.internal.KitEmulatorFactory;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import dev.finetune4j.testkit.spi.RunningEmulator;

/** The testkit's {@link HuggingFaceEmulator} for tools (Hub and serving below one prefix); the account name is the namespace. */
public final class HuggingFaceEmulatorFactory extends KitEmulatorFactory {

    /** Created by {@link java.util.ServiceLoader}. */
    public HuggingFaceEmulatorFactory() {
        super("huggingface", "Hugging Face");
    }

    @Override
    public RunningEmulator start(EmulatorOptions options) {
        HuggingFaceEmulator.Builder b = HuggingFaceEmulator.builder();
        options.accountName().ifPresent(b::namespace);
        return b.start(options);
    }
}
