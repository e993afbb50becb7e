package dev.finetune4j.testkit;

import dev.finetune4j.testkit.spi.EmulatorFactory;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import dev.finetune4j.testkit.spi.RunningEmulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An emulator from outside the testkit, registered only through {@code META-INF/services}: a
 * made-up OpenAI-compatible provider "acme" whose API is the OpenAI emulator's, under its own
 * environment variables. What a provider module with an OpenAI-compatible API would ship.
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
        OpenAiEmulator api = OpenAiEmulator.builder().organization("acme").start(options);
        return new RunningEmulator() {
            @Override
            public String providerId() {
                return "acme";
            }

            @Override
            public String displayName() {
                return "Acme";
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
        };
    }
}
