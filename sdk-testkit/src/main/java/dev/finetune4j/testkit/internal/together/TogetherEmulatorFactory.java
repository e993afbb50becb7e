package dev.finetune4j.testkit.internal.together;

import dev.finetune4j.testkit.TogetherEmulator;
import dev.finetune4j.testkit.internal.KitEmulatorFactory;
import java.util.Optional;

/** The testkit's {@link TogetherEmulator} for tools; the account name starts every fine-tuned model's name. */
public final class TogetherEmulatorFactory extends KitEmulatorFactory {

    /** Created by {@link java.util.ServiceLoader}. */
    public TogetherEmulatorFactory() {
        super("together", "Together AI", options -> TogetherEmulator.builder().start(options));
    }

    /** {@code ACCOUNT/}, as in {@code ACCOUNT/Meta-Llama-3.1-8B-Instruct-Reference-my-suffix-1a2b3c4d}. */
    @Override
    public Optional<String> modelIdMark(String accountName) {
        return Optional.of(accountName + "/");
    }
}
