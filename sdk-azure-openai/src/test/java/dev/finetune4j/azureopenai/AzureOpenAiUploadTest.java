package dev.finetune4j.azureopenai;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.azureopenai.AzureTestSupport.KEY;
import static dev.finetune4j.azureopenai.AzureTestSupport.V1;
import static dev.finetune4j.azureopenai.AzureTestSupport.config;
import static dev.finetune4j.azureopenai.AzureTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.FineTuning;
import dev.finetune4j.ProviderException;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.job.FineTuneJob;
import dev.finetune4j.job.FineTuneSpec;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.store.VersionStores;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads as Azure documents them: UTF-8 files with a byte-order mark under 512 MB, the file part
 * typed {@code application/json}, and the wait until Azure has processed each file before the job
 * names it.
 */
class AzureOpenAiUploadTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String FILES = V1 + "/files";
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final AzureTestSupport.FakeTime time = new AzureTestSupport.FakeTime();

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private static String file(String id, String status) {
        return "{\"object\":\"file\",\"id\":\"" + id + "\",\"purpose\":\"fine-tune\",\"filename\":\"x.jsonl\","
                + "\"bytes\":100,\"created_at\":1763719200,\"status\":\"" + status + "\"}";
    }

    private static void processedAfter(String id, String... statuses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < statuses.length; i++) {
            String next = id + "-" + i;
            wm.stubFor(get(FILES + "/" + id).inScenario(id).whenScenarioStateIs(state)
                    .willReturn(okJson(file(id, statuses[i]))).willSetStateTo(next));
            state = next;
        }
        wm.stubFor(get(FILES + "/" + id).inScenario(id).whenScenarioStateIs(state)
                .willReturn(okJson(file(id, "processed"))));
    }

    @Test
    void submit_uploadsBothSplitsWithAByteOrderMark_waitsUntilProcessed_thenCreatesTheJob() {
        wm.stubFor(post(FILES).atPriority(1).withMultipartRequestBody(aMultipart().withName("file")
                        .withHeader("Content-Disposition", containing("-validation.jsonl")))
                .willReturn(okJson(file("file-val", "pending"))));
        wm.stubFor(post(FILES).atPriority(2).willReturn(okJson(file("file-train", "pending"))));
        processedAfter("file-train", "pending", "running");
        processedAfter("file-val");
        wm.stubFor(get(urlPathEqualTo(V1 + "/fine_tuning/jobs"))
                .willReturn(okJson("{\"object\":\"list\",\"data\":[],\"has_more\":false}")));
        wm.stubFor(post(V1 + "/fine_tuning/jobs").willReturn(okJson(job("ftjob-1", "pending", ""))));
        AzureOpenAiProvider azure = AzureTestSupport.provider(config(wm, time).build());
        FineTuning ft = FineTuning.builder().store(VersionStores.inMemory(time)).clock(time).sleeper(time)
                .provider(azure).build();
        ft.createAssistant("voice-parser", "azure-openai", "gpt-4.1-mini-2025-04-14");
        ft.dataset("voice-parser/main").append(IntStream.range(0, 30).mapToObj(i -> Example.of(
                Message.system("Parse the workout."), Message.user("3 sets of 10 squats, take " + i),
                Message.assistant("{\"exercise\":\"squat\",\"sets\":3,\"reps\":10}"))).toList(), null);

        FineTuneJob job = ft.jobs().submit(FineTuneSpec.builder("voice-parser", "main").build());

        assertThat(job.remoteId()).contains("ftjob-1");
        assertThat(job.status()).isEqualTo(JobStatus.UNKNOWN);
        List<LoggedRequest> uploads = wm.findAll(postRequestedFor(urlEqualTo(FILES))
                .withHeader("api-key", equalTo(KEY))
                .withRequestBodyPart(aMultipart().withName("purpose").withBody(equalTo("fine-tune")).build())
                .withRequestBodyPart(aMultipart().withName("file")
                        .withHeader("Content-Type", equalTo("application/json")).build()));
        assertThat(uploads).hasSize(2);
        long lines = 0;
        for (LoggedRequest upload : uploads) {
            byte[] bytes = upload.getPart("file").getBody().asBytes();
            assertThat(Arrays.copyOf(bytes, 4)).containsExactly(0xEF, 0xBB, 0xBF, '{');
            String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("\uFEFF");
            lines += text.lines().count();
        }
        assertThat(lines).isEqualTo(30);
        // pending, running, processed for the training file (waits 1 s, 2 s); processed at once for validation
        wm.verify(3, getRequestedFor(urlEqualTo(FILES + "/file-train")).withHeader("api-key", equalTo(KEY)));
        wm.verify(1, getRequestedFor(urlEqualTo(FILES + "/file-val")));
        assertThat(time.sleeps()).startsWith(Duration.ofSeconds(1), Duration.ofSeconds(2));
        wm.verify(postRequestedFor(urlEqualTo(V1 + "/fine_tuning/jobs")).withRequestBody(equalToJson(
                "{\"training_file\":\"file-train\",\"validation_file\":\"file-val\",\"suffix\":\"" + job.id() + "\","
                        + "\"metadata\":{\"finetune4j_job\":\"" + job.id() + "\"}}", true, true)));
    }

    @Test
    void fileInError_failsWithAzuresDetails_andNoJobIsCreated() throws Exception {
        Path train = Files.write(dir.resolve("t.jsonl"), BOM);
        wm.stubFor(post(FILES).willReturn(okJson(file("file-bad", "pending"))));
        wm.stubFor(get(FILES + "/file-bad").willReturn(okJson("{\"id\":\"file-bad\",\"status\":\"error\","
                + "\"status_details\":\"Invalid file format. Line 3: missing messages.\"}")));
        AzureOpenAiProvider azure = AzureTestSupport.provider(config(wm, time).build());

        assertThatThrownBy(() -> azure.upload(new TrainingData("dv", "a-main-v1", train, null, 0)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.errorCode()).contains("file_error");
                })
                .hasMessageStartingWith("azure-openai could not process file file-bad (status error): Invalid file "
                        + "format. Line 3: missing messages.");
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(V1 + "/fine_tuning/jobs")))).isEmpty();
    }

    @Test
    void fileNeverProcessed_givesUpAtTheConfiguredTimeout_onTheInjectedClock() throws Exception {
        Path train = Files.write(dir.resolve("t.jsonl"), BOM);
        wm.stubFor(post(FILES).willReturn(okJson(file("file-slow", "pending"))));
        wm.stubFor(get(FILES + "/file-slow").willReturn(okJson(file("file-slow", "running"))));
        AzureOpenAiProvider azure = AzureTestSupport.provider(config(wm, time)
                .setting("file_processing_timeout_seconds", "30").build());

        assertThatThrownBy(() -> azure.upload(new TrainingData("dv", "a-main-v1", train, null, 0)))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.isRetryable()).isTrue())
                .hasMessageContaining("has not processed file file-slow within PT30S (status running)");
        // 1 + 2 + 4 + 8 + 10 = 25 s waited, capped at 10 s a wait; the next wait would pass 30 s
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(10));
        wm.verify(6, getRequestedFor(urlEqualTo(FILES + "/file-slow")));
    }

    @Test
    void aFileOf512MbOrMore_isRefusedBeforeAnythingIsSent() throws Exception {
        Path big = dir.resolve("big.jsonl");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(AzureOpenAiProviderFactory.MAX_FILE_BYTES);
        }
        AzureOpenAiProvider azure = AzureTestSupport.provider(config(wm, time).build());

        assertThatThrownBy(() -> azure.upload(new TrainingData("dv", "a-main-v1", big, null, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the training file has 536870912 bytes; azure-openai takes files of less than 512 MB "
                        + "(536870912 bytes): train on a smaller dataset version");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void aGatewayWithoutFileStatus_isNotWaitedFor() throws Exception {
        Path train = Files.write(dir.resolve("t.jsonl"), BOM);
        wm.stubFor(post(FILES).willReturn(okJson("{\"id\":\"file-1\",\"object\":\"file\"}")));
        wm.stubFor(get(FILES + "/file-1").willReturn(okJson("{\"id\":\"file-1\",\"object\":\"file\"}")));
        AzureOpenAiProvider azure = AzureTestSupport.provider(config(wm, time).build());

        UploadedData uploaded = azure.upload(new TrainingData("dv", "a-main-v1", train, null, 0));

        assertThat(uploaded.trainingRef()).isEqualTo("file-1");
        assertThat(uploaded.details()).containsEntry("training_filename", "a-main-v1.jsonl");
        assertThat(time.sleeps()).isEmpty();
    }
}
