package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.chat.Arm;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.OpenAiEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ChatRoutingExampleTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @Test
    void run_routesToActiveCandidatePinnedAndFallsBackWhenTheModelIsGone() {
        try (Apps.App app = Apps.start(VersionStores.inMemory(), openai, null)) {
            Trained.v1(app.ft());
            Trained.v2(app.ft());

            ChatRoutingExample.Routing r = ChatRoutingExample.run(app.ft());

            assertThat(r.first().modelVersion()).isEqualTo(1);
            assertThat(r.first().arm()).isEqualTo(Arm.ACTIVE);
            assertThat(r.first().fallback()).isFalse();
            assertThat(r.arms().get(Arm.ACTIVE) + r.arms().get(Arm.CANDIDATE)).isEqualTo(200);
            assertThat(r.arms().get(Arm.CANDIDATE)).isBetween(5, 40);
            assertThat(r.sticky()).isTrue();
            assertThat(r.pinned().arm()).isEqualTo(Arm.PINNED);
            assertThat(r.pinned().modelVersion()).isEqualTo(2);
            assertThat(r.fallback().servedBy().fallback()).isTrue();
            assertThat(r.fallback().servedBy().baseModel()).isTrue();
            assertThat(r.fallback().servedBy().providerModelId()).isEqualTo("gpt-4o-mini-2024-07-18");
            assertThat(r.fallback().servedBy().fallbackReason()).contains("404");
            assertThat(openai.models()).doesNotContain(app.ft().assistant("voice-parser").modelVersion(2)
                    .orElseThrow().providerModelId());
        }
    }
}
