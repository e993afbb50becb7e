package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.capture.Capture;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.EmulatedFile;
import dev.finetune4j.testkit.EmulatedJob;
import dev.finetune4j.testkit.OpenAiEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LearningFromProductionExampleTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @Test
    void run_capturesRatesCuratesAndTrainsV2_whoseTrainingDataHoldsTheCorrection() {
        try (Apps.App app = Apps.start(VersionStores.inMemory(), openai, null)) {
            Trained.v1(app.ft());
            app.ft().assistant("voice-parser").activate(1, dev.finetune4j.assistant.Change.SYSTEM);

            LearningFromProductionExample.Loop loop = LearningFromProductionExample.run(app.ft());

            // the e-mail address was redacted before the capture was written
            Capture second = app.ft().captures().find(loop.callIds().get(1)).orElseThrow();
            assertThat(second.messages().get(0).content()).contains("log 3 pull-ups, send to [email]");
            // 3 rated up or corrected, 1 rejected; the new version is v2 = v1 + 3
            assertThat(loop.curated().selected()).isEqualTo(4);
            assertThat(loop.curated().rejected()).isEqualTo(1);
            DatasetVersion v2 = loop.curated().appended().version().orElseThrow();
            assertThat(v2.number()).isEqualTo(2);
            assertThat(loop.curated().appended().added()).isEqualTo(3);
            // model v2 was trained on dataset v2, and the file the provider trained on holds the correction
            assertThat(loop.job().modelVersion()).isPresent();
            EmulatedJob remote = openai.jobs().get(openai.jobs().size() - 1);
            EmulatedFile trainingFile = openai.files().stream()
                    .filter(f -> f.id().equals(remote.trainingFiles().get(0))).findFirst().orElseThrow();
            assertThat(trainingFile.content())
                    .contains(LearningFromProductionExample.CORRECTION.replace("\"", "\\\""))
                    .contains("RDL 100 kilos for 10")
                    .contains("send to [email]")
                    .doesNotContain("bob@example.com")
                    .doesNotContain("lunges 20 kg 8 each leg");
            assertThat(app.ft().assistant("voice-parser").modelVersion(2).orElseThrow().trainedOn().orElseThrow()
                    .versionId()).isEqualTo(v2.id());
        }
    }
}
