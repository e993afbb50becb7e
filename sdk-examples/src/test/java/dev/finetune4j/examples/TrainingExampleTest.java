package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.assistant.ModelState;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.OpenAiEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TrainingExampleTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @Test
    void submit_thenRestart_resumesTheSameRemoteJobAndRegistersOneModelVersionWithLineage() {
        VersionStore store = VersionStores.inMemory();

        TrainingExample.Submitted submitted;
        try (Apps.App app = Apps.start(store, openai, null)) {
            submitted = TrainingExample.submit(app.ft(), Apps.SAMPLE);
        }
        ModelVersion v1;
        try (Apps.App restarted = Apps.start(store, openai, null)) {
            v1 = TrainingExample.afterRestart(restarted.ft(), submitted.jobId());
        }

        assertThat(submitted.estimate().trainingExamples() + submitted.estimate().validationExamples()).isEqualTo(57);
        assertThat(submitted.estimate().cost()).hasValueSatisfying(c -> assertThat(c.epochs()).isEqualTo(3));
        assertThat(submitted.status()).isEqualTo(JobStatus.VALIDATING);
        assertThat(openai.jobs()).singleElement().satisfies(j -> {
            assertThat(j.status()).isEqualTo("succeeded");
            assertThat(j.fineTunedModel()).isEqualTo(v1.providerModelId());
        });
        assertThat(v1.number()).isEqualTo(1);
        assertThat(v1.state()).isEqualTo(ModelState.READY);
        assertThat(v1.jobId()).contains(submitted.jobId());
        assertThat(v1.trainedOn()).hasValueSatisfying(t -> {
            assertThat(t.dataset()).isEqualTo("voice-parser/main");
            assertThat(t.versionNumber()).isEqualTo(1);
        });
        assertThat(v1.hyperparameters()).containsEntry("n_epochs", "3");
        assertThat(v1.metrics().trainLoss()).isPresent();
        assertThat(v1.cost()).isPresent();
    }
}
