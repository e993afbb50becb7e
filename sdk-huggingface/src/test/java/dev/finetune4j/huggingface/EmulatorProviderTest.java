package dev.finetune4j.huggingface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.NotFoundException;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.testkit.HuggingFaceEmulator;
import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An emulator hands a host test a ready provider: its module, its environment, no waits on retries. */
class EmulatorProviderTest {

    @RegisterExtension
    static HuggingFaceEmulator hf = HuggingFaceEmulator.create();

    @Test
    void provider_isTheModuleConfiguredForThisEmulator_andRetriesAScriptedFaultAtOnce() {
        hf.on("POST", "/v1/chat/completions").serverErrorNext(2);

        ChatResult answer;
        try (Provider provider = hf.provider()) {
            assertThat(provider.id()).isEqualTo("huggingface");
            answer = provider.chat().orElseThrow().chat(ChatCall.builder(hf.models().get(0))
                    .message(Message.user("squat 315 for 5")).build());
        }

        assertThat(answer.content()).isNotBlank();
        List<RecordedRequest> calls = hf.requests().stream().filter(r -> r.path().endsWith("/chat/completions")).toList();
        assertThat(calls).hasSize(3);
        // the Hub token goes to Hugging Face's own hosts only, never to a serving URL elsewhere (here: localhost)
        assertThat(calls.get(2).header("Authorization")).isEmpty();
    }

    @Test
    void provider_fromACallersBuilder_keepsItsSettings_butTakesTheEmulatorsEnvironment() {
        try (Provider provider = hf.provider(ProviderConfig.builder().timeout(Duration.ofSeconds(7))
                .setting("namespace", "host-app"))) {
            assertThat(provider.id()).isEqualTo("huggingface");
            assertThat(provider.toString()).contains(hf.servingUrl()).doesNotContain(hf.clientKey() + "x");
        }
    }

    @Test
    void provider_withoutItsModuleOnTheClassPath_isRefusedNamingThoseThatAre() {
        MistralEmulator mistral = MistralEmulator.create();
        try {
            assertThatThrownBy(mistral::provider).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("mistral").hasMessageContaining("huggingface");
        } finally {
            mistral.close();
        }
    }
}
