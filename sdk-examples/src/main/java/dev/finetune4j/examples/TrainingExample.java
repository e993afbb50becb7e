package dev.finetune4j.examples;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobEstimate;
import dev.finetune4j.job.JobStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Training, as the README shows it: estimate a job locally, submit it (recorded before any remote
 * call), and — after the application restarted in the middle of training — pick it up again with
 * {@code resume()}, wait for it, and read the model version it registered with its lineage.
 *
 * <p>Each method takes a {@link FineTuning} built by the host application with its store and its
 * providers (found by id with {@code dev.finetune4j.spi.Providers.create("openai", config)}); the
 * test builds them on the testkit's OpenAI emulator.
 */
public final class TrainingExample {

    private TrainingExample() {}

    /** What {@link #submit} did before the application stopped. */
    public record Submitted(String jobId, JobEstimate estimate, JobStatus status) {}

    /**
     * Before the restart: an assistant, its dataset, a local estimate, and a submitted job. Returns
     * at once; the job trains at the provider while the application is down.
     */
    public static Submitted submit(FineTuning ft, Path trainingFile) {
        ft.createAssistant("voice-parser", "openai", "gpt-4o-mini-2024-07-18");
        ft.dataset("voice-parser/main").importJsonl(trainingFile, ImportOptions.defaults(), "first batch");

        FineTuneSpec spec = FineTuneSpec.builder("voice-parser", "main")       // latest version of the dataset
                .hyperparameters(Hyperparameters.builder().epochs(3).build())
                .build();
        JobEstimate estimate = ft.jobs().estimate(spec);   // tokens and price; nothing leaves the machine
        FineTuneJob job = ft.jobs().submit(spec);          // recorded, uploaded, created remotely, tagged
        return new Submitted(job.id(), estimate, job.status());
    }

    /**
     * After the restart: reconcile every unfinished job (never creating a second remote job), wait
     * for ours, and read the model version it registered. The version is ready but not live.
     */
    public static ModelVersion afterRestart(FineTuning ft, String jobId) {
        List<FineTuneJob> touched = ft.jobs().resume();               // every unfinished job, refreshed
        assert touched.stream().anyMatch(j -> j.id().equals(jobId));

        FineTuneJob job = ft.jobs().job(jobId)                        // re-attach by our id
                .awaitCompletion(Duration.ofHours(2));                // polls on this thread, no thread left behind
        if (job.status() != JobStatus.SUCCEEDED) {
            throw new IllegalStateException("job " + job.id() + " ended " + job.status()
                    + job.error().map(e -> ": " + e).orElse(""));
        }
        int number = job.modelVersion().orElseThrow();                // registered once, with lineage
        return ft.assistant("voice-parser").modelVersion(number).orElseThrow();
    }
}
