package dev.finetune4j.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.ConflictException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.assistant.TimelineEntry.Action;
import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.policy.RetrainAdvice;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.VersionStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model versions, prompt versions, the selection and its timeline, as every {@link VersionStore}
 * must keep them. Each store's test extends this class and says how to open a store; published in
 * sdk-core's test jar for stores written outside finetune4j (see {@code VersionStoreContract}).
 */
public abstract class AssistantContract {

    protected final Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    protected FineTuning ft;
    protected Assistant ava;

    /** A fresh store for one test. */
    protected abstract VersionStore openStore(Clock clock);

    /** How many threads and calls each the stress test uses. */
    protected int stressThreads() {
        return 64;
    }

    /** How many calls each stress thread makes. */
    protected int stressCallsEach() {
        return 1000;
    }

    @BeforeEach
    void open() {
        ft = FineTuning.builder().store(openStore(clock)).clock(clock).build();
        ava = ft.createAssistant("avatar-42", "openai", "gpt-4o-mini-2024-07-18");
    }

    private ModelVersion register(String id) {
        return ava.register(ModelVersionSpec.builder("openai", "ft:gpt-4o-mini-2024-07-18:org:ava:" + id,
                "gpt-4o-mini-2024-07-18").build());
    }

    private List<TimelineEntry> timeline() {
        try (Stream<TimelineEntry> t = ava.timeline()) {
            return t.toList();
        }
    }

