package dev.finetune4j.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.JobMayExistException;
import dev.finetune4j.RateLimitedException;
import dev.finetune4j.StoreException;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.SplitPolicy;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import dev.finetune4j.testing.TestRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit} is idempotent per intent: a second submission of the same data and settings
 * returns the first job (resumed, adopted, started or already trained) instead of paying again,
 * also when two submissions race, when the first lost its create, and when the first was killed
 * while creating.
 */
class SubmitIntentTest {

    private final ManualClock clock = new ManualClock();
    private final Sleeper sleeper = clock::advance;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private VersionStore store = VersionStores.inMemory(clock);
    private FakeProvider openai = new FakeProvider("openai", false, TestRules.OPENAI);
    private FineTuning ft;

    @TempDir
    Path dir;

    private FineTuning build(VersionStore on, FakeProvider provider) {
        return FineTuning.builder().store(on).clock(clock).sleeper(sleeper).provider(provider)
                .splitPolicy(SplitPolicy.DEFAULT).build();
    }

    @BeforeEach
    void setUp() {
        ft = build(store, openai);
        ft.createAssistant("avatar-42", "openai", "gpt-4o-mini-2024-07-18");
        examples(ft, 30);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private static void examples(FineTuning on, int n) {
        on.dataset("avatar-42/main").append(IntStream.range(0, n).mapToObj(i -> Example.of(
                Message.system("You are Ava."), Message.user("question number " + i),
                Message.assistant("answer number " + i))).toList(), null);
    }

    /** avatar-42 with 30 examples on a provider that prices a job created without starting, as Mistral does. */
    private FineTuning onCostPreviewProvider(FakeProvider mistral) {
        FineTuning m = build(VersionStores.inMemory(clock), mistral);
        m.createAssistant("avatar-42", "mistral", "open-mistral-7b");
        examples(m, 30);
        return m;
    }

    private static FineTuneSpec spec() {
        return FineTuneSpec.builder("avatar-42", "main").build();
    }

    @Test
    void submit_sameIntentWhileTheFirstIsUnfinished_returnsTheFirstInsteadOfCreatingAnother() {
        FineTuneJob first = ft.jobs().submit(spec());

        FineTuneJob second = ft.jobs().submit(spec());

        assertThat(first.reused()).isEmpty();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.reused()).contains(ReuseReason.UNFINISHED);
        assertThat(second.remoteId()).contains("ftjob-1");
        assertThat(second.status()).as("refreshed on the way").isEqualTo(JobStatus.QUEUED);
        assertThat(openai.remoteJobs()).isEqualTo(1);
        assertThat(openai.uploads.get()).isEqualTo(1);
        assertThat(ft.jobs().list("avatar-42")).hasSize(1);
        assertThat(ft.jobs().job(first.id()).reused()).as("only submit says it reused").isEmpty();
    }

    @Test
    void submit_sameIntentAfterItTrained_isAlreadyTrained_withoutCallingTheProvider_andAgainTrainsANewJob() {
        FineTuneJob first = ft.jobs().submit(spec()).awaitCompletion(Duration.ofHours(1));
        int callsBefore = openai.calls.get();

        FineTuneJob retried = ft.jobs().submit(spec());

        assertThat(retried.id()).isEqualTo(first.id());
        assertThat(retried.reused()).contains(ReuseReason.ALREADY_TRAINED);
        assertThat(retried.modelVersion()).hasValue(1);
        assertThat(openai.calls.get()).isEqualTo(callsBefore);

        FineTuneJob again = ft.jobs().submit(spec().toBuilder().again(true).build()).awaitCompletion(Duration.ofHours(1));

        assertThat(again.id()).isNotEqualTo(first.id());
        assertThat(again.reused()).isEmpty();
        assertThat(again.modelVersion()).hasValue(2);
        assertThat(openai.remoteJobs()).isEqualTo(2);
        assertThat(ft.jobs().submit(spec()).id()).as("the intent now names the newest job").isEqualTo(again.id());
    }

