package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.assistant.Fallback;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.TimelineEntry;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.eval.Scorers;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.migration.Migration;
import dev.finetune4j.migration.MigrationEstimate;
import dev.finetune4j.migration.MigrationSpec;
import dev.finetune4j.migration.MigrationStage;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.HuggingFaceEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A migration from OpenAI to Hugging Face on the emulators: one call carries the live version over;
 * a crash after any stage is stored resumes there without a second job; a worse target is refused
 * with the figures; after promotion the deleted source model fails no chat call.
 */
class MigrationEmulatorTest {

    static final String OPENAI_BASE = "gpt-4o-mini-2024-07-18";
    static final String HF_BASE = "Qwen/Qwen2.5-0.5B-Instruct";

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @RegisterExtension
    static HuggingFaceEmulator huggingface = HuggingFaceEmulator.builder().namespace("acme").build();

    private final List<Provider> providers = new ArrayList<>();
    private final VersionStore store = VersionStores.inMemory();
    private Assistant parser;
    private ModelVersion source;

    private Provider provider(String id) {
        ProviderConfig.Builder config = ProviderConfig.builder().apiKey(ApiKey.of("sk-test-migration-0123456789"))
                .env(name -> null);
        if (id.equals("openai")) {
            config.endpoint(URI.create(openai.baseUrl()));
        } else {
            config.endpoint(URI.create(huggingface.hubUrl())).setting("serving_url", huggingface.servingUrl())
                    .setting("logs_idle_seconds", "1").setting("logs_max_seconds", "5");
        }
        Provider p = Providers.create(id, config.build());
        providers.add(p);
        return p;
    }

