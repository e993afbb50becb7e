package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PortabilityExampleTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @RegisterExtension
    static MistralEmulator mistral = MistralEmulator.create();

    @TempDir
    Path dir;

    @Test
    void run_exportsForTrlAndTrainsTheSameVersionOnMistral_keepingTheLineage() throws Exception {
        try (Apps.App app = Apps.start(VersionStores.inMemory(), openai, mistral)) {
            Trained.v1(app.ft());
            ModelVersion onOpenAi = app.ft().assistant("voice-parser").modelVersion(1).orElseThrow();
            Path trl = dir.resolve("voice-parser-main.trl.jsonl");

            PortabilityExample.Moved moved = PortabilityExample.run(app.ft(), trl);

            long train = app.ft().dataset("voice-parser/main").count(moved.datasetVersion(), Split.TRAIN);
            assertThat(moved.exported().examplesWritten()).isEqualTo(train);
            assertThat(moved.exported().isLossless()).isTrue();
            assertThat(Files.readAllLines(trl)).hasSize((int) train)
                    .allSatisfy(l -> assertThat(l).startsWith("{\"messages\":["));
            assertThat(moved.mistral().number()).isEqualTo(2);
            assertThat(moved.mistral().provider()).isEqualTo("mistral");
            assertThat(moved.mistral().baseModel()).isEqualTo("open-mistral-7b");
            assertThat(moved.mistral().providerModelId()).startsWith("ft:open-mistral-7b:");
            assertThat(moved.mistral().trainedOn().orElseThrow().versionId())
                    .isEqualTo(onOpenAi.trainedOn().orElseThrow().versionId())
                    .isEqualTo(moved.datasetVersion().id());
            assertThat(mistral.jobs()).singleElement().satisfies(j -> assertThat(j.status()).isEqualTo("SUCCESS"));
        }
    }
}
