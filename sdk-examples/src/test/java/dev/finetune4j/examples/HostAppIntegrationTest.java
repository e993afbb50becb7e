package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a host application tests its integration: the whole path its code takes — import, train,
 * activate, chat — on the embedded file store and the testkit's OpenAI emulator, with no network
 * and no key. It runs in about two seconds on a laptop (the emulator moves a job one status per
 * poll; the app polls every few milliseconds in tests).
 */
class HostAppIntegrationTest {

    /** Started before the first test, reset before each, stopped after the last. */
    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @TempDir
    Path storeDir;

    @Test
    void trainsActivatesAndChats_againstTheEmulator() {
        long start = System.nanoTime();
        Provider provider = Providers.create("openai", ProviderConfig.builder()
                .endpoint(URI.create(openai.baseUrl()))          // http://localhost:PORT/v1
                .apiKey(ApiKey.of("sk-test"))                     // any key is accepted
                .build());
        try (provider;
                FineTuning ft = FineTuning.builder()
                        .store(VersionStores.file(storeDir))
                        .provider(provider)
                        .sleeper(d -> Thread.sleep(10))           // poll fast: the emulator needs no real time
                        .build()) {
            ft.createAssistant("voice-parser", "openai", "gpt-4o-mini-2024-07-18");
            ft.dataset("voice-parser/main").importJsonl(Path.of("..", "samples", "workout-voice-commands.jsonl"),
                    ImportOptions.defaults(), "sample");

            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build())
                    .awaitCompletion(Duration.ofMinutes(1));
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            ft.assistant("voice-parser").activate(job.modelVersion().orElseThrow(), Change.by("test", "trained"));

            Example trained = firstTrainingExample(ft);
            ChatResponse answer;
            try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {   // one per app, reused
                answer = router.chat(ChatRequest.of("voice-parser", trained.messages().get(1).content().orElseThrow()));
            }

            // A fine-tuned emulated model answers with the training example closest to the question.
            assertThat(answer.content()).isEqualTo(trained.messages().get(2).content().orElseThrow());
            assertThat(answer.servedBy().modelVersion()).isEqualTo(1);
            assertThat(answer.servedBy().fallback()).isFalse();
            assertThat(answer.usage().inputTokens()).isPositive();
            assertThat(openai.jobs()).singleElement().satisfies(j -> assertThat(j.status()).isEqualTo("succeeded"));
        }
        System.out.println("HostAppIntegrationTest: import, train, activate and chat took " + Apps.seconds(start));
    }

    private static Example firstTrainingExample(FineTuning ft) {
        Dataset main = ft.dataset("voice-parser/main");
        try (Stream<Example> train = main.examples(main.latest().orElseThrow(), Split.TRAIN)) {
            return train.findFirst().orElseThrow();
        }
    }
}
