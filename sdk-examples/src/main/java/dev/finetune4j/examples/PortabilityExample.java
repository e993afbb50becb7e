package dev.finetune4j.examples;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.format.ConversionReport;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.DatasetWriter;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Moving providers, as the README shows it: the dataset version an OpenAI model was trained on is
 * exported for Hugging Face TRL and trained on Mistral as it is; the new model version records the
 * same dataset version, so the lineage carries across providers.
 *
 * <p>Needs an assistant {@code voice-parser} (on OpenAI) with a dataset {@code main} (the test
 * builds it on the testkit's emulators).
 */
public final class PortabilityExample {

    private PortabilityExample() {}

    /**
     * What moved.
     *
     * @param exported the export of the training split for Hugging Face TRL
     * @param datasetVersion the dataset version both providers got
     * @param mistral the model version trained on Mistral
     */
    public record Moved(ConversionReport exported, DatasetVersion datasetVersion, ModelVersion mistral) {}

    /** Exports the latest version of {@code voice-parser/main} for TRL and trains it on Mistral. */
    public static Moved run(FineTuning ft, Path trlFile) throws IOException {
        Dataset dataset = ft.dataset("voice-parser/main");
        DatasetVersion version = dataset.latest().orElseThrow();

        // 1. The training split as TRL's "messages" JSONL, for a run on open weights.
        ConversionReport exported;
        try (OutputStream os = Files.newOutputStream(trlFile);
                DatasetWriter writer = DatasetWriter.open(DatasetFormat.HF_MESSAGES, os);
                Stream<Example> train = dataset.examples(version, Split.TRAIN)) {
            train.forEach(writer::write);
            exported = writer.report();       // counts are final once every example was written
        }

        // 2. The same version trained on Mistral: another provider needs its own base model.
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main")
                .datasetVersion(version.id())
                .provider("mistral")
                .baseModel("open-mistral-7b")
                .build());
        job.awaitCompletion(Duration.ofHours(2));
        if (job.status() != JobStatus.SUCCEEDED) {
            throw new IllegalStateException("job " + job.id() + " ended " + job.status());
        }
        ModelVersion onMistral = ft.assistant("voice-parser").modelVersion(job.modelVersion().orElseThrow())
                .orElseThrow();
        return new Moved(exported, version, onMistral);
    }
}
