package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.finetune4j.FineTuning;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.JobMayExistException;
import dev.finetune4j.RateLimitedException;
import dev.finetune4j.TransportException;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.eval.EvalReport;
import dev.finetune4j.eval.EvalSpec;
import dev.finetune4j.eval.EvalTarget;
import dev.finetune4j.eval.Scorers;
import dev.finetune4j.eval.TargetSummary;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.ReuseReason;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.Providers;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import dev.finetune4j.testkit.OpenAiEmulator;
import dev.finetune4j.testkit.RecordedRequest;
import dev.finetune4j.testkit.ScriptedFault;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults a host app can script on the emulator, and what finetune4j does about each: one test per
 * recipe docs/testing.md lists, each checking that the fault went to the request the recipe
 * means ({@link RecordedRequest#fault()}) and that finetune4j did what the text says.
 */
class ScriptedFaultsTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    /** The waits the provider's retries asked for (Retry-After included); nothing sleeps. */
    final List<Duration> retryWaits = new ArrayList<>();
    final VersionStore store = VersionStores.inMemory();
    Provider provider;
    FineTuning ft;

    @BeforeEach
    void setUp() {
        provider = Providers.create("openai", ProviderConfig.builder()
                .endpoint(URI.create(openai.baseUrl()))
                .apiKey(ApiKey.of("sk-test"))
                .sleeper(retryWaits::add)          // retries wait for nothing in tests (Retry-After included)
                .build());
        ft = FineTuning.builder().store(store).provider(provider).sleeper(d -> Thread.sleep(5))
                .build();
        ft.createAssistant("voice-parser", "openai", "gpt-4o-mini-2024-07-18");
        ft.dataset("voice-parser/main").importJsonl(Apps.SAMPLE, ImportOptions.defaults(), "sample");
    }

    @AfterEach
    void tearDown() {
        ft.close();
        provider.close();
    }

    private FineTuneJob train() {
        return ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build())
                .awaitCompletion(Duration.ofMinutes(1));
    }

    /** Each request on the jobs API, as "METHOD /path" (no query) and the fault it was given. */
    private static List<Tuple> jobRequests() {
        return openai.requests().stream().filter(r -> r.path().startsWith("/v1/fine_tuning/jobs"))
                .map(r -> tuple(r.method() + " " + r.path().replaceAll("\\?.*", ""), r.fault())).toList();
    }

    private static long creates() {
        return openai.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/v1/fine_tuning/jobs")).count();
    }

    @Test
    void responseLostAfterTheJobWasCreated_isFoundByItsTag_neverCreatedTwice() {
        // finetune4j first looks for a job with its tag (a GET, let through late), then creates it (a
        // POST, processed, but its response is lost).
        openai.on("/fine_tuning/jobs").slowNext(Duration.ofMillis(1)).loseResponseNext();

        FineTuneJob job = train();

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(openai.pendingFaults()).isZero();
        assertThat(openai.requests()).filteredOn(r -> r.method().equals("POST")
                && r.path().equals("/v1/fine_tuning/jobs")).singleElement()
                .satisfies(r -> assertThat(r.fault()).isEqualTo(ScriptedFault.LOSE_RESPONSE));
        assertThat(openai.jobs()).singleElement()
                .satisfies(j -> assertThat(j.metadata()).containsEntry("finetune4j_job", job.id()));
    }

    @Test
    void slowThenLose_onTheJobsPath_slowsTheLookUpAndLosesTheCreate_thenTheLookUpFindsIt() {
        openai.on("/fine_tuning/jobs").slowNext(Duration.ofMillis(1)).loseResponseNext();

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());

        assertThat(jobRequests().subList(0, 3)).containsExactly(
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.SLOW),
                tuple("POST /v1/fine_tuning/jobs", ScriptedFault.LOSE_RESPONSE),
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.NONE));
        assertThat(job.remoteId()).contains(openai.jobs().get(0).id());
        assertThat(openai.jobs()).hasSize(1);
    }

    @Test
    void loseResponseOfTheCreate_namedByItsMethod_isFoundByItsTag() {
        openai.on("POST", "/fine_tuning/jobs").loseResponseNext();

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());

        assertThat(jobRequests().subList(0, 3)).containsExactly(
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.NONE),
                tuple("POST /v1/fine_tuning/jobs", ScriptedFault.LOSE_RESPONSE),
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.NONE));
        assertThat(job.remoteId()).contains(openai.jobs().get(0).id());
        assertThat(creates()).isEqualTo(1);
    }

    @Test
    void loseResponseNextOnAPath_takesTheNextRequestThere_theLookUpBeforeTheCreate_whichIsRetried() {
        openai.loseResponseNext("/fine_tuning/jobs");

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());

        assertThat(jobRequests().subList(0, 3)).containsExactly(
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.LOSE_RESPONSE),
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.NONE),
                tuple("POST /v1/fine_tuning/jobs", ScriptedFault.NONE));
        assertThat(job.remoteId()).isPresent();
        assertThat(openai.jobs()).hasSize(1);
    }

    @Test
    void lostCreateWithRateLimitedLookUps_isAJobThatMayExist_andSubmittingAgainAdoptsIt() {
        // The look-up before the create is answered (late); the create is processed and its answer
        // lost; the look-up after it and its two retries are rate-limited.
        openai.on("/fine_tuning/jobs").slowNext(Duration.ofMillis(1)).loseResponseNext().rateLimitNext(3, 1);
        FineTuneSpec spec = FineTuneSpec.builder("voice-parser", "main").build();

        Throwable lost = org.assertj.core.api.Assertions.catchThrowable(() -> ft.jobs().submit(spec));

        FineTuneJob pending = ft.jobs().list("voice-parser").get(0);
        assertThat(lost).isInstanceOf(JobMayExistException.class).hasMessageContaining("job " + pending.id()
                + " may exist at openai: the answer to its create request was lost");
        assertThat(pending.remoteId()).isEmpty();
        assertThat(openai.jobs()).hasSize(1);

        FineTuneJob adopted = ft.jobs().submit(spec);

        assertThat(adopted.id()).isEqualTo(pending.id());
        assertThat(adopted.reused()).contains(ReuseReason.UNFINISHED);
        assertThat(openai.jobs()).singleElement().satisfies(j -> assertThat(adopted.remoteId()).contains(j.id()));
        assertThat(creates()).isEqualTo(1);
    }

    @Test
    void rateLimitsAndServerErrors_areRetried() {
        openai.rateLimitNext(2, 3);          // 429 + Retry-After: the call was not processed; retried
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());
        openai.serverErrorNext(1);           // a 500 on the next poll: retried

        job.awaitCompletion(Duration.ofMinutes(1));

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(openai.pendingFaults()).isZero();
    }

    @Test
    void rateLimitNext_isRetriedAfterTheWaitTheServerNamed() {
        openai.rateLimitNext(2, 3);

        ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());

        assertThat(openai.requests().subList(0, 3)).extracting(r -> r.method() + " " + r.path(), RecordedRequest::fault)
                .containsExactly(tuple("POST /v1/files", ScriptedFault.RATE_LIMIT),
                        tuple("POST /v1/files", ScriptedFault.RATE_LIMIT),
                        tuple("POST /v1/files", ScriptedFault.NONE));
        assertThat(retryWaits).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    @Test
    void rateLimitNext_moreTimesThanTheRetries_reachesTheCaller() {
        openai.rateLimitNext(3, 1);

        assertThatThrownBy(() -> ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build()))
                .isInstanceOf(RateLimitedException.class);
        assertThat(openai.requests()).extracting(RecordedRequest::fault)
                .containsExactly(ScriptedFault.RATE_LIMIT, ScriptedFault.RATE_LIMIT, ScriptedFault.RATE_LIMIT);
        assertThat(openai.jobs()).isEmpty();
    }

    @Test
    void serverErrorNext_onAPoll_isRetried() {
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());
        int before = openai.requests().size();
        openai.serverErrorNext(1);

        job.refresh();

        String poll = "GET /v1/fine_tuning/jobs/" + job.remoteId().orElseThrow();
        assertThat(openai.requests().subList(before, before + 2))
                .extracting(r -> r.method() + " " + r.path(), RecordedRequest::fault)
                .containsExactly(tuple(poll, ScriptedFault.SERVER_ERROR), tuple(poll, ScriptedFault.NONE));
        assertThat(job.status()).isNotEqualTo(JobStatus.VALIDATING);
    }

    @Test
    void dropConnectionNext_isRetriedWhereTheCallIsSafe_aPoll() {
        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());
        int before = openai.requests().size();
        openai.dropConnectionNext("/fine_tuning/jobs");

        job.refresh();

        String poll = "GET /v1/fine_tuning/jobs/" + job.remoteId().orElseThrow();
        assertThat(openai.requests().subList(before, before + 2))
                .extracting(r -> r.method() + " " + r.path(), RecordedRequest::fault)
                .containsExactly(tuple(poll, ScriptedFault.DROP_CONNECTION), tuple(poll, ScriptedFault.NONE));
    }

    @Test
    void dropConnectionNext_onTheCreate_isNotRepeatedBlindly_theTagIsLookedUp_andResumeCreatesIt() {
        openai.on("POST", "/fine_tuning/jobs").dropConnectionNext();

        assertThatThrownBy(() -> ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build()))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("no job with its tag exists there; resume() will create it");
        assertThat(jobRequests()).containsExactly(
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.NONE),
                tuple("POST /v1/fine_tuning/jobs", ScriptedFault.DROP_CONNECTION),
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.NONE));
        assertThat(openai.jobs()).isEmpty();

        List<FineTuneJob> resumed = ft.jobs().resume();

        assertThat(resumed).singleElement().satisfies(j -> assertThat(j.remoteId()).isPresent());
        assertThat(openai.jobs()).hasSize(1);
    }

    @Test
    void slowNext_longerThanTheTimeout_runsIntoIt_andASafeCallIsRetried() {
        FineTuneJob submitted = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());
        // The same application, its provider configured with a 1-second timeout per attempt.
        try (Provider impatient = Providers.create("openai", ProviderConfig.builder()
                        .endpoint(URI.create(openai.baseUrl()))
                        .apiKey(ApiKey.of("sk-test"))
                        .sleeper(d -> { })
                        .timeout(Duration.ofSeconds(1))
                        .build());
                FineTuning app = FineTuning.builder().store(store).provider(impatient).build()) {
            int before = openai.requests().size();
            openai.slowNext(Duration.ofSeconds(4));

            FineTuneJob job = app.jobs().job(submitted.id()).refresh();

            String poll = "GET /v1/fine_tuning/jobs/" + job.remoteId().orElseThrow();
            assertThat(openai.requests().subList(before, before + 2))
                    .extracting(r -> r.method() + " " + r.path(), RecordedRequest::fault)
                    .containsExactly(tuple(poll, ScriptedFault.SLOW), tuple(poll, ScriptedFault.NONE));
            assertThat(job.status()).isNotEqualTo(JobStatus.VALIDATING);
        }
    }

    @Test
    void faultsOnAPath_leaveOtherPathsAlone_oneFaultPerRequest() {
        openai.on("/fine_tuning/jobs").rateLimitNext(1, 2).serverErrorNext(1);

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());

        assertThat(openai.requests()).filteredOn(r -> r.path().startsWith("/v1/files"))
                .allSatisfy(r -> assertThat(r.fault()).isEqualTo(ScriptedFault.NONE));
        assertThat(jobRequests()).containsExactly(
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.RATE_LIMIT),
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.SERVER_ERROR),
                tuple("GET /v1/fine_tuning/jobs", ScriptedFault.NONE),
                tuple("POST /v1/fine_tuning/jobs", ScriptedFault.NONE));
        assertThat(job.remoteId()).isPresent();
    }

    @Test
    void aJobThatFailsAtTheProvider_isFailedWithItsError_andRegistersNothing() {
        openai.failNextJob("The job failed due to an internal error.");

        FineTuneJob job = train();

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo("internal_error");
            assertThat(e.message()).isEqualTo("The job failed due to an internal error.");
        });
        assertThat(ft.assistant("voice-parser").modelVersions()).isEmpty();
    }

    @Test
    void failNextJob_withACode_failsTheJobWithThatCode() {
        openai.failNextJob("exceeded_quota", "You exceeded your current quota.");

        FineTuneJob job = train();

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo("exceeded_quota"));
        assertThat(ft.assistant("voice-parser").modelVersions()).isEmpty();
    }

    @Test
    void aRejectedUpload_failsTheSubmission_andTheJobIsRecordedAsRejected() {
        openai.rejectNextUpload("File contains personal data");

        assertThatThrownBy(() -> ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("File contains personal data");
        assertThat(ft.jobs().list("voice-parser")).singleElement().satisfies(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.FAILED);
            assertThat(j.rawStatus()).isEqualTo("REJECTED");
        });
        assertThat(ft.jobs().active()).isEmpty();
        assertThat(openai.requests()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("POST /v1/files");
        assertThat(openai.jobs()).isEmpty();
    }

    @Test
    void aDeletedModel_isAnsweredByTheBaseModel_andScoresZeroInAnEvaluation() {
        FineTuneJob job = train();
        int v1 = job.modelVersion().orElseThrow();
        ft.assistant("voice-parser").activate(v1, Change.by("test", "trained"));
        openai.deleteModel(job.fineTunedModel().orElseThrow());

        ChatResponse answer = ft.chatRouter(ChatRouter.Options.defaults())
                .chat(ChatRequest.of("voice-parser", "log 3 sets of 10 push-ups"));
        EvalReport report = ft.evaluator().evaluate(EvalSpec.builder("voice-parser").dataset("main")
                .target(EvalTarget.version(v1)).scorer(Scorers.exactMatch()).build());

        assertThat(answer.servedBy().fallback()).isTrue();
        assertThat(answer.servedBy().baseModel()).isTrue();
        assertThat(openai.requests()).filteredOn(r -> r.path().equals("/v1/chat/completions")).first()
                .satisfies(r -> assertThat(r.body()).contains(job.fineTunedModel().orElseThrow()));
        TargetSummary summary = report.summary(EvalTarget.version(v1), "exact");
        assertThat(summary.mean()).isZero();
        assertThat(summary.failedCalls()).isEqualTo(summary.examples()).isPositive();
    }
}
