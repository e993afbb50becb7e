package dev.finetune4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.dataset.ImportOptions;
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
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults a host app can script on the emulator, and what finetune4j does about each: the cases
 * docs/testing.md lists, as tests.
 */
class ScriptedFaultsTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    Provider provider;
    FineTuning ft;

    @BeforeEach
    void setUp() {
        provider = Providers.create("openai", ProviderConfig.builder()
                .endpoint(URI.create(openai.baseUrl()))
                .apiKey(ApiKey.of("sk-test"))
                .sleeper(d -> { })                 // retries wait for nothing in tests (Retry-After included)
                .build());
        ft = FineTuning.builder().store(VersionStores.inMemory()).provider(provider).sleeper(d -> Thread.sleep(5))
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

    @Test
    void responseLostAfterTheJobWasCreated_isFoundByItsTag_neverCreatedTwice() {
        // finetune4j first looks for a job with its tag (a GET, let through late), then creates it (a
        // POST, processed, but its response is lost).
        openai.on("/fine_tuning/jobs").slowNext(Duration.ofMillis(1)).loseResponseNext();

        FineTuneJob job = train();

        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(openai.pendingFaults()).isZero();
        assertThat(openai.requests()).filteredOn(r -> r.method().equals("POST")
                && r.path().equals("/v1/fine_tuning/jobs")).hasSize(1);
        assertThat(openai.jobs()).singleElement()
                .satisfies(j -> assertThat(j.metadata()).containsEntry("finetune4j_job", job.id()));
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
    void aRejectedUpload_failsTheSubmission_andTheJobIsRecordedAsRejected() {
        openai.rejectNextUpload("File contains personal data");

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build()))
                .isInstanceOf(dev.finetune4j.InvalidRequestException.class)
                .hasMessageContaining("File contains personal data");
        assertThat(ft.jobs().list("voice-parser")).singleElement().satisfies(j -> {
            assertThat(j.status()).isEqualTo(JobStatus.FAILED);
            assertThat(j.rawStatus()).isEqualTo("REJECTED");
        });
        assertThat(ft.jobs().active()).isEmpty();
        assertThat(openai.jobs()).isEmpty();
    }
}
