package dev.finetune4j.examples.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.testkit.Emulators;
import dev.finetune4j.testkit.spi.RunningEmulator;
import org.junit.jupiter.api.Test;

/** Acme's emulator is found through the testkit's emulator SPI, as the CLI's tools find it. */
class AcmeEmulatorTest {

    @Test
    void theEmulatorSpi_findsAcmesEmulator_servingAcmesModelsUnderAcmesVariables() {
        try (Emulators all = Emulators.startAll(0)) {
            RunningEmulator acme = all.running().stream().filter(e -> e.providerId().equals("acme")).findFirst()
                    .orElseThrow();

            assertThat(acme.displayName()).isEqualTo("Acme AI");
            assertThat(acme.environment()).containsOnlyKeys("ACME_BASE_URL", "ACME_API_KEY");
            assertThat(acme.environment().get("ACME_BASE_URL")).isEqualTo(acme.baseUrl())
                    .isEqualTo("http://localhost:" + all.port() + "/acme/v1");
            assertThat(acme.models()).startsWith("acme-small");
        }
    }
}