    @Test
    void submit_afterTheSameIntentFailed_orItsVersionWasDeleted_createsANewJob() {
        openai.fail = true;
        FineTuneJob failed = ft.jobs().submit(spec()).awaitCompletion(Duration.ofHours(1));
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        openai.fail = false;

        FineTuneJob retried = ft.jobs().submit(spec()).awaitCompletion(Duration.ofHours(1));

        assertThat(retried.id()).isNotEqualTo(failed.id());
        assertThat(retried.reused()).isEmpty();
        assertThat(retried.modelVersion()).hasValue(1);

        ft.assistant("avatar-42").delete(1, Change.by("test", "bad model"));
        FineTuneJob afterDelete = ft.jobs().submit(spec());

        assertThat(afterDelete.id()).isNotIn(failed.id(), retried.id());
        assertThat(openai.remoteJobs()).isEqualTo(3);
    }

    @Test
    void submit_anythingThatChangesWhatIsTrained_isAnotherIntent_butStartIsNot() {
        FineTuneJob first = ft.jobs().submit(spec());
        List<FineTuneSpec> others = List.of(
                spec().toBuilder().hyperparameters(Hyperparameters.builder().epochs(2).build()).build(),
                spec().toBuilder().suffix("ava").build(),
                spec().toBuilder().validation(false).build(),
                spec().toBuilder().option("seed_note", "x").build(),
                spec().toBuilder().baseModel("gpt-4.1-mini-2025-04-14").build());

        List<String> ids = others.stream().map(s -> ft.jobs().submit(s).id()).toList();
        ft.dataset("avatar-42/main").append(List.of(Example.of(Message.user("a new question"),
                Message.assistant("a new answer"))), null);
        String onV2 = ft.jobs().submit(spec()).id();

        assertThat(Stream.concat(ids.stream(), Stream.of(onV2, first.id()))).doesNotHaveDuplicates().hasSize(7);
        assertThat(openai.remoteJobs()).isEqualTo(7);
        assertThat(ft.jobs().submit(spec().toBuilder().datasetVersion("1").build()).id())
                .as("v1 by number is the same intent as the latest was").isEqualTo(first.id());
        assertThat(ft.jobs().submit(spec().toBuilder().start(false).build()).id()).isEqualTo(onV2);
    }

    @Test
    void submit_afterALostCreateWithRateLimitedLookups_saysTheJobMayExist_andTheNextSubmitAdoptsIt() {
        openai.nextCreate = FakeProvider.Fault.DROP_AFTER_CREATE;
        openai.onCreate = () -> openai.rateLimitedLookups.set(1);

        Throwable lost = org.assertj.core.api.Assertions.catchThrowable(() -> ft.jobs().submit(spec()));

        FineTuneJob pending = ft.jobs().list("avatar-42").get(0);
        assertThat(lost).isInstanceOf(JobMayExistException.class)
                .hasMessage("job " + pending.id() + " may exist at openai: the answer to its create request was lost "
                        + "(connection reset), and looking it up by its tag failed: Rate limit reached for requests. "
                        + "Its record stays unfinished; FineTuneJobs.resume(), or submitting the same spec again, "
                        + "looks for it by its tag " + pending.id() + " and adopts it, creating it only if it is not "
                        + "there")
                .hasCauseInstanceOf(RateLimitedException.class);
        assertThat(((JobMayExistException) lost).jobId()).isEqualTo(pending.id());
        assertThat(pending.remoteId()).isEmpty();
        assertThat(pending.status()).isEqualTo(JobStatus.PENDING);
        assertThat(openai.remoteJobs()).as("the create arrived").isEqualTo(1);

        openai.rateLimitedLookups.set(1);
        assertThatThrownBy(() -> ft.jobs().submit(spec())).isInstanceOf(JobMayExistException.class)
                .hasMessageContaining("an earlier attempt sent its create request without learning the outcome");

        FineTuneJob adopted = ft.jobs().submit(spec());

        assertThat(adopted.id()).isEqualTo(pending.id());
        assertThat(adopted.reused()).contains(ReuseReason.UNFINISHED);
        assertThat(adopted.remoteId()).contains("ftjob-1");
        assertThat(openai.remoteJobs()).isEqualTo(1);
        assertThat(openai.creates.get()).isEqualTo(1);
    }

