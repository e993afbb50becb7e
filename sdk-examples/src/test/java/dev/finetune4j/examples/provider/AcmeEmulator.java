package dev.finetune4j.examples.provider;

import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.spi.EmulatorFactory;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import dev.finetune4j.testkit.spi.RunningEmulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Acme AI's emulator: Acme speaks the OpenAI protocol, so it is the testkit's OpenAI emulator with
 * Acme's models, serving under Acme's environment variables. {@link Factory} makes it discoverable
 * through the testkit's emulator SPI (registered in this module's test {@code META-INF/services}).
 */
final class AcmeEmulator implements RunningEmulator {

    private final OpenAiEmulator api;

    /** Acme's view of {@code api}, an emulator built from {@link #builder()}. */
    AcmeEmulator(OpenAiEmulator api) {
        this.api = api;
    }

    /** An OpenAI emulator set up as Acme's: its models, fine-tuned ids naming {@code acme}. */
    static OpenAiEmulator.Builder builder() {
        return OpenAiEmulator.builder().organization("acme").baseModels(List.of("acme-small", "acme-large"));
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
    public String baseUrl() {
        return api.baseUrl();
    }

    @Override
    public Map<String, String> baseUrls() {
        return Map.of("acme", api.baseUrl());
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ACME_BASE_URL", api.baseUrl());
        env.put("ACME_API_KEY", api.clientKey());
        return env;
    }

    @Override
    public String clientKey() {
        return api.clientKey();
    }

    @Override
    public List<String> models() {
        return api.models();
    }

    @Override
    public void close() {
        api.close();
    }

    /** Starts Acme's emulator for tools ({@code Emulators.startAll}, the CLI's {@code emulator} command). */
    public static final class Factory implements EmulatorFactory {

        /** Created by {@link java.util.ServiceLoader}. */
        public Factory() {}

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
            return new AcmeEmulator(builder().start(options));
        }
    }
}
