package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.eval.Scorers;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.migration.Migration;
import dev.finetune4j.migration.MigrationSpec;
import dev.finetune4j.migration.MigrationStage;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.TogetherEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An assistant live on an OpenAI fine-tune migrates to Together AI on the emulators in one call:
 * a LoRA fine-tune of an open model on the same dataset version, served serverless (no deployment),
 * proven not worse, promoted; chat then goes to Together.
 */
class MigrationToTogetherTest {

    static final String OPENAI_BASE = "gpt-4o-mini-2024-07-18";
    static final String TOGETHER_BASE = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @RegisterExtension
    static TogetherEmulator together = TogetherEmulator.create();

    @Test
    void anOpenAiAssistant_migratesToTogether_servedServerless_andChatGoesToTogether() {
        VersionStore store = VersionStores.inMemory();
        try (Provider fromOpenAi = openai.provider(); Provider toTogether = together.provider();
                FineTuning ft = FineTuning.builder().store(store).provider(fromOpenAi).provider(toTogether)
                        .pollInterval(Duration.ZERO, Duration.ZERO).build()) {
            Assistant parser = ft.createAssistant("parser", "openai", OPENAI_BASE);
            List<Example> examples = IntStream.range(0, 60).mapToObj(i -> Example.of(
                    Message.system("You parse workout voice notes into JSON."),
                    Message.user("bench " + (40 + i) + " kilos for " + (i % 8 + 1)),
                    Message.assistant("{\"exercise\":\"bench\",\"kg\":" + (40 + i) + ",\"reps\":" + (i % 8 + 1) + "}")))
                    .toList();
            ft.dataset("parser/main").append(examples, null);
            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("parser", "main").build())
                    .awaitCompletionOrThrow(Duration.ofHours(1));
            parser.activate(job.modelVersion().getAsInt(), Change.by("ops", "live on openai"));

            Migration m = ft.migrations().run(MigrationSpec.builder("parser", "together", TOGETHER_BASE)
                    .scorer(Scorers.jsonFields(0.01)).await(Duration.ofHours(1)).build());

            assertThat(m.stage()).as(m.toString()).isEqualTo(MigrationStage.DONE);
            int migrated = m.newVersion().getAsInt();
            assertThat(parser.selection().activeModelVersion()).hasValue(migrated);
            assertThat(together.jobs()).hasSize(1);
            assertThat(ft.deployments().list("parser")).as("served serverless: no deployment").isEmpty();
            ChatResponse answer;
            try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
                answer = router.chat(ChatRequest.of("parser", "bench 45 kilos for 6"));
            }
            assertThat(answer.servedBy().provider()).isEqualTo("together");
            assertThat(answer.servedBy().modelVersion()).isEqualTo(migrated);
            assertThat(answer.servedBy().fallback()).isFalse();
        }
    }
}
