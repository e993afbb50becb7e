package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.HuggingFaceEmulator;
import dev.finetune4j.testkit.MistralEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.TogetherEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every provider owes the core, checked once for all of them against their
 * emulators: a job submitted through the core is tagged and can be found by its tag, trains to a
 * registered model version with metrics, and the active version answers chat from its training
 * data; deleting the model at the provider makes the router fall back to the base model.
 */
class ProviderContractTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @RegisterExtension
    static MistralEmulator mistral = MistralEmulator.create();

    @RegisterExtension
    static HuggingFaceEmulator huggingface = HuggingFaceEmulator.builder().namespace("acme").build();

    @RegisterExtension
    static TogetherEmulator together = TogetherEmulator.create();

    private static Provider provider(String id) {
        ProviderConfig.Builder config = ProviderConfig.builder().apiKey(ApiKey.of("sk-test-contract-0123456789"))
                .env(name -> null);
        switch (id) {
            case "openai" -> config.endpoint(URI.create(openai.baseUrl()));
            case "mistral" -> config.endpoint(URI.create(mistral.baseUrl()));
            case "together" -> config.endpoint(URI.create(together.baseUrl()));
            default -> config.endpoint(URI.create(huggingface.hubUrl())).setting("serving_url", huggingface.servingUrl())
                    .setting("logs_idle_seconds", "1").setting("logs_max_seconds", "5");
        }
        return Providers.create(id, config.build());
    }

    /** The provider's default base model, as its descriptor names it; a small Hub model where it names none. */
    private static String baseModel(String id) {
        return Providers.descriptor(id).defaultBaseModel().orElse("Qwen/Qwen2.5-0.5B-Instruct");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "mistral", "huggingface", "together"})
    void submit_findByTag_train_register_chat_delete(String id) {
        Provider provider = provider(id);
        try (FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider)
                .sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 5))).build()) {
            Assistant assistant = ft.createAssistant("parser", id, baseModel(id));
            List<Example> examples = IntStream.range(0, 30).mapToObj(i -> Example.of(
                    Message.system("You parse workout voice notes into JSON."),
                    Message.user("squat " + (60 + i) + " kilos for " + (i % 10 + 1)),
                    Message.assistant("{\"exercise\":\"squat\",\"kg\":" + (60 + i) + ",\"reps\":" + (i % 10 + 1) + "}")))
                    .toList();
            ft.dataset("parser/main").append(examples, null);

            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("parser", "main").build());
            assertThat(provider.training().orElseThrow().findJobByTag(job.id())).as("found again by our tag")
                    .hasValueSatisfying(r -> assertThat(r.remoteId()).isEqualTo(job.remoteId().orElseThrow()));
            job.awaitCompletion(Duration.ofHours(3));

            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            ModelVersion v1 = assistant.modelVersion(job.modelVersion().getAsInt()).orElseThrow();
            assertThat(v1.provider()).isEqualTo(id);
            assertThat(v1.metrics().values()).isNotEmpty();
            assertThat(v1.trainedOn()).isPresent();

            assistant.activate(v1.number(), Change.SYSTEM);
            try (var router = ft.chatRouter(dev.finetune4j.chat.ChatRouter.Options.defaults())) {
                ChatResponse trained = router.chat(ChatRequest.of("parser", "squat 65 kilos for 6"));
                assertThat(trained.servedBy().modelVersion()).isEqualTo(v1.number());
                assertThat(trained.servedBy().fallback()).isFalse();
                assertThat(trained.content()).isEqualTo("{\"exercise\":\"squat\",\"kg\":65,\"reps\":6}");

                provider.training().orElseThrow().deleteModel(v1.providerModelId());
                ChatResponse afterDelete = router.chat(ChatRequest.of("parser", "squat 65 kilos for 6"));
                assertThat(afterDelete.servedBy().fallback()).isTrue();
                assertThat(afterDelete.servedBy().modelVersion()).isZero();
            }
        } finally {
            provider.close();
        }
    }
}
