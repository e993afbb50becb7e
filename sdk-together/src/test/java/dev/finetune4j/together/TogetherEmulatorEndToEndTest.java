package dev.finetune4j.together;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune4j.DeploymentRequiredException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.WeightsCopy;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.EmulatedJob;
import dev.finetune4j.testkit.RecordedRequest;
import dev.finetune4j.testkit.TogetherEmulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Together provider end to end on the testkit's {@link TogetherEmulator}, through the core: a
 * dataset version trained to a registered version with metrics and Together's price, chat from the
 * active version, continuing it with {@code from_checkpoint}, the weights downloaded with a checksum
 * that matches the bytes and kept (in the store and in a file) on the version, a job lost at create found again by its tag, bad data reported as
 * Together's {@code user_error}, and deleting the model making the router fall back.
 */
class TogetherEmulatorEndToEndTest {

    @RegisterExtension
    static TogetherEmulator together = TogetherEmulator.builder().user("acme").build();

    @TempDir
    Path dir;

    private static TogetherProvider provider() {
        return new TogetherProviderFactory().create(ProviderConfig.builder()
                .endpoint(URI.create(together.baseUrl()))
                .apiKey(TogetherFixtures.KEY)
                .env(Map.<String, String>of()::get)
                .build());
    }

    private static FineTuning fineTuning(TogetherProvider provider) {
        return FineTuning.builder().store(VersionStores.inMemory()).provider(provider)
                .sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 5))).build();
    }

    private static List<Example> squats(int from, int n) {
        return IntStream.range(from, from + n).mapToObj(i -> Example.of(
                Message.system("You parse workout voice notes into JSON."),
                Message.user("squat " + (60 + i) + " kilos for " + (i % 10 + 1)),
                Message.assistant("{\"exercise\":\"squat\",\"kg\":" + (60 + i) + ",\"reps\":" + (i % 10 + 1) + "}")))
                .toList();
    }

    private static ChatResponse ask(FineTuning ft, String question) {
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            return router.chat(ChatRequest.of("parser", question));
        }
    }

    @Test
    void train_register_chat_continue_download_delete() throws Exception {
        TogetherProvider provider = provider();
        try (FineTuning ft = fineTuning(provider)) {
            Assistant assistant = ft.createAssistant("parser", "together", TogetherProviderFactory.DEFAULT_BASE_MODEL);
            ft.dataset("parser/main").append(squats(0, 30), null);

            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("parser", "main").build());
            job.awaitCompletion(Duration.ofHours(3));

            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(job.rawStatus()).isEqualTo("completed");
            ModelVersion v1 = assistant.modelVersion(job.modelVersion().getAsInt()).orElseThrow();
            assertThat(v1.provider()).isEqualTo("together");
            assertThat(v1.providerModelId()).startsWith("acme/Meta-Llama-3.1-8B-Instruct-Reference-");
            assertThat(v1.metrics().trainLoss()).isPresent();
            assertThat(v1.cost()).as("Together's total_price, converted from nano-dollars").isPresent();
            assertThat(v1.cost().get().amount().signum()).isPositive();
            EmulatedJob remote = together.job(job.remoteId().orElseThrow()).orElseThrow();
            assertThat(remote.suffix()).as("our tag travels in the suffix").endsWith(job.id());

            assistant.activate(v1.number(), Change.SYSTEM);
            ChatResponse trained = ask(ft, "squat 65 kilos for 6");
            assertThat(trained.servedBy().modelVersion()).isEqualTo(v1.number());
            assertThat(trained.servedBy().fallback()).isFalse();
            assertThat(trained.content()).isEqualTo("{\"exercise\":\"squat\",\"kg\":65,\"reps\":6}");

            // continue v1 on new examples (all of them trained: no validation split): from_checkpoint names
            // v1's model, without model
            ft.dataset("parser/main").append(squats(30, 10), null);
            FineTuneJob more = ft.jobs().submit(FineTuneSpec.builder("parser", "main").continueFrom(v1.number())
                    .validation(false).build());
            more.awaitCompletion(Duration.ofHours(3));
            assertThat(more.status()).isEqualTo(JobStatus.SUCCEEDED);
            RecordedRequest create = together.requests().stream()
                    .filter(r -> r.method().equals("POST") && r.path().equals("/v1/fine-tunes")).reduce((a, b) -> b)
                    .orElseThrow();
            JsonNode sent = new ObjectMapper().readTree(create.body());
            assertThat(sent.path("from_checkpoint").asText()).isEqualTo(v1.providerModelId());
            assertThat(sent.has("model")).isFalse();
            // a new example v2 was trained on (the core holds a few out for evaluation)
            String trainedOn = together.files().stream().filter(f -> f.id().equals(sent.path("training_file").asText()))
                    .findFirst().orElseThrow().content();
            int kg = IntStream.range(90, 100).filter(k -> trainedOn.contains("\\\"kg\\\":" + k + ",")).findFirst()
                    .orElseThrow();
            ModelVersion v2 = assistant.modelVersion(more.modelVersion().getAsInt()).orElseThrow();
            assistant.activate(v2.number(), Change.SYSTEM);
            int reps = kg - 60 + 1 - 30;
            assertThat(ask(ft, "squat " + kg + " kilos for " + reps).content()).as("v2 knows the new examples")
                    .isEqualTo("{\"exercise\":\"squat\",\"kg\":" + kg + ",\"reps\":" + reps + "}");
            assertThat(ask(ft, "squat 65 kilos for 6").content()).as("and still the old ones")
                    .isEqualTo("{\"exercise\":\"squat\",\"kg\":65,\"reps\":6}");

            // the weights: an adapter archive, its checksum that of the bytes on disk
            DownloadedWeights adapter = provider.downloadWeights(v2.providerModelId(), WeightsKind.ADAPTER, dir);
            assertThat(adapter.checkpoint()).isEqualTo("adapter");
            assertThat(adapter.contentType()).isEqualTo("application/x-tar");
            assertThat(adapter.path().getFileName().toString()).endsWith(".tar.gz");
            assertThat(adapter.sha256()).isEqualTo(sha256(adapter.path()));
            assertThat(adapter.bytes()).isEqualTo(Files.size(adapter.path()));
            Map<String, String> entries = tarEntries(adapter.path());
            assertThat(entries).containsKeys("adapter_config.json", "adapter_model.safetensors");
            assertThat(entries.get("adapter_config.json")).contains("\"peft_type\":\"LORA\"")
                    .contains(TogetherProviderFactory.DEFAULT_BASE_MODEL);

            // kept: one copy in the version store, one in a file, both recorded on the version
            provider.keepWeights(ft, "parser", v2.number(), WeightsKind.ADAPTER);
            ModelVersion kept = provider.keepWeights(ft, "parser", v2.number(), WeightsKind.MERGED,
                    dir.resolve("merged.tar.gz"));
            assertThat(kept.weights()).extracting(WeightsCopy::kind).containsExactly("adapter", "merged");
            WeightsCopy inStore = kept.weights().get(0);
            assertThat(inStore.sha256()).as("the adapter is the same archive as the file").isEqualTo(adapter.sha256());
            try (InputStream blob = ft.store().openBlob(ft.tenant(), inStore.sha256())) {
                assertThat(sha256(blob.readAllBytes())).isEqualTo(inStore.sha256());
            }
            assertThat(sha256(dir.resolve("merged.tar.gz"))).isEqualTo(kept.weights().get(1).sha256());

            provider.deleteModel(v2.providerModelId());
            ChatResponse afterDelete = ask(ft, "squat 65 kilos for 6");
            assertThat(afterDelete.servedBy().fallback()).isTrue();
            assertThat(afterDelete.servedBy().modelVersion()).isZero();
        } finally {
            provider.close();
        }
    }

    @Test
    void aCreateWhoseAnswerIsLost_isFoundAgainByItsTag_andNotSentTwice() {
        TogetherProvider provider = provider();
        try (FineTuning ft = fineTuning(provider)) {
            ft.createAssistant("parser", "together", TogetherProviderFactory.DEFAULT_BASE_MODEL);
            ft.dataset("parser/main").append(squats(0, 20), null);
            together.on("POST", "/fine-tunes").loseResponseNext();

            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("parser", "main").build());
            job.awaitCompletion(Duration.ofHours(3));

            assertThat(together.jobs()).as("one job at Together, not two").hasSize(1);
            assertThat(job.remoteId()).hasValue(together.jobs().get(0).id());
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        } finally {
            provider.close();
        }
    }

    @Test
    void aJobThatFails_isFailedWithTogethersMessage() {
        TogetherProvider provider = provider();
        try (FineTuning ft = fineTuning(provider)) {
            ft.createAssistant("parser", "together", TogetherProviderFactory.DEFAULT_BASE_MODEL);
            ft.dataset("parser/main").append(squats(0, 20), null);
            together.failNextJob("error", "CUDA out of memory on worker 3");

            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("parser", "main").build());
            job.awaitCompletion(Duration.ofHours(3));

            assertThat(job.status()).isEqualTo(JobStatus.FAILED);
            assertThat(job.rawStatus()).isEqualTo("error");
            assertThat(job.error()).hasValueSatisfying(e -> assertThat(e.message()).contains("CUDA out of memory"));
        } finally {
            provider.close();
        }
    }

    @Test
    void aFullFineTune_isNotServedServerless_andItsWeightsAreTheModelOnly() throws Exception {
        TogetherProvider provider = provider();
        try (FineTuning ft = fineTuning(provider)) {
            Assistant assistant = ft.createAssistant("parser", "together", TogetherProviderFactory.DEFAULT_BASE_MODEL);
            ft.dataset("parser/main").append(squats(0, 20), null);
            FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("parser", "main")
                    .option(TogetherOptions.TRAINING_TYPE, "full").build());
            job.awaitCompletion(Duration.ofHours(3));
            ModelVersion v1 = assistant.modelVersion(job.modelVersion().getAsInt()).orElseThrow();

            assertThatThrownBy(() -> assistant.activate(v1.number(), Change.SYSTEM))
                    .as("a full fine-tune needs a dedicated endpoint").isInstanceOf(DeploymentRequiredException.class)
                    .hasMessageContaining("together").hasMessageContaining("no deployment");
            assertThat(provider.deployments().orElseThrow().standingAddress(v1.providerModelId())).isEmpty();

            assertThatThrownBy(() -> provider.downloadWeights(v1.providerModelId(), WeightsKind.ADAPTER, dir))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WeightsKind.DEFAULT only");
            DownloadedWeights model = provider.downloadWeights(v1.providerModelId(), WeightsKind.DEFAULT, dir);
            assertThat(model.checkpoint()).isEqualTo("model_output_path");
            assertThat(model.sha256()).isEqualTo(sha256(model.path()));
            assertThat(tarEntries(model.path())).containsKeys("config.json", "model.safetensors");
        } finally {
            provider.close();
        }
    }

    private static String sha256(Path file) throws Exception {
        return sha256(Files.readAllBytes(file));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The entries of a gzip-compressed tar, by name, as text. */
    private static Map<String, String> tarEntries(Path archive) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
                int size = Integer.parseInt(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                content.write(in.readNBytes(size));
                in.readNBytes((512 - size % 512) % 512);
                out.put(name, content.toString(StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
