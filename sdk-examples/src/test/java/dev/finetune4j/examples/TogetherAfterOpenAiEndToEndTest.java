package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.DeploymentRequiredException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.cost.Money;
import dev.finetune4j.cost.PriceQuote;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.deployment.Deployment;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.Hyperparameters;
import dev.finetune4j.job.JobEstimate;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.eval.Scorers;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.migration.Migration;
import dev.finetune4j.migration.MigrationSpec;
import dev.finetune4j.migration.MigrationStage;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.EmulatedDedicatedEndpoint;
import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.TogetherEmulator;
import dev.finetune4j.together.DownloadedWeights;
import dev.finetune4j.together.TogetherOptions;
import dev.finetune4j.together.TogetherProvider;
import dev.finetune4j.together.WeightsKind;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 end to end, on the emulators: a dataset version trained on OpenAI first is trained again
 * on Together; a full fine-tune is deployed on a dedicated endpoint (hardware priced from Together's
 * hardware list), activated, chats through the endpoint, and its weights download with a verified
 * checksum; a LoRA fine-tune of a base Together serves serverless activates and answers with no
 * deployment at all.
 */
class TogetherAfterOpenAiEndToEndTest {

    static final String OPENAI_BASE = "gpt-4o-mini-2024-07-18";
    static final String TOGETHER_BASE = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";
    static final String H100 = "1x_nvidia_h100_80gb_sxm";

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @RegisterExtension
    static TogetherEmulator together = TogetherEmulator.create();

    @TempDir
    Path dir;

    private Provider source;
    private TogetherProvider target;
    private FineTuning ft;
    private Assistant parser;
    /** The version every test starts from: the dataset trained on OpenAI and activated. */
    private ModelVersion onOpenAi;

    @BeforeEach
    void liveOnOpenAi() {
        openai.reset();
        together.reset();
        source = openai.provider();
        target = (TogetherProvider) together.provider();
        ft = fineTuning(source, target);
        parser = ft.createAssistant("parser", "openai", OPENAI_BASE);
        onOpenAi = trainOnOpenAi(ft, parser);
    }

    @AfterEach
    void close() {
        ft.close();
        target.close();
        source.close();
    }

