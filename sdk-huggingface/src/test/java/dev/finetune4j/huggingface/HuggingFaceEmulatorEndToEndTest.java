package dev.finetune4j.huggingface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.HuggingFaceEmulator;
import java.net.URI;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The provider and the core against the testkit's emulator, beyond what {@link
 * HuggingFaceProviderContractTest} checks for every provider: the Hub repositories it writes, the
 * job's labels and what it keeps out of the job's environment, polling on a recording sleeper.
 */
class HuggingFaceEmulatorEndToEndTest {

    static final String BASE = "Qwen/Qwen2.5-0.5B-Instruct";

    @RegisterExtension
    static HuggingFaceEmulator hf = HuggingFaceEmulator.builder().namespace("acme").apiKey("hf_e2e_token_0123456789")
            .build();

    @Test
    void submit_await_registersAVersion_andTheActiveVersionAnswersFromItsTrainingData() {
        TestSupport.FakeTime time = new TestSupport.FakeTime();
        HuggingFaceProvider provider = new HuggingFaceProviderFactory().create(ProviderConfig.builder()
                .endpoint(URI.create(hf.hubUrl()))
                .apiKey(ApiKey.of("hf_e2e_token_0123456789"))
                .setting("serving_url", hf.servingUrl())
                .setting("logs_idle_seconds", "2")
                .setting("logs_max_seconds", "10")
                .sleeper(time)
                .clock(time)
                .env(name -> null)
                .build());
        FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider).sleeper(time)
                .clock(time).build();
        Assistant assistant = ft.createAssistant("huggingface", "huggingface", BASE);
        ft.dataset("huggingface/main").append(IntStream.range(1, 13).mapToObj(i -> Example.of(
                Message.system("You parse workout voice notes into JSON."),
                Message.user("bench press " + i + " reps at " + (40 + i) + " kilos"),
                Message.assistant("{\"exercise\":\"bench press\",\"reps\":" + i + ",\"kg\":" + (40 + i) + "}")))
                .toList(), null);

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("huggingface", "main").build());
        job.awaitCompletion(Duration.ofHours(3));

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(time.sleeps()).as("polled on the injected sleeper, never for real").isNotEmpty();
        ModelVersion v1 = assistant.modelVersion(1).orElseThrow();
        assertThat(v1.providerModelId()).isEqualTo("acme/huggingface-" + job.id());
        assertThat(v1.baseModel()).isEqualTo(BASE);
        assertThat(v1.metrics().trainLoss()).isPresent();
        assertThat(hf.repo("dataset", "acme/huggingface-data")).hasValueSatisfying(r ->
                assertThat(r.file("train.jsonl").orElseThrow()).contains("bench press 7 reps"));
        assertThat(hf.jobs()).singleElement().satisfies(j -> {
            assertThat(j.status()).isEqualTo("COMPLETED");
            assertThat(j.metadata()).containsEntry("finetune4j_job", job.id());
        });
        assertThat(hf.requests()).filteredOn(r -> r.path().equals("/api/jobs/acme") && r.method().equals("POST"))
                .singleElement().satisfies(r -> assertThat(r.body()).doesNotContain("\"environment\":{\"HF_TOKEN\""));

        ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults());
        ChatRequest question = ChatRequest.builder("huggingface").user("bench press 7 reps at 47 kilos").build();
        ChatResponse before = router.chat(question);
        assertThat(before.content()).startsWith("I am " + BASE + ", a base model");

        assistant.activate(1, Change.SYSTEM);
        ChatResponse after = router.chat(question);

        assertThat(after.servedBy().modelVersion()).isEqualTo(1);
        assertThat(after.servedBy().fallback()).isFalse();
        assertThat(after.content()).isEqualTo("{\"exercise\":\"bench press\",\"reps\":7,\"kg\":47}");
    }
}
