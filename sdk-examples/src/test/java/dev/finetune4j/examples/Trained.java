package dev.finetune4j.examples;

import dev.finetune4j.FineTuning;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import java.time.Duration;

/** Test set-up: the sample's assistant with model versions trained through real jobs on the emulator. */
final class Trained {

    private Trained() {}

    /** voice-parser (openai, gpt-4o-mini) with dataset main v1 = the sample, and model v1 trained on it. */
    static void v1(FineTuning ft) {
        ft.createAssistant("voice-parser", "openai", "gpt-4o-mini-2024-07-18");
        ft.dataset("voice-parser/main").importJsonl(Apps.SAMPLE, ImportOptions.defaults(), "sample");
        train(ft);
    }

    /** After {@link #v1}: dataset v2 = v1 + the second batch, and model v2 trained on it. */
    static void v2(FineTuning ft) {
        ft.dataset("voice-parser/main").importJsonl(Apps.BATCH2, ImportOptions.defaults(), "batch 2");
        train(ft);
    }

    private static void train(FineTuning ft) {
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build())
                .awaitCompletion(Duration.ofMinutes(1));
        if (job.status() != JobStatus.SUCCEEDED || job.modelVersion().isEmpty()) {
            throw new AssertionError("training failed: " + job);
        }
    }
}
