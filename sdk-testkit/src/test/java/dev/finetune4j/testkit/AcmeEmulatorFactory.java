package dev.finetune4j.testkit;

import dev.finetune4j.testkit.spi.EmulatorFactory;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import dev.finetune4j.testkit.spi.RunningEmulator;

/**
 * An emulator from outside the testkit, registered only through {@code META-INF/services}: a
 * made-up OpenAI-compatible provider "acme" whose API is the OpenAI emulator's, serving as Acme
 * under its own environment variables. What a provider module with an OpenAI-compatible API would
 * ship.
 */
public final class AcmeEmulatorFactory implements EmulatorFactory {

    /** Created by {@link java.util.ServiceLoader}. */
    public AcmeEmulatorFactory() {}

    @Override
    public String providerId() {
        return "acme";
    }

    @Override
    public String displayName() {
        return "Acme";
    }

    @Override
    public RunningEmulator start(EmulatorOptions options) {
        return OpenAiEmulator.builder().servesAs("acme", "Acme", "ACME_BASE_URL", "ACME_API_KEY").organization("acme")
                .start(options);
    }
}