    @Test
    void submit_ofAPreviewedIntent_startsThePreviewedJobOnceItIsPriced_neverCreatingASecond() {
        FakeProvider mistral = new FakeProvider("mistral", false, TestRules.MISTRAL, true);
        FineTuning m = onCostPreviewProvider(mistral);
        FineTuneSpec preview = spec().toBuilder().start(false).build();

        FineTuneJob created = m.jobs().submit(preview);
        FineTuneJob previewAgain = m.jobs().submit(preview);
        FineTuneJob started = m.jobs().submit(spec());

        assertThat(created.status()).isEqualTo(JobStatus.VALIDATING);
        assertThat(previewAgain.id()).isEqualTo(created.id());
        assertThat(previewAgain.reused()).contains(ReuseReason.PREVIEW_WAITING);
        assertThat(previewAgain.costPreview()).contains(Money.usd("4"));
        assertThat(started.id()).isEqualTo(created.id());
        assertThat(started.reused()).contains(ReuseReason.PREVIEW_STARTED);
        assertThat(mistral.creates.get()).isEqualTo(1);
        assertThat(mistral.starts.get()).isEqualTo(1);
        assertThat(started.awaitCompletion(Duration.ofHours(1)).modelVersion()).hasValue(1);
        assertThat(m.jobs().submit(spec()).reused()).contains(ReuseReason.ALREADY_TRAINED);
    }

    @Test
    void submit_ofAPreviewedIntentNotPricedYet_leavesItWaiting() {
        FakeProvider mistral = new FakeProvider("mistral", false, TestRules.MISTRAL, true);
        FineTuning m = onCostPreviewProvider(mistral);
        FineTuneJob created = m.jobs().submit(spec().toBuilder().start(false).build());
        mistral.jobs.get("ftjob-1").polls = -1;

        FineTuneJob notYet = m.jobs().submit(spec());

        assertThat(notYet.id()).isEqualTo(created.id());
        assertThat(notYet.reused()).contains(ReuseReason.PREVIEW_WAITING);
        assertThat(notYet.costPreview()).isEmpty();
        assertThat(mistral.starts.get()).isZero();
        assertThat(mistral.creates.get()).isEqualTo(1);
    }

    @Test
    void twoSubmissionsRacingOnOneIntent_inOneInstance_createOneRemoteJob() throws Exception {
        ScriptedStore scripted = new ScriptedStore(store);
        FineTuning shared = build(scripted, openai);
        Rendezvous bothRead = new Rendezvous();
        bothRead.afterReadingTheIntent(scripted);

        assertRaceCreatesOneJob(() -> shared, () -> shared);
        assertThat(bothRead.arrivals.get()).as("both read the intent before either claimed it").isEqualTo(2);
    }

    @Test
    void twoSubmissionsRacingOnOneIntent_fromTwoInstancesOnOneFileStore_createOneRemoteJob() throws Exception {
        Path storeDir = dir.resolve("store");
        FineTuning setup = build(VersionStores.file(storeDir, clock), openai);
        setup.createAssistant("avatar-42", "openai", "gpt-4o-mini-2024-07-18");
        examples(setup, 30);
        ScriptedStore a = new ScriptedStore(VersionStores.file(storeDir, clock));
        ScriptedStore b = new ScriptedStore(VersionStores.file(storeDir, clock));
        Rendezvous bothRead = new Rendezvous();
        bothRead.afterReadingTheIntent(a);
        bothRead.afterReadingTheIntent(b);
        FineTuning first = build(a, openai);
        FineTuning second = build(b, openai);

        assertRaceCreatesOneJob(() -> first, () -> second);
        assertThat(bothRead.arrivals.get()).as("both read the intent before either claimed it").isEqualTo(2);
        assertThat(setup.jobs().list("avatar-42")).singleElement()
                .satisfies(j -> assertThat(j.refresh().remoteId()).contains("ftjob-1"));
    }

    /**
     * Holds each thread's first read of a job intent until two threads have made theirs, so that
     * both see the intent unclaimed and the claim itself must decide.
     */
    private static final class Rendezvous {
        final CyclicBarrier barrier = new CyclicBarrier(2);
        final AtomicInteger arrivals = new AtomicInteger();

        void afterReadingTheIntent(ScriptedStore store) {
            ThreadLocal<Boolean> met = ThreadLocal.withInitial(() -> false);
            store.beforeLatest = key -> {
                if (key.collection().equals("job-intents") && !met.get()) {
                    met.set(true);
                    arrivals.incrementAndGet();
                    try {
                        barrier.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException("the other submission never read the intent", e);
                    }
                }
            };
        }
    }