    /** A fresh process on the same store and emulators, as after a restart. */
    private FineTuning open() {
        return FineTuning.builder().store(store).provider(provider("openai")).provider(provider("huggingface"))
                .sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 5))).build();
    }

    @BeforeEach
    void liveOnOpenAi() {
        FineTuning ft = open();
        parser = ft.createAssistant("parser", "openai", OPENAI_BASE);
        List<Example> examples = IntStream.range(0, 120).mapToObj(i -> Example.of(
                Message.system("You parse workout voice notes into JSON."),
                Message.user("squat " + (60 + i) + " kilos for " + (i % 10 + 1)),
                Message.assistant("{\"exercise\":\"squat\",\"kg\":" + (60 + i) + ",\"reps\":" + (i % 10 + 1) + "}")))
                .toList();
        ft.dataset("parser/main").append(examples, null);
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("parser", "main").build());
        job.awaitCompletion(Duration.ofHours(3));
        source = parser.modelVersion(job.modelVersion().getAsInt()).orElseThrow();
        parser.activate(source.number(), Change.by("ops", "live on openai"));
    }

    @AfterEach
    void closeProviders() {
        providers.forEach(Provider::close);
    }

    private MigrationSpec.Builder toHf() {
        return MigrationSpec.builder("parser", "huggingface", HF_BASE).scorer(Scorers.jsonFields(0.01))
                .keepSourceUntil(LocalDate.parse("2027-01-14")).await(Duration.ofHours(3));
    }

    @Test
    void migrate_inOneCall_trainsTheSameData_gates_promotes_andTheDeletedSourceFailsNoCall() {
        FineTuning ft = open();
        MigrationEstimate estimate = ft.migrations().estimate(toHf().build());
        assertThat(huggingface.jobs()).as("the estimate spends nothing").isEmpty();
        assertThat(estimate.baselineCalls()).isPositive();
        assertThat(estimate.needsDeployment()).isFalse();
        assertThat(estimate.training().provider()).isEqualTo("huggingface");

        Migration m = ft.migrations().run(toHf().build());

        assertThat(m.stage()).as(m.toString()).isEqualTo(MigrationStage.DONE);
        assertThat(huggingface.jobs()).hasSize(1);
        assertThat(openai.jobs()).hasSize(1);
        ModelVersion migrated = parser.modelVersion(m.targetVersion()).orElseThrow();
        assertThat(migrated.provider()).isEqualTo("huggingface");
        assertThat(migrated.migratedFrom()).hasValue(source.number());
        assertThat(migrated.trainedOn().orElseThrow().versionId())
                .isEqualTo(source.trainedOn().orElseThrow().versionId());
        assertThat(parser.selection().activeModelVersion()).hasValue(migrated.number());
        assertThat(parser.selection().fallbacks()).containsExactly(
                Fallback.until(source.number(), LocalDate.parse("2027-01-14")), Fallback.baseModel());
        assertThat(m.verdict()).startsWith("not worse: ").contains("agreement");
        try (Stream<TimelineEntry> t = parser.timeline()) {
            assertThat(t.filter(e -> e.action() == TimelineEntry.Action.MIGRATE).map(e -> e.reason()
                    .split(":")[0])).containsExactly(m.id() + " baseline", m.id() + " train", m.id() + " train",
                            m.id() + " deploy", m.id() + " evaluate", m.id() + " promote", m.id() + " done");
        }

        openai.deleteModel(source.providerModelId());
        huggingface.deleteModel(migrated.providerModelId());
        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            for (int i = 0; i < 5; i++) {
                ChatResponse r = router.chat(ChatRequest.of("parser", "squat 70 kilos for " + (i + 1)));
                assertThat(r.servedBy().fallback()).isTrue();
                assertThat(r.servedBy().modelVersion()).isZero();
            }
        }
    }

    @Test
    void migrate_afterPromotion_deletingTheSourceModelOnTheEmulator_failsNoChatCall() {
        FineTuning ft = open();
        Migration m = ft.migrations().run(toHf().build());
        openai.deleteModel(source.providerModelId());

        try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
            for (int i = 0; i < 20; i++) {
                ChatResponse r = router.chat(ChatRequest.of("parser", "squat 70 kilos for " + (i % 10 + 1)));
                assertThat(r.servedBy().modelVersion()).isEqualTo(m.targetVersion());
                assertThat(r.servedBy().fallback()).isFalse();
            }
        }
    }

    /** Stops the run the n-th time a stage is stored, like a kill right after that write. */
    private static final class CrashAt extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void migrate_killedAfterAnyStoredStage_resumesThere_withoutASecondJob(int crashAt) {
        AtomicInteger stages = new AtomicInteger();
        FineTuning first = open();
        assertThatThrownBy(() -> first.migrations().run(toHf().listener(mig -> {
            if (stages.incrementAndGet() == crashAt) {
                throw new CrashAt();
            }
        }).build())).isInstanceOf(CrashAt.class);
        MigrationStage crashedIn = first.migrations().list("parser").get(0).stage();

        Migration m = open().migrations().run(toHf().build());

        assertThat(m.stage()).as("crashed in " + crashedIn + ": " + m).isEqualTo(MigrationStage.DONE);
        assertThat(huggingface.jobs()).as("crashed in " + crashedIn).hasSize(1);
        assertThat(openai.jobs()).hasSize(1);
        assertThat(parser.selection().activeModelVersion()).hasValue(m.targetVersion());
        assertThat(open().migrations().list("parser")).hasSize(1);
    }

    @Test
    void migrate_toATargetWorseByMoreThanTheMargin_isRefusedWithTheFigures_andNothingSwitches() {
        FineTuning ft = open();
        // the target breaks between training and evaluation: every answer of it is lost
        Migration m = ft.migrations().run(toHf().listener(mig -> {
            if (mig.stage() == MigrationStage.EVALUATE) {
                huggingface.deleteModel(parser.modelVersion(mig.targetVersion()).orElseThrow().providerModelId());
            }
        }).build());

        assertThat(m.stage()).isEqualTo(MigrationStage.REFUSED);
        assertThat(m.verdict()).startsWith("refused: v" + m.targetVersion() + " may be worse than "
                + m.baselineId() + " by more than 2.00 points").contains("json-fields v" + m.targetVersion()
                        + " 0.00 % vs " + m.baselineId());
        assertThat(parser.selection().activeModelVersion()).hasValue(source.number());
        assertThat(parser.selection().fallbacks()).isEmpty();
        assertThat(ft.migrations().run(toHf().build())).as("a refused migration stays refused").isEqualTo(m);
    }

    /**
     * The Hugging Face provider as if its trained models needed a deployment and it could create
     * none (as Together's dedicated endpoints are today): no deployment service, no standing address.
     */
    private static Provider needingDeployment(Provider hf) {
        return new Provider() {
            @Override
            public dev.finetune4j.spi.ProviderDescriptor descriptor() {
                return hf.descriptor().toBuilder().trainedModelsNeedDeployment(true)
                        .capabilities(hf.descriptor().capabilities().without(dev.finetune4j.spi.Capability.DEPLOY,
                                dev.finetune4j.spi.Capability.PAUSE_DEPLOYMENT))
                        .build();
            }

            @Override
            public java.util.Optional<dev.finetune4j.spi.TrainingService> training() {
                return hf.training();
            }

            @Override
            public java.util.Optional<dev.finetune4j.spi.ChatService> chat() {
                return hf.chat();
            }

            @Override
            public void close() {
                hf.close();
            }
        };
    }

    @Test
    void migrate_toATargetThatNeedsADeployment_stopsAtTheDeployStage_withATypedRefusal_andResumesThere() {
        FineTuning ft = FineTuning.builder().store(store).provider(provider("openai"))
                .provider(needingDeployment(provider("huggingface")))
                .sleeper(d -> Thread.sleep(Math.min(d.toMillis(), 5))).build();

        assertThatThrownBy(() -> ft.migrations().run(toHf().build()))
                .isInstanceOf(dev.finetune4j.DeploymentRequiredException.class)
                .hasMessageContaining("provider huggingface serves a trained model only once it is deployed")
                .hasMessageContaining("is stored at its deploy stage and resumes there");

        Migration stored = ft.migrations().list("parser").get(0);
        assertThat(stored.stage()).isEqualTo(MigrationStage.DEPLOY);
        assertThat(stored.newVersion()).isPresent();
        assertThat(parser.selection().activeModelVersion()).hasValue(source.number());
        assertThat(ft.migrations().estimate(toHf().build()).needsDeployment()).isTrue();

        Migration resumed = open().migrations().run(toHf().build());
        assertThat(resumed.stage()).isEqualTo(MigrationStage.DONE);
        assertThat(huggingface.jobs()).hasSize(1);
    }
}
