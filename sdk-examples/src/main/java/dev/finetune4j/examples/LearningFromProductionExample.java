package dev.finetune4j.examples;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.capture.CapturePolicy;
import dev.finetune4j.capture.CaptureQuery;
import dev.finetune4j.capture.Captures;
import dev.finetune4j.capture.CurationResult;
import dev.finetune4j.capture.Feedback;
import dev.finetune4j.capture.Redactor;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import java.time.Duration;
import java.util.List;

/**
 * Learning from production, as the README shows it: capture the live assistant's calls (redacted
 * by the application before anything is stored), let users rate the answers and correct one,
 * curate the rated calls into a new dataset version, and train the next model version on it.
 *
 * <p>Needs an assistant {@code voice-parser} with a dataset {@code main} and an active model version
 * (the test trains v1 on the testkit's OpenAI emulator).
 */
public final class LearningFromProductionExample {

    private LearningFromProductionExample() {}

    /** The system prompt every call is answered with. */
    static final String SYSTEM = "You are a voice command parser for workout logging. Reply with JSON only.";

    /** The answer a user typed in place of a wrong one. */
    public static final String CORRECTION =
            "{\"exercise_name\":\"Romanian Deadlift\",\"weight\":100,\"weight_unit\":\"kg\",\"reps\":10,\"rpe\":null}";

    /**
     * What happened.
     *
     * @param callIds the four production calls, in order
     * @param curated what curation appended to {@code voice-parser/main}
     * @param job the training run on the new dataset version
     */
    public record Loop(List<String> callIds, CurationResult curated, FineTuneJob job) {}

    /** Runs the loop once for {@code voice-parser}. */
    public static Loop run(FineTuning ft) {
        Assistant parser = ft.assistant("voice-parser");
        parser.createPrompt(SYSTEM, List.of(), "the parser's instructions");
        parser.activatePrompt(1, Change.by("alice", "instructions in the prompt, not in every call"));

        // 1. Capture is opt-in per assistant. The redactor runs before anything is written: here
        //    e-mail addresses never reach the store.
        Captures captures = ft.captures();
        Redactor noEmails = text -> text.replaceAll("[\\w.+-]+@[\\w-]+\\.[\\w.]+", "[email]");
        captures.enable("voice-parser", CapturePolicy.builder().sampling(1.0).redactor(noEmails).build());

        // 2. Production traffic: every answer carries a call id the application keeps with it.
        List<String> callIds;
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            callIds = List.of(
                    router.chat(ChatRequest.of("voice-parser", "incline bench 60 kilos for 12")).callId(),
                    router.chat(ChatRequest.of("voice-parser", "log 3 pull-ups, send to bob@example.com")).callId(),
                    router.chat(ChatRequest.of("voice-parser", "RDL 100 kilos for 10")).callId(),
                    router.chat(ChatRequest.of("voice-parser", "lunges 20 kg 8 each leg")).callId());
        }

        // 3. Users rate answers; one corrects a wrong one; one answer is rejected outright.
        captures.feedback(callIds.get(0), Feedback.up());
        captures.feedback(callIds.get(1), Feedback.up().withTag("topic", "bodyweight"));
        captures.feedback(callIds.get(2), Feedback.down().withCorrection(CORRECTION).withNote("RDL is a deadlift"));
        captures.feedback(callIds.get(3), Feedback.down());

        // 4. Curate the rated calls into the next dataset version: corrections replace answers,
        //    rejected answers are skipped, the rest is validated and deduplicated like any import.
        CurationResult curated = captures.curate(CaptureQuery.builder("voice-parser").withFeedback().build(),
                ft.dataset("voice-parser/main"), ImportOptions.defaults(), "rated production calls");

        // 5. Train the next model version on it (the latest version of the dataset).
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build())
                .awaitCompletion(Duration.ofHours(2));
        if (job.status() != JobStatus.SUCCEEDED) {
            throw new IllegalStateException("job " + job.id() + " ended " + job.status());
        }
        return new Loop(callIds, curated, job);
    }
}
