package dev.finetune4j.examples;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.ModelVersionSpec;
import dev.finetune4j.assistant.PromptVersion;
import dev.finetune4j.assistant.Selection;
import dev.finetune4j.assistant.TimelineEntry;
import dev.finetune4j.store.VersionStore;
import java.util.List;
import java.util.stream.Stream;

/**
 * The "learning path" of an avatar, as the README shows it: every trained model kept as a version,
 * exactly one live, prompts versioned separately, rollback, delete, and the timeline.
 */
public final class VersionsExample {

    private VersionsExample() {}

    /** Runs the learning path on a store; returns the timeline as printed lines. */
    public static List<String> run(VersionStore store) {
        try (FineTuning ft = FineTuning.builder().store(store).build()) {
            Assistant ava = ft.createAssistant("avatar-42", "openai", "gpt-4o-mini-2024-07-18");

            // Models trained elsewhere (or by a finished job) become numbered versions, not live ones.
            ModelVersion v1 = ava.importModel("openai", "ft:gpt-4o-mini-2024-07-18:acme:ava:7p4lURel",
                    "gpt-4o-mini-2024-07-18", "44 English examples");
            ModelVersion v2 = ava.importModel("openai", "ft:gpt-4o-mini-2024-07-18:acme:ava:96olL566",
                    "gpt-4o-mini-2024-07-18", "+50 Chinese examples");

            // Prompt versions are independent of model versions.
            PromptVersion friendly = ava.createPrompt("You are Ava, a friendly fitness coach.", List.of(), "friendly");
            ava.activatePrompt(friendly.number(), Change.by("alice", "launch tone"));

            ava.activate(v1.number(), Change.by("alice", "first fine-tune"));
            ava.activate(v2.number(), Change.by("bob", "more languages"));
            Selection back = ava.rollback(Change.by("alice", "v2 mixes languages"));   // v1 again
            ava.setCandidate(v2.number(), 10, Change.by("alice", "retry v2 on 10 % of users"));
            ava.delete(v2.number(), Change.by("alice", "give up on v2"));              // leaves the selection first

            assert back.activeModelVersion().getAsInt() == v1.number();
            try (Stream<TimelineEntry> timeline = ava.timeline()) {
                return timeline.map(e -> e.action() + " by " + e.actor() + ": " + e.after().describe()).toList();
            }
        }
    }
}