    @Test
    void recordWeights_keepsEachCopyOnTheVersion_onceEach_andSurvivesReopening(@TempDir Path dir) throws Exception {
        ModelVersion v1 = register("aaa");
        byte[] weights = "stand-in adapter weights".getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights));
        BlobRef blob = ft.store().putBlob(ft.tenant(), new ByteArrayInputStream(weights));
        Path file = Files.write(dir.resolve("adapter.tar.gz"), weights);
        Instant at = clock.instant();

        ava.recordWeights(v1.number(), WeightsCopy.inStore("adapter", blob.id(), blob.size(), at));
        ava.recordWeights(v1.number(), new WeightsCopy("adapter", sha, weights.length, file.toUri(), at));
        ModelVersion again = ava.recordWeights(v1.number(), WeightsCopy.inStore("adapter", sha, weights.length, at));

        assertThat(blob.id()).isEqualTo(sha);
        assertThat(again.weights()).extracting(WeightsCopy::location)
                .containsExactly(URI.create("blob:" + sha), file.toUri());
        assertThat(ft.assistant("avatar-42").modelVersion(v1.number()).orElseThrow().weights())
                .containsExactlyElementsOf(again.weights());
        assertThat(again.state()).isEqualTo(v1.state());
    }

    @Test
    void recordWeights_refusesACopyThatIsNotWhereItSays(@TempDir Path dir) throws Exception {
        ModelVersion v1 = register("aaa");
        String sha = "ab".repeat(32);
        Path file = Files.write(dir.resolve("model.tar.gz"), new byte[10]);

        assertThatThrownBy(() -> ava.recordWeights(v1.number(), WeightsCopy.inStore("merged", sha, 10,
                clock.instant()))).isInstanceOf(NotFoundException.class).hasMessageContaining("no blob " + sha);
        assertThatThrownBy(() -> ava.recordWeights(v1.number(), new WeightsCopy("merged", sha, 11, file.toUri(),
                clock.instant()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 10 bytes");
        assertThatThrownBy(() -> ava.recordWeights(99, new WeightsCopy("merged", sha, 10, file.toUri(),
                clock.instant()))).isInstanceOf(NotFoundException.class).hasMessageContaining("no model version 99");
        assertThatThrownBy(() -> new WeightsCopy("merged", sha, 10, URI.create("https://example.com/w"),
                clock.instant())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file: URI");
        assertThatThrownBy(() -> new WeightsCopy("merged", sha, 10, URI.create("blob:" + "cd".repeat(32)),
                clock.instant())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its checksum");
        assertThat(ava.modelVersion(v1.number()).orElseThrow().weights()).isEmpty();
    }

    @Test
    void learningPath_activateRollbackDeactivate_keepsEveryVersionAndTheTimeline() {
        Dataset data = ft.dataset("avatar-42/main");
        DatasetVersion d1 = data.append(IntStream.range(0, 44).mapToObj(i -> Example.of(Message.user("q" + i),
                Message.assistant("a" + i))).toList(), "44 English").version().orElseThrow();
        ModelVersion v1 = ava.register(ModelVersionSpec.builder("openai", "ft:gpt-4o-mini-2024-07-18:org:ava:aaa",
                        "gpt-4o-mini-2024-07-18")
                .trainedOn(new TrainedOn(d1.datasetRef(), d1.id(), d1.number(), data.count(d1, Split.TRAIN), 0.1))
                .jobId("ftjob-1").hyperparameter("n_epochs", "3")
                .metrics(new ModelMetrics(java.util.Map.of(ModelMetrics.TRAIN_LOSS, 0.42)))
                .cost(Money.usd("0.90")).note("first model").build());
        ModelVersion v2 = register("bbb");

        assertThat(v1.number()).isEqualTo(1);
        assertThat(v2.number()).isEqualTo(2);
        assertThat(ava.selection().activeModelVersion()).isEmpty();

        ava.activate(1, Change.by("alice", "first model"));
        Selection onV2 = ava.activate(2, Change.by("bob", "more data"));
        assertThat(onV2.activeModelVersion()).hasValue(2);

        Selection back = ava.rollback(Change.by("alice", "v2 is worse"));
        assertThat(back.activeModelVersion()).hasValue(1);
        Selection base = ava.rollback(Change.by("alice", "go back further"));
        assertThat(base.activeModelVersion()).isEmpty();
        assertThatThrownBy(() -> ava.rollback(Change.SYSTEM)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nothing to roll back to");

        ava.activate(2, Change.SYSTEM);
        assertThat(ava.deactivate(Change.by("carol", "incident")).activeModelVersion()).isEmpty();

        ModelVersion stored = ava.modelVersion(1).orElseThrow();
        assertThat(stored.trainedOn().orElseThrow().versionId()).isEqualTo(d1.id());
        assertThat(stored.jobId()).contains("ftjob-1");
        assertThat(stored.metrics().trainLoss()).hasValue(0.42);
        assertThat(stored.cost()).contains(Money.usd("0.90"));
        assertThat(stored.hyperparameters()).containsEntry("n_epochs", "3");
        assertThat(stored.createdAt()).isEqualTo(clock.instant());

        List<TimelineEntry> t = timeline();
        assertThat(t).extracting(TimelineEntry::action).containsExactly(Action.CONFIGURE, Action.ACTIVATE,
                Action.ACTIVATE, Action.ROLLBACK, Action.ROLLBACK, Action.ACTIVATE, Action.DEACTIVATE);
        assertThat(t.get(2).actor()).isEqualTo("bob");
        assertThat(t.get(2).reason()).isEqualTo("more data");
        assertThat(t.get(2).before().activeModelVersion()).hasValue(1);
        assertThat(t.get(2).after().activeModelVersion()).hasValue(2);
        assertThat(t.get(6).after().activeModelVersion()).isEmpty();
    }

    @Test
    void prompts_areIndependentOfModels() {
        register("aaa");
        PromptVersion x = ava.createPrompt("You are Ava, a cheerful coach.", List.of(), "X");
        PromptVersion z = ava.createPrompt("You are Ava.", List.of(Example.of(Message.user("hi"),
                Message.assistant("Hey! Ready to train?"))), "Z with one shot");

        ava.activatePrompt(x.number(), Change.SYSTEM);
        Selection modelAPromptX = ava.activate(1, Change.SYSTEM);
        Selection basePromptZ = ava.deactivate(Change.SYSTEM);
        basePromptZ = ava.activatePrompt(z.number(), Change.SYSTEM);

        assertThat(modelAPromptX.activeModelVersion()).hasValue(1);
        assertThat(modelAPromptX.activePromptVersion()).hasValue(1);
        assertThat(basePromptZ.activeModelVersion()).isEmpty();
        assertThat(basePromptZ.activePromptVersion()).hasValue(2);
        assertThat(ava.promptVersion(2).orElseThrow().fewShot()).containsExactly(
                Example.of(Message.user("hi"), Message.assistant("Hey! Ready to train?")));
        assertThat(ava.promptVersions()).extracting(PromptVersion::note).containsExactly(
                java.util.Optional.of("X"), java.util.Optional.of("Z with one shot"));
        assertThat(ava.rollback(Change.SYSTEM).activePromptVersion()).hasValue(1);
    }

    @Test
    void deleteActive_leavesTheBaseModel_andRollbackRefusesToRestoreIt() {
        register("aaa");
        register("bbb");
        ava.activate(1, Change.SYSTEM);
        ava.activate(2, Change.SYSTEM);

        ModelVersion deleted = ava.delete(2, Change.by("alice", "hallucinates"));

        assertThat(deleted.state()).isEqualTo(ModelState.DELETED);
        assertThat(ava.selection().activeModelVersion()).isEmpty();
        assertThat(ava.modelVersions()).extracting(ModelVersion::state).containsExactly(ModelState.READY, ModelState.DELETED);
        assertThatThrownBy(() -> ava.activate(2, Change.SYSTEM)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DELETED");
        // rolling back the delete would restore version 2
        assertThatThrownBy(() -> ava.rollback(Change.SYSTEM)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model version 2, which is DELETED now");
        assertThat(timeline().get(timeline().size() - 1).action()).isEqualTo(Action.DELETE);
    }

    @Test
    void candidate_setPromoteAndClear() {
        register("aaa");
        register("bbb");
        ava.activate(1, Change.SYSTEM);

        Selection canary = ava.setCandidate(2, 10, Change.by("alice", "canary"));
        assertThat(canary.candidateModelVersion()).hasValue(2);
        assertThat(canary.candidateShare()).isEqualTo(10);
        assertThat(canary.describe()).isEqualTo("model v1, no prompt, candidate v2 at 10 %");
        assertThatThrownBy(() -> ava.setCandidate(1, 10, Change.SYSTEM)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ava.setCandidate(2, 0, Change.SYSTEM)).isInstanceOf(IllegalArgumentException.class);

        Selection promoted = ava.promoteCandidate(Change.SYSTEM);
        assertThat(promoted.activeModelVersion()).hasValue(2);
        assertThat(promoted.candidateModelVersion()).isEmpty();
        assertThatThrownBy(() -> ava.promoteCandidate(Change.SYSTEM)).isInstanceOf(IllegalStateException.class);

        ava.setCandidate(1, 50, Change.SYSTEM);
        assertThat(ava.clearCandidate(Change.SYSTEM).candidateModelVersion()).isEmpty();
    }

    @Test
    void states_trainingIsNotActivatable_retiredLeavesTheSelection() {
        ModelVersion training = ava.register(ModelVersionSpec.builder("openai", "ft:x:1", "gpt-4o-mini")
                .state(ModelState.TRAINING).build());
        assertThatThrownBy(() -> ava.activate(training.number(), Change.SYSTEM))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is TRAINING");

        ava.setState(1, ModelState.READY, Change.SYSTEM);
        ava.activate(1, Change.SYSTEM);
        ava.setState(1, ModelState.RETIRED, Change.by("alice", "old"));
        assertThat(ava.selection().activeModelVersion()).isEmpty();
        assertThatThrownBy(() -> ava.setState(1, ModelState.TRAINING, Change.SYSTEM))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("allowed:");
        ava.setState(1, ModelState.READY, Change.SYSTEM);
        assertThat(ava.activate(1, Change.SYSTEM).activeModelVersion()).hasValue(1);
    }

    @Test
    void register_sameProviderModelTwice_returnsTheFirst_andUnknownsAreNotFound() {
        ModelVersion a = register("aaa");
        ModelVersion again = register("aaa");
        ModelVersion imported = ava.importModel("openai", "ft:gpt-4o-mini:other:zzz", "gpt-4o-mini", "trained elsewhere");

        assertThat(again.number()).isEqualTo(a.number());
        assertThat(imported.number()).isEqualTo(2);
        assertThat(imported.note()).contains("trained elsewhere");
        assertThatThrownBy(() -> ava.activate(9, Change.SYSTEM)).isInstanceOf(NotFoundException.class)
                .hasMessage("assistant 'avatar-42' has no model version 9");
        assertThatThrownBy(() -> ft.assistant("nobody")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> ft.createAssistant("avatar-42", "mistral", "open-mistral-7b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists with provider openai");
        assertThat(ft.assistants()).containsExactly("avatar-42");
    }

    @Test
    void concurrentRegistrations_getContiguousNumbers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<ModelVersion>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "m" + i;
            futures.add(pool.submit(() -> register(id)));
        }
        Set<Integer> numbers = ConcurrentHashMap.newKeySet();
        for (Future<ModelVersion> f : futures) {
            numbers.add(f.get().number());
        }
        pool.shutdown();

        assertThat(numbers).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 40).boxed().toList());
        assertThat(ava.modelVersions()).hasSize(40);
    }

    @Test
    void retrainAdvice_comparesTheDatasetWithTheActiveVersionsTrainingData() {
        Dataset data = ft.dataset("avatar-42/main");
        DatasetVersion d1 = data.append(IntStream.range(0, 44).mapToObj(i -> Example.of(Message.user("q" + i),
                Message.assistant("a" + i))).toList(), null).version().orElseThrow();
        ava.register(ModelVersionSpec.builder("openai", "ft:a", "gpt-4o-mini")
                .trainedOn(new TrainedOn(d1.datasetRef(), d1.id(), d1.number(), 40, 0.1)).build());
        ava.activate(1, Change.SYSTEM);
        data.append(IntStream.range(0, 50).mapToObj(i -> Example.of(Message.user("zh" + i),
                Message.assistant("a" + i))).toList(), "+50 Chinese");

        RetrainAdvice advice = ava.retrainAdvice(data, TrainingPolicy.defaults());

        assertThat(advice.newExamples()).isEqualTo(50);
        assertThat(advice.retrainRecommended()).isTrue();
    }

    @Test
    void stress_randomSelectionChanges_keepOneSelection_contiguousVersions_andAReplayableTimeline() throws Exception {
        for (int i = 0; i < 5; i++) {
            register("v" + i);
        }
        ava.createPrompt("p1", List.of(), null);
        ava.createPrompt("p2", List.of(), null);
        int threads = stressThreads();
        int calls = stressCallsEach();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < calls; i++) {
                    try {
                        switch (r.nextInt(6)) {
                            case 0, 1 -> ava.activate(1 + r.nextInt(5), Change.by("t", ""));
                            case 2 -> ava.deactivate(Change.by("t", ""));
                            case 3 -> ava.rollback(Change.by("t", ""));
                            case 4 -> ava.activatePrompt(1 + r.nextInt(2), Change.by("t", ""));
                            default -> ava.setCandidate(1 + r.nextInt(5), 1 + r.nextInt(100), Change.by("t", ""));
                        }
                        ok.incrementAndGet();
                    } catch (ConflictException e) {
                        conflicts.incrementAndGet();
                    } catch (IllegalStateException | IllegalArgumentException e) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(20, TimeUnit.MINUTES)).isTrue();

        assertThat(ok.get() + conflicts.get() + refused.get()).isEqualTo(threads * calls);
        assertThat(ok.get()).isPositive();
        List<TimelineEntry> t = timeline();
        Selection current = ava.selection();
        assertThat(t.get(t.size() - 1).after()).isEqualTo(current);
        for (int i = 1; i < t.size(); i++) {
            TimelineEntry e = t.get(i);
            assertThat(e.before()).isEqualTo(t.get(i - 1).after());
            assertThat(e.after().revision()).isEqualTo(i + 1);
            Selection replayed = replay(e, t);
            assertThat(e.after().sameAs(replayed)).as("entry %d %s", i, e.action()).isTrue();
        }
        assertThat(ava.modelVersions()).extracting(ModelVersion::number).containsExactly(1, 2, 3, 4, 5);
    }

    /** Applies an entry's action to its before-state, independently of the implementation. */
    private static Selection replay(TimelineEntry e, List<TimelineEntry> all) {
        Selection b = e.before();
        Integer active = b.activeModelVersion().isPresent() ? b.activeModelVersion().getAsInt() : null;
        Integer prompt = b.activePromptVersion().isPresent() ? b.activePromptVersion().getAsInt() : null;
        Integer cand = b.candidateModelVersion().isPresent() ? b.candidateModelVersion().getAsInt() : null;
        int share = b.candidateShare();
        switch (e.action()) {
            case ACTIVATE -> {
                active = e.version();
                if (cand != null && cand == e.version()) {
                    cand = null;
                }
            }
            case DEACTIVATE -> active = null;
            case ACTIVATE_PROMPT -> prompt = e.version();
            case SET_CANDIDATE -> {
                cand = e.version();
                share = e.after().candidateShare();
            }
            case ROLLBACK -> {
                Selection target = all.get(e.version() - 1).after();
                return Selection.builder().assistant(b.assistant()).baseModel(b.provider(), b.baseModel())
                        .activeModelVersion(target.activeModelVersion().isPresent()
                                ? target.activeModelVersion().getAsInt() : null)
                        .activePromptVersion(target.activePromptVersion().isPresent()
                                ? target.activePromptVersion().getAsInt() : null)
                        .candidate(target.candidateModelVersion().isPresent()
                                ? target.candidateModelVersion().getAsInt() : null, target.candidateShare())
                        .build();
            }
            default -> throw new AssertionError("unexpected action " + e.action());
        }
        return Selection.builder().assistant(b.assistant()).baseModel(b.provider(), b.baseModel())
                .activeModelVersion(active).activePromptVersion(prompt).candidate(cand, share).build();
    }

    @Test
    void fallbackChain_isStoredWithTheSelection_inOneWrite_andFollowsRollbackAndDelete() {
        register("a1");
        register("b2");
        ava.activate(1, Change.by("ops", "live"));
        long before = ava.selection().revision();
        java.time.LocalDate shutdown = java.time.LocalDate.parse("2027-01-14");

        Selection migrated = ava.activate(2, List.of(Fallback.until(1, shutdown), Fallback.baseModel()),
                Change.by("ops", "migrated"));

        assertThat(migrated.revision()).isEqualTo(before + 1);
        assertThat(migrated.activeModelVersion()).hasValue(2);
        assertThat(migrated.fallbacks()).containsExactly(Fallback.until(1, shutdown), Fallback.baseModel());
        assertThat(migrated.describe()).isEqualTo("model v2, no prompt, fallback v1 until 2027-01-14 -> base");
        FineTuning other = FineTuning.builder().store(ft.store()).clock(clock).build();
        assertThat(other.assistant("avatar-42").selection().fallbacks()).isEqualTo(migrated.fallbacks());

        Selection set = ava.setFallbacks(List.of(Fallback.baseModel()), Change.by("ops", "base only"));
        assertThat(set.fallbacks()).containsExactly(Fallback.baseModel());
        assertThat(timeline().get(timeline().size() - 1).action()).isEqualTo(Action.SET_FALLBACKS);
        Selection back = ava.rollback(Change.by("ops", "undo"));
        assertThat(back.fallbacks()).containsExactly(Fallback.until(1, shutdown), Fallback.baseModel());

        ava.delete(1, Change.by("ops", "source gone"));
        assertThat(ava.selection().fallbacks()).containsExactly(Fallback.baseModel());
        assertThatThrownBy(() -> ava.setFallbacks(List.of(Fallback.to(1)), Change.SYSTEM))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model version 1 of 'avatar-42' is DELETED");
        assertThatThrownBy(() -> ava.setFallbacks(List.of(Fallback.to(9)), Change.SYSTEM))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void migrationNotes_areInTheTimeline_changeNothing_andARollbackPassesOverThem() {
        register("a1");
        register("b2");
        ava.activate(1, Change.by("ops", "first"));
        ava.activate(2, Change.by("ops", "second"));

        Selection noted = ava.noteMigration(2, Change.by("migration", "mig-1 train: job submitted"));

        assertThat(noted.sameAs(ava.selection())).isTrue();
        assertThat(noted.activeModelVersion()).hasValue(2);
        TimelineEntry last = timeline().get(timeline().size() - 1);
        assertThat(last.action()).isEqualTo(Action.MIGRATE);
        assertThat(last.reason()).isEqualTo("mig-1 train: job submitted");
        assertThat(last.before().sameAs(last.after())).isTrue();
        assertThat(ava.rollback(Change.by("ops", "undo")).activeModelVersion()).as("undoes the activation of v2")
                .hasValue(1);
    }
}
