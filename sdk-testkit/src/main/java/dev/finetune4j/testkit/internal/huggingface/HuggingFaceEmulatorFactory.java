package dev.finetune4j.testkit.internal.huggingface;

import dev.finetune4j.testkit.HuggingFaceEmulator;
import dev.finetune4j.testkit.internal.KitEmulatorFactory;

/** The testkit's {@link HuggingFaceEmulator} for tools (Hub and serving below one prefix); the account name is the namespace. */
public final class HuggingFaceEmulatorFactory extends KitEmulatorFactory {

    /** Created by {@link java.util.ServiceLoader}. */
    public HuggingFaceEmulatorFactory() {
        super("huggingface", "Hugging Face", options -> HuggingFaceEmulator.builder().start(options));
    }
}
