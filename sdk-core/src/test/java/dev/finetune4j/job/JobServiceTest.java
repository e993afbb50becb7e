package dev.finetune4j.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.FineTuning;
import dev.finetune4j.InsufficientExamplesException;
import dev.finetune4j.JobTimeoutException;
import dev.finetune4j.ValidationException;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.ModelState;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.SplitPolicy;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testing.ManualClock;
import dev.finetune4j.testing.TestRules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobServiceTest {


    private final ManualClock clock = new ManualClock();
    private final List<Duration> sleeps = new ArrayList<>();
    private final Sleeper sleeper = d -> {
        sleeps.add(d);
        clock.advance(d);
    };
    private final VersionStore store = VersionStores.inMemory(clock);
    private FakeProvider openai;
    private FineTuning ft;
    private Assistant ava;
    private Dataset data;

    private FineTuning build(FakeProvider provider) {
        return FineTuning.builder().store(store).clock(clock).sleeper(sleeper).provider(provider)
                .splitPolicy(SplitPolicy.DEFAULT).build();
    }

    @BeforeEach
    void setUp() {
        openai = new FakeProvider("openai", false, TestRules.OPENAI);
        ft = build(openai);
        ava = ft.createAssistant("avatar-42", "openai", "gpt-4o-mini-2024-07-18");
        data = ft.dataset("avatar-42/main");
    }

    private void examples(int n) {
        data.append(IntStream.range(0, n).mapToObj(i -> Example.of(Message.system("You are Ava."),
                Message.user("question number " + i), Message.assistant("answer number " + i))).toList(), null);
    }

    private FineTuneSpec spec() {
        return FineTuneSpec.builder("avatar-42", "main").build();
    }

    @Test
    void submit_belowMinimumExamples_isRejectedBeforeAnyUpload() {
        examples(8);

        assertThatThrownBy(() -> ft.jobs().submit(spec()))
                .isInstanceOf(InsufficientExamplesException.class)
                .hasMessageStartingWith("dataset 'avatar-42/main@1' has ")
                .hasMessageContaining("openai requires at least 10");
        assertThat(openai.calls.get()).isZero();
        assertThat(ft.jobs().list("avatar-42")).isEmpty();
    }

    @Test
    void submit_examplesBreakingTheProvidersRules_areRejectedBeforeAnyUpload() {
        FakeProvider mistral = new FakeProvider("mistral", false, TestRules.MISTRAL);
        FineTuning withMistral = build(mistral);
        withMistral.createAssistant("parser", "mistral", "open-mistral-7b");
        withMistral.dataset("parser/main").append(IntStream.range(0, 40).mapToObj(i -> Example.of(
                Message.user("q" + i), Message.assistant("a" + i), Message.user("and?"))).toList(), null);

        assertThatThrownBy(() -> withMistral.jobs().submit(FineTuneSpec.builder("parser", "main").build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("breaks mistral's rules")
                .hasMessageContaining("last_message_not_assistant")
                .hasMessageContaining("nothing was uploaded");
        assertThat(mistral.calls.get()).isZero();
    }

    @Test
    void submit_recordsTheJobBeforeUploading_thenTrainsAndRegistersOneModelVersion() {
        examples(60);
        List<String> statusAtUpload = new ArrayList<>();
        openai.onUpload = d -> statusAtUpload.add(ft.jobs().list("avatar-42").get(0).rawStatus());

        FineTuneJob job = ft.jobs().submit(spec());

        assertThat(statusAtUpload).containsExactly("PENDING");
        assertThat(job.remoteId()).contains("ftjob-1");
        assertThat(job.status()).isEqualTo(JobStatus.VALIDATING);
        assertThat(openai.jobs.get("ftjob-1").request.tag()).isEqualTo(job.id());
        assertThat(openai.jobs.get("ftjob-1").request.data().validation()).contains("file-val-1");
        assertThat(job.estimate().trainingExamples()).isEqualTo(openai.uploadedLines.size());
        assertThat(job.estimate().cost()).isPresent();

        job.awaitCompletion(Duration.ofHours(2));

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.modelVersion()).hasValue(1);
        ModelVersion v1 = ava.modelVersion(1).orElseThrow();
        assertThat(v1.providerModelId()).isEqualTo("ft:gpt-4o-mini-2024-07-18:acme::1x");
        assertThat(v1.jobId()).contains(job.id());
        assertThat(v1.trainedOn().orElseThrow().versionNumber()).isEqualTo(1);
        assertThat(v1.metrics().trainLoss()).hasValue(0.4);
        assertThat(v1.hyperparameters()).containsEntry("n_epochs", "3");
        assertThat(v1.cost()).contains(Money.usd("0.9"));
        assertThat(v1.state()).isEqualTo(ModelState.READY);
        assertThat(ava.selection().activeModelVersion()).as("never auto-activated").isEmpty();
        assertThat(sleeps).isNotEmpty().allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(60)));

        job.refresh();
        ft.jobs().job(job.id()).refresh();
        assertThat(ava.modelVersions()).hasSize(1);
    }

    @Test
    void submit_sameDatasetVersionTwice_reusesTheUpload() {
        examples(30);

        ft.jobs().submit(spec());
        ft.jobs().submit(spec().toBuilder().hyperparameters(Hyperparameters.builder().epochs(2).build()).build());

        assertThat(openai.uploads.get()).isEqualTo(1);
        assertThat(openai.remoteJobs()).isEqualTo(2);
    }

    @Test
    void anUpload_isReusedOnlyWhereItLives_andOneRecordedBeforeScopesExisted_staysInUse() {
        examples(30);
        List<String> trainingRefs = new ArrayList<>();
        String[] scopes = {"", "https://emulator.example:8089/v1", "https://api.example/v1",
            "https://emulator.example:8089/v1", ""};

        for (int i = 0; i < scopes.length; i++) {
            openai.uploadScope = scopes[i];
            FineTuneJob job = ft.jobs().submit(spec().toBuilder().hyperparameters(Hyperparameters.builder()
                    .epochs(i + 1).build()).build());
            trainingRefs.add(openai.jobs.get(job.remoteId().orElseThrow()).request.data().trainingRef());
        }

        assertThat(openai.uploads.get()).as("one upload per scope").isEqualTo(3);
        assertThat(trainingRefs).containsExactly("file-train-1", "file-train-2", "file-train-3", "file-train-2",
                "file-train-1");
    }

    @Test
    void crashBetweenUploadAndCreate_resumeCreatesTheJobWithoutUploadingAgain() {
        examples(30);
        openai.nextCreate = FakeProvider.Fault.CRASH_BEFORE_CREATE;
        assertThatThrownBy(() -> ft.jobs().submit(spec())).isInstanceOf(FakeProvider.SimulatedCrash.class);

        FineTuning restarted = build(openai);
        List<FineTuneJob> resumed = restarted.jobs().resume();

        assertThat(resumed).hasSize(1);
        assertThat(resumed.get(0).remoteId()).contains("ftjob-1");
        assertThat(openai.uploads.get()).isEqualTo(1);
        assertThat(openai.remoteJobs()).isEqualTo(1);
    }

    @Test
    void crashBetweenCreateAndRecord_resumeAdoptsTheJobByItsTag() {
        examples(30);
        openai.nextCreate = FakeProvider.Fault.CRASH_AFTER_CREATE;
        assertThatThrownBy(() -> ft.jobs().submit(spec())).isInstanceOf(FakeProvider.SimulatedCrash.class);

        List<FineTuneJob> resumed = build(openai).jobs().resume();

        assertThat(resumed.get(0).remoteId()).contains("ftjob-1");
        assertThat(openai.remoteJobs()).isEqualTo(1);
        assertThat(openai.uploads.get()).isEqualTo(1);
    }

    @Test
    void connectionDroppedAfterCreate_submitFindsTheJobInsteadOfCreatingAnother() {
        examples(30);
        openai.nextCreate = FakeProvider.Fault.DROP_AFTER_CREATE;

        FineTuneJob job = ft.jobs().submit(spec());

        assertThat(job.remoteId()).contains("ftjob-1");
        assertThat(openai.remoteJobs()).isEqualTo(1);
    }

    @Test
    void awaitCompletion_ofAJobThatNeverEnds_returnsAtTheDeadline() {
        examples(30);
        openai.neverFinish = true;
        FineTuneJob job = ft.jobs().submit(spec());
        Instant start = clock.instant();

        job.awaitCompletion(Duration.ofMinutes(30));

        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofMinutes(30));
        assertThat(sleeps.get(0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(60)));
    }

    @Test
    void awaitCompletionOrThrow_ofAJobThatNeverEnds_throwsNamingItsStatus_andOfAnEndedJobReturnsIt() {
        examples(30);
        openai.neverFinish = true;
        FineTuneJob job = ft.jobs().submit(spec());
        Instant start = clock.instant();

        assertThatThrownBy(() -> job.awaitCompletionOrThrow(Duration.ofMinutes(30)))
                .isInstanceOfSatisfying(JobTimeoutException.class, e -> {
                    assertThat(e.jobId()).isEqualTo(job.id());
                    assertThat(e.status()).isEqualTo(JobStatus.RUNNING);
                    assertThat(e.waited()).isEqualTo(Duration.ofMinutes(30));
                })
                .hasMessageContaining("job " + job.id() + " is still RUNNING")
                .hasMessageContaining("after waiting PT30M");
        assertThat(Duration.between(start, clock.instant())).isEqualTo(Duration.ofMinutes(30));

        openai.neverFinish = false;
        assertThat(job.awaitCompletionOrThrow(Duration.ofHours(2)).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.modelVersion()).isPresent();
    }

    @Test
    void pollInterval_setsTheWaitsOfAnAwaitedJob_andRefusesAFirstWaitAboveTheLongest() {
        examples(30);
        openai.neverFinish = true;
        FineTuning polled = FineTuning.builder().store(store).clock(clock).sleeper(sleeper).splitPolicy(SplitPolicy.DEFAULT)
                .pollInterval(Duration.ofSeconds(1), Duration.ofSeconds(2)).provider(openai).build();
        FineTuneJob job = polled.jobs().submit(spec());
        sleeps.clear();

        job.awaitCompletion(Duration.ofSeconds(20));

        assertThat(sleeps.get(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(2)));
        assertThat(sleeps).contains(Duration.ofSeconds(2));
        assertThatThrownBy(() -> FineTuning.builder().pollInterval(Duration.ofSeconds(3), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first=PT3S, max=PT2S");
    }

    @Test
    void failedJob_keepsTheProvidersError_andRegistersNothing() {
        examples(30);
        openai.fail = true;

        FineTuneJob job = ft.jobs().submit(spec()).awaitCompletion(Duration.ofHours(1));

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.rawStatus()).isEqualTo("failed");
        assertThat(job.error().orElseThrow().toString()).isEqualTo("invalid_training_file: bad file (training_file)");
        assertThat(ava.modelVersions()).isEmpty();
    }

    @Test
    void continueFrom_onAProviderThatCannot_retrainsFromBaseAndSaysSo() {
        examples(30);
        ft.jobs().submit(spec()).awaitCompletion(Duration.ofHours(1));
        examples(40);

        FineTuneJob again = ft.jobs().submit(spec().toBuilder().continueFrom(1).build());

        assertThat(again.baseModel()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(again.estimate().warnings()).anySatisfy(w -> assertThat(w).contains("cannot continue training"));
    }

    @Test
    void continueFrom_onAProviderThatCan_trainsFromTheFineTunedModel() {
        FakeProvider capable = new FakeProvider("openai", true, TestRules.OPENAI);
        FineTuning ft2 = build(capable);
        examples(30);
        ft2.jobs().submit(spec()).awaitCompletion(Duration.ofHours(1));

        FineTuneJob next = ft2.jobs().submit(spec().toBuilder().continueFrom(1).build()).awaitCompletion(Duration.ofHours(1));

        assertThat(next.baseModel()).isEqualTo("ft:gpt-4o-mini-2024-07-18:acme::1x");
        assertThat(ft2.assistant("avatar-42").modelVersion(2).orElseThrow().baseModel())
                .isEqualTo("gpt-4o-mini-2024-07-18");
    }

    @Test
    void estimate_countsAndPricesWithoutCallingTheProvider() {
        examples(100);

        JobEstimate e = ft.jobs().estimate(spec());

        assertThat(openai.calls.get()).isZero();
        assertThat(e.trainingExamples() + e.validationExamples()).isEqualTo(100);
        assertThat(e.tokens().encoding()).isEqualTo("o200k_base");
        assertThat(e.cost().orElseThrow().epochs()).isEqualTo(3);
        assertThat(e.cost().orElseThrow().billedTokens()).isEqualTo(3 * e.tokens().billableTokens());
    }

    @Test
    void cancel_and_events_areRecorded() {
        examples(30);
        FineTuneJob job = ft.jobs().submit(spec());

        assertThat(job.newEvents()).extracting(JobEvent::message).containsExactly("event 1");
        job.refresh();
        assertThat(job.newEvents()).extracting(JobEvent::message).containsExactly("event 2");
        job.cancel();

        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(ft.jobs().job(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(ft.jobs().active()).isEmpty();
    }

    @Test
    void tracker_pollsDueJobs_registersAndAutoActivates_andTellsTheListener() {
        examples(30);
        FineTuneJob job = ft.jobs().submit(spec());
        List<String> heard = new ArrayList<>();
        JobListener listener = new JobListener() {
            @Override
            public void onStatus(FineTuneJob j, JobStatus from, JobStatus to) {
                heard.add(from + "->" + to);
            }

            @Override
            public void onModelVersion(FineTuneJob j, int version, boolean activated) {
                heard.add("v" + version + (activated ? " activated" : ""));
            }
        };
        JobTracker tracker = ((dev.finetune4j.internal.job.JobService) ft.jobs()).manualTracker(
                JobTracker.Options.defaults().withListener(listener).withAutoActivate(true)
                        .withIntervals(Duration.ofSeconds(10), Duration.ofSeconds(40)));

        for (int i = 0; i < 10 && !ft.jobs().active().isEmpty(); i++) {
            tracker.pollOnce();
            clock.advance(Duration.ofSeconds(10));
        }

        assertThat(heard).containsExactly("VALIDATING->QUEUED", "QUEUED->RUNNING", "RUNNING->SUCCEEDED",
                "v1 activated");
        assertThat(ava.selection().activeModelVersion()).hasValue(1);
        assertThat(ft.jobs().job(job.id()).modelVersion()).hasValue(1);
    }

    @Test
    void tracker_aJobLeasedByAnotherLiveInstance_isNotPolled() {
        examples(30);
        ft.jobs().submit(spec());
        JobTracker a = ((dev.finetune4j.internal.job.JobService) ft.jobs()).manualTracker(
                JobTracker.Options.defaults().withInstanceId("a"));
        JobTracker b = ((dev.finetune4j.internal.job.JobService) build(openai).jobs()).manualTracker(
                JobTracker.Options.defaults().withInstanceId("b"));

        assertThat(a.pollOnce()).isEqualTo(1);
        assertThat(b.pollOnce()).isZero();
        clock.advance(Duration.ofMinutes(6));
        assertThat(b.pollOnce()).as("a's lease expired").isEqualTo(1);
        assertThat(a.pollOnce()).as("b holds it now").isZero();
    }

    @Test
    void submit_onAnotherProviderThanTheAssistants_needsThatProvidersBaseModel_andKeepsTheLineage() {
        FakeProvider hf = new FakeProvider("huggingface", true, TestRules.HUGGINGFACE);
        FineTuning both = FineTuning.builder().store(store).clock(clock).sleeper(sleeper).provider(openai).provider(hf)
                .build();
        examples(30);

        assertThatThrownBy(() -> both.jobs().submit(spec().toBuilder().provider("huggingface").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("belongs to openai (set FineTuneSpec.baseModel)");

        FineTuneJob moved = both.jobs().submit(spec().toBuilder().provider("huggingface")
                .baseModel("Qwen/Qwen2.5-0.5B-Instruct").build()).awaitCompletion(Duration.ofHours(1));
        ModelVersion v = both.assistant("avatar-42").modelVersion(moved.modelVersion().getAsInt()).orElseThrow();
        assertThat(v.provider()).isEqualTo("huggingface");
        assertThat(v.baseModel()).isEqualTo("Qwen/Qwen2.5-0.5B-Instruct");
        assertThat(v.trainedOn().orElseThrow().versionId()).isEqualTo(data.latest().orElseThrow().id());
    }

    @Test
    void submit_withAnOptionTheProviderCannotTake_failsBeforeAnythingIsRecordedOrUploaded() {
        examples(30);
        openai.refuseOption = "flavor";

        assertThatThrownBy(() -> ft.jobs().submit(spec().toBuilder().option("flavor", "a10g-small").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("openai has no option 'flavor'");
        assertThat(openai.uploads.get()).isZero();
        assertThat(ft.jobs().list("avatar-42")).isEmpty();
    }
}
