package dev.finetune4j.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.EmulatedFile;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An upload is reused only where it lives: one store used against two endpoints (an emulator, then
 * another one, as with an emulator and then the real service) uploads the same dataset version to
 * each, and each job names its own endpoint's file; against one endpoint it uploads once.
 */
class UploadScopeTest {

    @RegisterExtension
    static OpenAiEmulator here = OpenAiEmulator.builder().seed(1).build();

    @RegisterExtension
    static OpenAiEmulator there = OpenAiEmulator.builder().seed(2).build();

    private final VersionStore store = VersionStores.inMemory();

    private FineTuning fineTuning(OpenAiEmulator endpoint) {
        OpenAiProvider provider = new OpenAiProviderFactory().create(ProviderConfig.builder()
                .endpoint(URI.create(endpoint.baseUrl())).apiKey(ApiKey.of("sk-test")).env(name -> null).build());
        return FineTuning.builder().store(store).provider(provider).sleeper(d -> Thread.sleep(5)).build();
    }

    private static void createAssistantWithData(FineTuning ft) {
        ft.createAssistant("ava", "openai", "gpt-4o-mini-2024-07-18");
        ft.dataset("ava/main").append(IntStream.range(0, 20).mapToObj(i -> Example.of(
                Message.user("squat " + (60 + i)), Message.assistant("{\"kg\":" + (60 + i) + "}"))).toList(), null);
    }

    private static FineTuneJob train(FineTuning ft, boolean again) {
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("ava", "main").again(again).build())
                .awaitCompletion(Duration.ofMinutes(1));
        assertThat(job.status()).as("%s", job.error()).isEqualTo(JobStatus.SUCCEEDED);
        return job;
    }

    private static List<String> fileIds(OpenAiEmulator endpoint) {
        return endpoint.files().stream().filter(f -> f.purpose().equals("fine-tune")).map(EmulatedFile::id).toList();
    }

    private static long uploads(OpenAiEmulator endpoint) {
        return endpoint.requests().stream().filter(r -> r.method().equals("POST") && r.path().equals("/v1/files"))
                .count();
    }

    @Test
    void theSameDatasetVersion_isUploadedToEachEndpoint_andEachJobNamesItsOwnEndpointsFile() {
        try (FineTuning atHere = fineTuning(here)) {
            createAssistantWithData(atHere);
            train(atHere, false);
        }
        try (FineTuning atThere = fineTuning(there)) {
            train(atThere, true);
        }

        assertThat(uploads(here)).as("training and validation files").isEqualTo(2);
        assertThat(uploads(there)).as("uploaded again, not reused from the other endpoint").isEqualTo(2);
        assertThat(here.jobs()).singleElement().satisfies(j -> {
            assertThat(fileIds(here)).containsAll(j.trainingFiles()).contains(j.validationFile());
        });
        assertThat(there.jobs()).singleElement().satisfies(j -> {
            assertThat(fileIds(there)).containsAll(j.trainingFiles()).contains(j.validationFile());
            assertThat(fileIds(here)).doesNotContainAnyElementsOf(j.trainingFiles());
        });
    }

    @Test
    void theSameDatasetVersion_submittedTwiceToOneEndpoint_isUploadedOnce() {
        try (FineTuning ft = fineTuning(here)) {
            createAssistantWithData(ft);
            train(ft, false);
            train(ft, true);
        }

        assertThat(uploads(here)).as("training and validation files, once").isEqualTo(2);
        assertThat(here.jobs()).hasSize(2);
        assertThat(here.jobs().get(1).trainingFiles()).isEqualTo(here.jobs().get(0).trainingFiles());
    }
}
