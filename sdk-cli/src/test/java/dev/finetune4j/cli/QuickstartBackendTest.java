package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.testkit.Emulators;
import dev.finetune4j.testkit.OpenAiEmulator;
import org.junit.jupiter.api.Test;

/** How the quickstart tells models of its in-process emulator from real ones, by what the emulator SPI says. */
class QuickstartBackendTest {

    private static final String EMULATOR_MODEL = "ft:gpt-4o-mini-2024-07-18:quickstart-emulator::abcd1234";
    private static final String REAL_MODEL = "ft:gpt-4o-mini-2024-07-18:acme::abcd1234";

    private static String mark(String provider) {
        return Emulators.factories().get(provider).modelIdMark(QuickstartBackend.EMULATOR_ORGANIZATION).orElse(null);
    }

    @Test
    void sameKind_keepsEmulatorModelsAndRealModelsApart_whereTheProvidersIdsCarryTheAccount() {
        QuickstartBackend real = new QuickstartBackend("openai", null, "its public API", mark("openai"));
        try (OpenAiEmulator inProcess = OpenAiEmulator.create()) {
            QuickstartBackend emulated = new QuickstartBackend("openai", inProcess, "http://localhost:1/v1",
                    mark("openai"));

            assertThat(mark("openai")).isEqualTo(":quickstart-emulator:");
            assertThat(real.sameKind(REAL_MODEL)).isTrue();
            assertThat(real.sameKind(EMULATOR_MODEL)).isFalse();
            assertThat(emulated.sameKind(EMULATOR_MODEL)).isTrue();
            assertThat(emulated.sameKind(REAL_MODEL)).isFalse();
        }
    }

    @Test
    void sameKind_acceptsEveryModel_whenTheProvidersIdsCannotCarryTheMark() {
        QuickstartBackend mistral = new QuickstartBackend("mistral", null, "its public API", mark("mistral"));

        assertThat(mark("mistral")).isNull();
        assertThat(mistral.sameKind("ft:open-mistral-7b:6f3ad45c:20261203:4e111bbb")).isTrue();
    }
}