    private void assertRaceCreatesOneJob(Supplier<FineTuning> a, Supplier<FineTuning> b) throws Exception {
        Future<FineTuneJob> fa = pool.submit(() -> a.get().jobs().submit(spec()));
        Future<FineTuneJob> fb = pool.submit(() -> b.get().jobs().submit(spec()));
        FineTuneJob ja = fa.get(60, TimeUnit.SECONDS);
        FineTuneJob jb = fb.get(60, TimeUnit.SECONDS);

        assertThat(ja.id()).isEqualTo(jb.id());
        assertThat(Stream.of(ja, jb).filter(j -> j.reused().isPresent()))
                .singleElement().satisfies(j -> assertThat(j.reused()).contains(ReuseReason.UNFINISHED));
        assertThat(openai.creates.get()).isEqualTo(1);
        assertThat(openai.remoteJobs()).isEqualTo(1);
        assertThat(a.get().jobs().list("avatar-42")).hasSize(1);
    }

    @Test
    void whileOneCallerIsCreatingAJob_othersLeaveItAlone() throws Exception {
        CountDownLatch inCreate = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        openai.onCreate = () -> {
            if (first.getAndSet(false)) {
                inCreate.countDown();
                try {
                    letGo.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Future<FineTuneJob> creating = pool.submit(() -> ft.jobs().submit(spec()));
        assertThat(inCreate.await(30, TimeUnit.SECONDS)).isTrue();

        List<FineTuneJob> resumed = build(store, openai).jobs().resume();
        FineTuneJob resubmitted = build(store, openai).jobs().submit(spec());
        letGo.countDown();
        FineTuneJob job = creating.get(30, TimeUnit.SECONDS);

        assertThat(resumed).singleElement().satisfies(j -> assertThat(j.remoteId()).isEmpty());
        assertThat(resubmitted.id()).isEqualTo(job.id());
        assertThat(resubmitted.reused()).contains(ReuseReason.UNFINISHED);
        assertThat(job.remoteId()).contains("ftjob-1");
        assertThat(openai.creates.get()).isEqualTo(1);
    }

    @Test
    void aCallerKilledWhileCreating_holdsTheCreateUntilItsClaimExpires_thenResumeCreatesIt() {
        openai.nextCreate = FakeProvider.Fault.KILLED_WHILE_CREATING;
        assertThatThrownBy(() -> ft.jobs().submit(spec())).isInstanceOf(FakeProvider.SimulatedKill.class);
        FineTuning restarted = build(store, openai);

        assertThat(restarted.jobs().resume()).singleElement()
                .satisfies(j -> assertThat(j.remoteId()).as("it may still be creating").isEmpty());
        clock.advance(Duration.ofMinutes(21));
        List<FineTuneJob> resumed = restarted.jobs().resume();

        assertThat(resumed).singleElement().satisfies(j -> assertThat(j.remoteId()).contains("ftjob-1"));
        assertThat(openai.creates.get()).isEqualTo(2);
        assertThat(openai.remoteJobs()).isEqualTo(1);
    }

    @Test
    void aSubmissionThatDiedBetweenClaimingAndRecording_isCarriedOnByTheNext() {
        ScriptedStore scripted = new ScriptedStore(store);
        FineTuning dying = build(scripted, openai);
        scripted.beforeWrite = key -> {
            if (key.collection().equals("jobs")) {
                throw new StoreException("disk full");
            }
        };
        assertThatThrownBy(() -> dying.jobs().submit(spec())).isInstanceOf(StoreException.class);
        assertThat(ft.jobs().list("avatar-42")).isEmpty();

        FineTuneJob next = ft.jobs().submit(spec());

        assertThat(next.reused()).contains(ReuseReason.UNFINISHED);
        assertThat(next.remoteId()).contains("ftjob-1");
        assertThat(ft.jobs().list("avatar-42")).singleElement()
                .satisfies(j -> assertThat(j.id()).isEqualTo(next.id()));
        assertThat(openai.remoteJobs()).isEqualTo(1);
    }
}