    @Test
    void fullFineTune_deployedOnDedicatedHardware_activated_chats_andItsWeightsVerify() throws Exception {

        FineTuneJob job = ft.jobs().submit(onTogether()
                .option(TogetherOptions.TRAINING_TYPE, "full").build())
                .awaitCompletionOrThrow(Duration.ofHours(3));
        ModelVersion full = parser.modelVersion(job.modelVersion().getAsInt()).orElseThrow();
        assertThat(full.provider()).isEqualTo("together");
        assertThat(full.trainedOn().orElseThrow().versionId()).as("the same dataset version as on OpenAI")
                .isEqualTo(onOpenAi.trainedOn().orElseThrow().versionId());
        assertThat(full.cost()).as("Together's total_price of the job").isPresent();

        assertThatThrownBy(() -> parser.activate(full.number(), Change.SYSTEM))
                .as("a full fine-tune is served only on a dedicated endpoint")
                .isInstanceOf(DeploymentRequiredException.class);
        assertThatThrownBy(() -> ft.deployments().deploy("parser", full.number(), DeploymentSpec.defaults(),
                Change.SYSTEM)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs hardware").hasMessageContaining("--hardware");
        assertThat(together.endpoints()).as("nothing was created for the refused deploy").isEmpty();

        Deployment d = ft.deployments().deploy("parser", full.number(),
                DeploymentSpec.builder().hardware(H100).replicas(1, 2).build(), Change.by("ops", "serve v2"))
                .awaitReady(Duration.ofHours(1));
        assertThat(d.state()).isEqualTo(DeploymentState.READY);
        assertThat(d.pricePerHour()).as("6.65 cents a minute on Together's hardware list")
                .contains(new Money(new BigDecimal("3.99"), "USD"));
        EmulatedDedicatedEndpoint endpoint = together.endpoints().get(0);
        assertThat(endpoint.model()).isEqualTo(full.providerModelId());
        assertThat(endpoint.hardware()).isEqualTo(H100);
        assertThat(endpoint.state()).isEqualTo("STARTED");
        assertThat(endpoint.minReplicas()).isEqualTo(1);
        assertThat(endpoint.maxReplicas()).isEqualTo(2);
        assertThat(endpoint.displayName()).startsWith(d.id() + " ");
        assertThat(together.requests()).anySatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).endsWith("/endpoints");
            assertThat(r.body()).contains("\"hardware\":\"" + H100 + "\"")
                    .contains("\"autoscaling\":{\"min_replicas\":1,\"max_replicas\":2}");
        });

        parser.activate(full.number(), Change.by("ops", "live on together"));
        ChatResponse answer = ask(ft, "bench 45 kilos for 6");
        assertThat(answer.servedBy().modelVersion()).isEqualTo(full.number());
        assertThat(answer.servedBy().fallback()).isFalse();
        assertThat(answer.content()).contains("\"exercise\":\"bench\"");
        assertThat(together.requests()).anySatisfy(r -> assertThat(r.path()).endsWith("/chat/completions")
                .satisfies(p -> assertThat(r.body()).contains("\"model\":\"" + endpoint.name() + "\"")));
        assertThat(together.endpoint(endpoint.id()).orElseThrow().chatRequests()).isEqualTo(1);

        DownloadedWeights weights = target.downloadWeights(full.providerModelId(), WeightsKind.DEFAULT, dir
                .resolve("a"));
        assertThat(weights.sha256()).as("the checksum of the bytes on disk")
                .isEqualTo(sha256(Files.readAllBytes(weights.path())));
        assertThat(weights.bytes()).isEqualTo(Files.size(weights.path())).isPositive();
        DownloadedWeights again = target.downloadWeights(full.providerModelId(), WeightsKind.DEFAULT, dir
                .resolve("b"));
        assertThat(again.sha256()).as("the same job's weights are the same bytes").isEqualTo(weights.sha256());

        d.pause();
        assertThat(together.endpoint(endpoint.id()).orElseThrow().state()).isEqualTo("STOPPED");
    }

    @Test
    void loraFineTune_ofAServerlessBase_activatesAndAnswers_withoutADeployment() {
        int endpointsBefore = together.endpoints().size();

        FineTuneJob job = ft.jobs().submit(onTogether().build())
                .awaitCompletionOrThrow(Duration.ofHours(3));
        int lora = job.modelVersion().getAsInt();
        parser.activate(lora, Change.by("ops", "serverless LoRA"));

        ChatResponse answer = ask(ft, "bench 45 kilos for 6");
        assertThat(answer.servedBy().modelVersion()).isEqualTo(lora);
        assertThat(answer.servedBy().fallback()).isFalse();
        assertThat(ft.deployments().list("parser")).as("no deployment").isEmpty();
        assertThat(together.endpoints()).hasSize(endpointsBefore);
    }

    @Test
    void migrationToAnAdapterTogetherDoesNotServeServerless_stopsForHardware_thenResumesOnTheHandMadeEndpoint() {
        String notServerless = "meta-llama/Llama-3.2-3B-Instruct";
        MigrationSpec spec = MigrationSpec.builder("parser", "together", notServerless)
                .scorer(Scorers.jsonFields(0.01)).await(Duration.ofHours(1)).build();

        assertThatThrownBy(() -> ft.migrations().run(spec)).as("the default spec has no hardware")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--hardware");
        Migration stopped = ft.migrations().list("parser").get(0);
        assertThat(stopped.stage()).isEqualTo(MigrationStage.DEPLOY);
        int version = stopped.newVersion().getAsInt();

        ft.deployments().deploy("parser", version, DeploymentSpec.builder().hardware(H100).build(),
                Change.by("ops", "hardware for the migration")).awaitReady(Duration.ofHours(1));
        Migration done = ft.migrations().run(spec);

        assertThat(done.id()).as("the stored migration resumed").isEqualTo(stopped.id());
        assertThat(done.stage()).as(done.toString()).isEqualTo(MigrationStage.DONE);
        assertThat(ft.deployments().list("parser")).as("the hand-made one, no second").hasSize(1);
        assertThat(together.jobs()).as("trained once").hasSize(1);
        ChatResponse answer = ask(ft, "bench 45 kilos for 6");
        assertThat(answer.servedBy().modelVersion()).isEqualTo(version);
        assertThat(answer.servedBy().fallback()).isFalse();
    }

    @Test
    void quote_uploadsOnce_theSubmissionReusesTheUpload_keepsTheQuote_andTheJobCostsWhatWasQuoted() {
        FineTuneSpec spec = onTogether().build();
        assertThat(ft.migrations().estimate(dev.finetune4j.migration.MigrationSpec.builder("parser", "together",
                TOGETHER_BASE).sourceVersion(onOpenAi.number()).build()).notes())
                .as("a migration's estimate sends nothing, and says how to ask Together")
                .contains("training cost: together prices a job itself once its data is uploaded, which this "
                        + "estimate does not do; FineTuneJobs.quote (`finetune4j train parser --provider together "
                        + "--model " + TOGETHER_BASE + " --estimate`) asks it, and the migration's job keeps the "
                        + "quote it gets before it is created");
        assertThat(estimateRequests()).isZero();

        JobEstimate estimate = ft.jobs().quote(spec);

        PriceQuote quote = estimate.quote().orElseThrow(() -> new AssertionError(estimate.toString()));
        assertThat(quote.provider()).isEqualTo("together");
        assertThat(quote.model()).isEqualTo(TOGETHER_BASE);
        assertThat(quote.price().currency()).isEqualTo("USD");
        assertThat(quote.price().isZero()).isFalse();
        assertThat(quote.trainingTokens()).isPresent();
        assertThat(quote.creditLimit()).contains(new Money(new BigDecimal("100"), "USD"));
        assertThat(quote.allowedToProceed()).isTrue();
        assertThat(estimate.warnings()).noneMatch(w -> w.contains("cannot pay"));
        assertThat(together.jobs()).as("a quote trains nothing").isEmpty();
        assertThat(fileUploads()).as("the splits, uploaded once").isEqualTo(together.files().size()).isPositive();
        int uploads = fileUploads();

        FineTuneJob job = ft.jobs().submit(spec);

        assertThat(fileUploads()).as("the submission reuses the quote's upload").isEqualTo(uploads);
        PriceQuote kept = job.estimate().quote().orElseThrow(() -> new AssertionError(job.estimate().toString()));
        assertThat(kept.toBuilder().quotedAt(quote.quotedAt()).build())
                .as("asked again between upload and create: the same price, tokens and limit").isEqualTo(quote);
        assertThat(estimateRequests()).as("once for the quote, once for the submission").isEqualTo(2);
        ModelVersion version = parser.modelVersion(job.awaitCompletionOrThrow(Duration.ofHours(3)).modelVersion()
                .getAsInt()).orElseThrow();
        assertThat(version.cost()).as("Together's total_price of the job is what it quoted")
                .contains(quote.price());
        assertThat(ft.jobs().job(job.id()).estimate().quote()).as("kept with the job record")
                .contains(kept);
    }

    @Test
    void aJobAboveTheCreditLimit_isStillSubmitted_withTheInsufficientFundsWarning() {
        together.creditLimit(new BigDecimal("0.000001"));

        FineTuneJob job = ft.jobs().submit(onTogether().build());

        PriceQuote quote = job.estimate().quote().orElseThrow();
        assertThat(quote.allowedToProceed()).isFalse();
        assertThat(quote.creditLimit()).contains(new Money(new BigDecimal("0.000001"), "USD"));
        assertThat(job.estimate().warnings()).anySatisfy(w -> assertThat(w).contains("cannot pay")
                .contains(quote.price().toString()).contains("insufficient funds"));
        assertThat(together.jobs()).as("submitted all the same, as Together's client does").hasSize(1);
        assertThat(job.awaitCompletionOrThrow(Duration.ofHours(3)).modelVersion()).isPresent();
    }

    @Test
    void aQuoteThatFails_isAWarning_andTheJobIsSubmitted() {
        together.on("POST", "/fine-tunes/estimate-price").serverErrorNext(5);

        FineTuneJob job = ft.jobs().submit(onTogether().build());

        assertThat(job.estimate().quote()).isEmpty();
        assertThat(job.estimate().warnings()).anySatisfy(w -> assertThat(w).contains("did not quote a price"));
        assertThat(together.jobs()).hasSize(1);
    }

    @Test
    void aJobOutsideTheModelsLimits_isRefusedByTheQuote_andIsRecordedAsRejected() {
        FineTuneSpec spec = onTogether()
                .hyperparameters(Hyperparameters.builder().batchSize(64).build()).build();

        assertThatThrownBy(() -> ft.jobs().quote(spec)).as("Together cannot train it: nothing to price")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize 64");
        assertThatThrownBy(() -> ft.jobs().submit(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize 64");

        assertThat(estimateRequests()).isZero();
        assertThat(together.jobs()).isEmpty();
        assertThat(ft.jobs().list("parser")).filteredOn(j -> j.provider().equals("together"))
                .singleElement().satisfies(j -> assertThat(j.status()).isEqualTo(JobStatus.FAILED));
    }

    /** A spec training the dataset version {@code onOpenAi} was trained on, on Together's base. */
    private FineTuneSpec.Builder onTogether() {
        return FineTuneSpec.builder("parser", "main").datasetVersion(onOpenAi.trainedOn().orElseThrow().versionId())
                .provider("together").baseModel(TOGETHER_BASE);
    }

    /** The uploads Together's clients announce ({@code POST /v1/files}) on the emulator's log. */
    private static int fileUploads() {
        return (int) together.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().replaceFirst("\\?.*", "").endsWith("/v1/files")).count();
    }

    private static int estimateRequests() {
        return (int) together.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().endsWith("/fine-tunes/estimate-price")).count();
    }

    private static FineTuning fineTuning(Provider source, Provider target) {
        return FineTuning.builder().store(VersionStores.inMemory()).provider(source).provider(target)
                .pollInterval(Duration.ZERO, Duration.ZERO).build();
    }

    /** Appends the dataset, trains it on OpenAI and activates that version. */
    private static ModelVersion trainOnOpenAi(FineTuning ft, Assistant parser) {
        List<Example> examples = IntStream.range(0, 60).mapToObj(i -> Example.of(
                Message.system("You parse workout voice notes into JSON."),
                Message.user("bench " + (40 + i) + " kilos for " + (i % 8 + 1)),
                Message.assistant("{\"exercise\":\"bench\",\"kg\":" + (40 + i) + ",\"reps\":" + (i % 8 + 1) + "}")))
                .toList();
        ft.dataset("parser/main").append(examples, null);
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("parser", "main").build())
                .awaitCompletionOrThrow(Duration.ofHours(1));
        ModelVersion v = parser.modelVersion(job.modelVersion().getAsInt()).orElseThrow();
        assertThat(v.provider()).isEqualTo("openai");
        parser.activate(v.number(), Change.by("ops", "live on openai"));
        return v;
    }

    private static ChatResponse ask(FineTuning ft, String question) {
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            return router.chat(ChatRequest.of("parser", question));
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
