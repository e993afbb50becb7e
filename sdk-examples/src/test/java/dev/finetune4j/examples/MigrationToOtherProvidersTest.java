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
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.AzureOpenAiEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.TogetherEmulator;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An assistant live on an OpenAI fine-tune migrates in one call, on the emulators, to the providers
 * users are moving to: Azure OpenAI (trained on the same dataset version, deployed through Azure
 * Resource Manager, since Azure serves a fine-tuned model only once deployed) and Together AI (a LoRA
 * fine-tune served serverless, no deployment); each proven not worse, promoted, and answering.
 */
class MigrationToOtherProvidersTest {

    static final String OPENAI_BASE = "gpt-4o-mini-2024-07-18";

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @RegisterExtension
    static AzureOpenAiEmulator azure = AzureOpenAiEmulator.create();

    @RegisterExtension
    static TogetherEmulator together = TogetherEmulator.create();

    @Test
    void toAzure_deploysThroughArm_andChatGoesToTheDeployment() {
        try (Provider target = azure.provider()) {
            ChatResponse answer = migrateAndAsk(target, "gpt-4.1-mini-2025-04-14", (ft, migrated) -> {
                assertThat(azure.jobs()).hasSize(1);
                // the emulator also holds the base models' deployments; ours are named by our deployment id
                assertThat(azure.deployments().stream().filter(d -> d.name().startsWith("ftd-")).toList())
                        .singleElement().satisfies(d -> assertThat(d.model()).contains(".ft-"));
                assertThat(ft.deployments().list("parser")).singleElement()
                        .satisfies(d -> assertThat(d.state().routable()).isTrue());
            });
            assertThat(azure.requests()).anySatisfy(r -> assertThat(r.path()).endsWith("/chat/completions")
                    .satisfies(p -> assertThat(r.body()).contains("\"model\":\"ftd-")));
            assertThat(answer.servedBy().provider()).isEqualTo("azure-openai");
        }
    }

    @Test
    void toTogether_isServedServerless_withoutADeployment() {
        try (Provider target = together.provider()) {
            ChatResponse answer = migrateAndAsk(target, "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
                    (ft, migrated) -> {
                        assertThat(together.jobs()).hasSize(1);
                        assertThat(ft.deployments().list("parser")).as("served serverless").isEmpty();
                    });
            assertThat(answer.servedBy().provider()).isEqualTo("together");
        }
    }

    private interface Checks {
        void after(FineTuning ft, int migratedVersion);
    }

    /**
     * Puts an assistant live on an OpenAI fine-tune, migrates it to {@code target} in one call,
     * runs {@code checks}, and returns the next chat answer, which must come from the migrated
     * version without a fallback.
     */
    private static ChatResponse migrateAndAsk(Provider target, String targetBase, Checks checks) {
        try (Provider source = openai.provider();
                FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(source).provider(target)
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

            Migration m = ft.migrations().run(MigrationSpec.builder("parser", target.id(), targetBase)
                    .scorer(Scorers.jsonFields(0.01)).await(Duration.ofHours(1)).build());

            assertThat(m.stage()).as(m.toString()).isEqualTo(MigrationStage.DONE);
            int migrated = m.newVersion().getAsInt();
            assertThat(parser.selection().activeModelVersion()).hasValue(migrated);
            checks.after(ft, migrated);
            ChatResponse answer;
            try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
                answer = router.chat(ChatRequest.of("parser", "bench 45 kilos for 6"));
            }
            assertThat(answer.servedBy().modelVersion()).isEqualTo(migrated);
            assertThat(answer.servedBy().fallback()).isFalse();
            return answer;
        }
    }
}
