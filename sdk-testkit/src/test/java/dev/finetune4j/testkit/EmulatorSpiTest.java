package dev.finetune4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.finetune4j.testkit.spi.EmulatorFactory;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import dev.finetune4j.testkit.spi.RunningEmulator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The emulator SPI as a tool (the CLI's emulator and quickstart commands) uses it. */
class EmulatorSpiTest {

    @Test
    void factories_areFoundWithServiceLoader_theTestkitsAndOnesFromElsewhere() {
        Map<String, EmulatorFactory> factories = Emulators.factories();

        assertThat(factories).containsKeys("openai", "mistral", "huggingface", "together", "azure-openai", "acme");
        assertThat(factories.get("together").displayName()).isEqualTo("Together AI");
        assertThat(factories.get("together").modelIdMark("team")).hasValue("team/");
        assertThat(factories.get("azure-openai").displayName()).isEqualTo("Azure OpenAI");
        assertThat(factories.get("huggingface").displayName()).isEqualTo("Hugging Face");
        assertThat(factories.get("openai").modelIdMark("team")).hasValue(":team:");
        assertThat(factories.get("mistral").modelIdMark("team")).isEmpty();
    }

    @Test
    void start_onItsOwnPort_saysWhatAClientSets_andMarksItsModelIdsWithTheAccountName() throws Exception {
        try (RunningEmulator e = Emulators.factories().get("openai").start(EmulatorOptions.builder()
                .accountName("quickstart-emulator").progression(JobProgression.manual()).build())) {
            OpenAiEmulator openai = (OpenAiEmulator) e;
            Http http = new Http(e.baseUrl(), e.clientKey());
            String file = http.uploadJsonl("train.jsonl", TrainingData.jsonl());
            http.postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini", "training_file", file));
            openai.finishJobs();

            assertThat(e.providerId()).isEqualTo("openai");
            assertThat(e.environment()).containsExactly(entry("OPENAI_BASE_URL", e.baseUrl()),
                    entry("OPENAI_API_KEY", "test"));
            assertThat(e.baseUrls()).containsExactly(entry("openai", "http://localhost:" + openai.port() + "/v1"));
            assertThat(openai.jobs().get(0).fineTunedModel()).contains(":quickstart-emulator:");
            assertThat(e.models()).contains("gpt-4o-mini", openai.jobs().get(0).fineTunedModel());
        }
    }

    @Test
    void start_onASharedHost_servesBelowThePrefix_andClosingItLeavesTheHostRunning() throws Exception {
        try (EmulatorHost host = EmulatorHost.start(0)) {
            RunningEmulator hf = Emulators.factories().get("huggingface").start(EmulatorOptions.builder()
                    .host(host, "/hf").recordRequests(false).build());
            RunningEmulator mistral = Emulators.factories().get("mistral").start(EmulatorOptions.builder()
                    .host(host, "/m").build());
            String root = "http://localhost:" + host.port() + "/hf";

            assertThat(hf.environment()).containsExactly(entry("HF_ENDPOINT", root), entry("HF_TOKEN", "test"),
                    entry("HF_SERVING_URL", root + "/v1"), entry("HF_ENDPOINTS_URL", root + "/v2"));
            assertThat(hf.baseUrls()).containsExactly(entry("huggingface", root), entry("huggingface-serving", root + "/v1"),
                    entry("huggingface-endpoints", root + "/v2"));
            assertThat(new Http(root, hf.clientKey()).get("/api/whoami-v2").status()).isEqualTo(200);
            hf.close();
            assertThat(host.isRunning()).isTrue();
            assertThat(new Http(mistral.baseUrl() + "/v1", mistral.clientKey()).get("/models").status()).isEqualTo(200);
        }
    }

    @Test
    void clientKey_isTheOnlyKeyAccepted_whenTheEmulatorWasGivenOne() throws Exception {
        try (MistralEmulator strict = MistralEmulator.builder().apiKey("sk-only").start()) {
            assertThat(strict.clientKey()).isEqualTo("sk-only");
            assertThat(strict.environment()).containsEntry("MISTRAL_API_KEY", "sk-only");
            assertThat(new Http(strict.baseUrl() + "/v1", strict.clientKey()).get("/models").status()).isEqualTo(200);
            assertThat(new Http(strict.baseUrl() + "/v1", "test").get("/models").status()).isEqualTo(401);
        }
    }

    @Test
    void startAll_runsEveryFactoryFound_includingAnEmulatorFromOutsideTheTestkit() throws Exception {
        try (Emulators all = Emulators.startAll(0)) {
            RunningEmulator acme = all.running().stream().filter(r -> r.providerId().equals("acme")).findFirst()
                    .orElseThrow();

            assertThat(all.running()).extracting(RunningEmulator::providerId)
                    .containsExactlyInAnyOrder("openai", "mistral", "huggingface", "together", "azure-openai", "acme");
            assertThat(acme.displayName()).isEqualTo("Acme");
            assertThat(all.openai().providerId()).as("openai() is OpenAI's, not the one serving as acme")
                    .isEqualTo("openai");
            assertThat(acme.baseUrl()).isEqualTo("http://localhost:" + all.port() + "/acme/v1");
            assertThat(all.baseUrls()).containsEntry("acme", acme.baseUrl());
            assertThat(acme.environment()).containsExactly(entry("ACME_BASE_URL", acme.baseUrl()),
                    entry("ACME_API_KEY", "test"));
            assertThat(new Http(acme.baseUrl(), acme.clientKey()).get("/models").status()).isEqualTo(200);
            RunningEmulator azure = all.running().stream().filter(r -> r.providerId().equals("azure-openai"))
                    .findFirst().orElseThrow();
            assertThat(azure.environment()).containsEntry("AZURE_OPENAI_ENDPOINT", azure.baseUrl());
            assertThat(new Http(azure.baseUrl() + "/openai/v1", azure.clientKey()).keyHeader("api-key")
                    .get("/models").status()).isEqualTo(200);
        }
    }

    @Test
    void servesAs_aBlankName_isRefusedNamingWhichOne() {
        assertThatThrownBy(() -> OpenAiEmulator.builder().servesAs("acme", "Acme", " ", "ACME_API_KEY"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrlVariable must not be blank, was ' '");
    }
}
