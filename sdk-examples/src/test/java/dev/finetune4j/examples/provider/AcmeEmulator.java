package dev.finetune4j.examples.provider;

import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.spi.EmulatorFactory;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import dev.finetune4j.testkit.spi.RunningEmulator;
import java.util.List;

/**
 * Acme AI's emulator, for its tests and for tools: Acme speaks the OpenAI protocol, so it is the
 * testkit's OpenAI emulator serving as Acme, with Acme's models and environment variables.
 * Registered in this module's test {@code META-INF/services/dev.finetune4j.testkit.spi.EmulatorFactory},
 * where {@code Emulators.startAll} and the CLI's {@code emulator} and {@code quickstart} commands
 * find it.
 */
public final class AcmeEmulator implements EmulatorFactory {

    /** Created by {@link java.util.ServiceLoader}. */
    public AcmeEmulator() {}

    /** An emulator set up as Acme's, not started yet: its id, variables, models and fine-tuned ids. */
    static OpenAiEmulator.Builder builder() {
        return OpenAiEmulator.builder().servesAs("acme", "Acme AI", "ACME_BASE_URL", "ACME_API_KEY")
                .organization("acme").baseModels(List.of("acme-small", "acme-large"));
    }

    @Override
    public String providerId() {
        return "acme";
    }

    @Override
    public String displayName() {
        return "Acme AI";
    }

    @Override
    public RunningEmulator start(EmulatorOptions options) {
        return builder().start(options);
    }
}
