package dev.finetune4j.testkit.internal.openai;

import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.internal.KitEmulatorFactory;
import java.util.Optional;

/** The testkit's {@link OpenAiEmulator} for tools; the account name is the organization in model ids. */
public final class OpenAiEmulatorFactory extends KitEmulatorFactory {

    /** Created by {@link java.util.ServiceLoader}. */
    public OpenAiEmulatorFactory() {
        super("openai", "OpenAI", options -> OpenAiEmulator.builder().start(options));
    }

    /** {@code :ORGANIZATION:}, as in {@code ft:gpt-4o-mini-2024-07-18:ORGANIZATION::abc123}. */
    @Override
    public Optional<String> modelIdMark(String accountName) {
        return Optional.of(":" + accountName + ":");
    }
}
