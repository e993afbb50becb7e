package dev.finetune4j.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class OpenAiUploadTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String LINE = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"assistant\",\"content\":\"hello\"}]}\n";

    @TempDir
    Path dir;

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private static String file(String id, String filename, long bytes) {
        return "{\"object\":\"file\",\"id\":\"" + id + "\",\"bytes\":" + bytes + ",\"created_at\":1721764800,"
                + "\"filename\":\"" + filename + "\",\"purpose\":\"fine-tune\",\"status\":\"processed\"}";
    }

    private static String part(LoggedRequest r, String name) {
        return r.getParts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .map(Request.Part::getBody).map(b -> b.asString()).orElseThrow();
    }

    @Test
    void smallFiles_areEachPostedToFiles_withPurposeFineTune_streamedUnderTheLabelsName() throws Exception {
        String training = LINE.repeat(12);
        String validation = LINE.repeat(2);
        Path train = Files.writeString(dir.resolve("train.jsonl"), training);
        Path val = Files.writeString(dir.resolve("validation.jsonl"), validation);
        wm.stubFor(post("/v1/files").atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("file")
                        .withHeader("Content-Disposition", containing("validation.jsonl")))
                .willReturn(okJson(file("file-val", "v.jsonl", validation.length()))));
        wm.stubFor(post("/v1/files").atPriority(2)
                .willReturn(okJson(file("file-train", "t.jsonl", training.length()))));
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, time).build());

        UploadedData uploaded = openai.upload(new TrainingData("dv-1", "avatar-42-avatar-42-main-v1", train, val, 12));

        assertThat(uploaded.trainingRef()).isEqualTo("file-train");
        assertThat(uploaded.validation()).contains("file-val");
        assertThat(uploaded.details()).containsEntry("training_bytes", String.valueOf(training.length()))
                .containsEntry("training_filename", "avatar-42-avatar-42-main-v1.jsonl")
                .containsEntry("validation_filename", "avatar-42-avatar-42-main-v1-validation.jsonl")
                .containsEntry("training_upload", "files");
        List<LoggedRequest> posts = wm.findAll(postRequestedFor(urlEqualTo("/v1/files"))
                .withHeader("Authorization", equalTo("Bearer " + TestSupport.KEY))
                .withHeader("Content-Type", containing("multipart/form-data; boundary="))
                .withRequestBodyPart(aMultipart().withName("purpose").withBody(equalTo("fine-tune")).build()));
        assertThat(posts).hasSize(2);
        assertThat(part(posts.get(0), "file")).isEqualTo(training);
        assertThat(posts.get(0).getPart("file").getHeader("Content-Disposition").firstValue())
                .contains("filename=\"avatar-42-avatar-42-main-v1.jsonl\"");
        assertThat(part(posts.get(1), "file")).isEqualTo(validation);
        assertThat(posts.get(1).getPart("file").getHeader("Content-Disposition").firstValue())
                .contains("filename=\"avatar-42-avatar-42-main-v1-validation.jsonl\"");
    }

    @Test
    void aFileAboveTheThreshold_goesThroughTheUploadsApi_inOrderedParts_withItsMd5() throws Exception {
        long started = System.currentTimeMillis() - 1000;
        String content = LINE.repeat(3);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Path train = Files.write(dir.resolve("train.jsonl"), bytes);
        int partSize = 64;
        int parts = (bytes.length + partSize - 1) / partSize;
        wm.stubFor(post("/v1/uploads").willReturn(okJson("{\"id\":\"upload_abc\",\"object\":\"upload\","
                + "\"bytes\":" + bytes.length + ",\"status\":\"pending\",\"purpose\":\"fine-tune\"}")));
        String state = Scenario.STARTED;
        for (int i = 1; i <= parts; i++) {
            wm.stubFor(post("/v1/uploads/upload_abc/parts").inScenario("parts").whenScenarioStateIs(state)
                    .willReturn(okJson("{\"id\":\"part_" + i + "\",\"object\":\"upload.part\","
                            + "\"upload_id\":\"upload_abc\"}"))
                    .willSetStateTo("after-" + i));
            state = "after-" + i;
        }
        wm.stubFor(post("/v1/uploads/upload_abc/complete").willReturn(okJson("{\"id\":\"upload_abc\","
                + "\"object\":\"upload\",\"status\":\"completed\",\"file\":" + file("file-big", "t", bytes.length)
                + "}")));
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, time)
                .setting(OpenAiProviderFactory.SETTING_UPLOAD_PART_THRESHOLD, "100")
                .setting(OpenAiProviderFactory.SETTING_UPLOAD_PART_SIZE, String.valueOf(partSize)).build());

        UploadedData uploaded = openai.upload(new TrainingData("dv-1", "ava/main@2", train, null, 3));

        assertThat(uploaded.trainingRef()).isEqualTo("file-big");
        assertThat(uploaded.validation()).isEmpty();
        assertThat(uploaded.details()).containsEntry("training_upload", "uploads");
        wm.verify(postRequestedFor(urlEqualTo("/v1/uploads"))
                .withHeader("Authorization", equalTo("Bearer " + TestSupport.KEY))
                .withRequestBody(equalToJson("{\"filename\":\"ava-main-2.jsonl\",\"purpose\":\"fine-tune\","
                        + "\"bytes\":" + bytes.length + ",\"mime_type\":\"text/jsonl\"}")));
        List<LoggedRequest> sent = wm.findAll(postRequestedFor(urlEqualTo("/v1/uploads/upload_abc/parts")));
        assertThat(parts).isGreaterThan(2);
        assertThat(sent).hasSize(parts);
        StringBuilder joined = new StringBuilder();
        for (LoggedRequest r : sent) {
            String data = part(r, "data");
            assertThat(data.length()).isLessThanOrEqualTo(partSize);
            joined.append(data);
        }
        assertThat(joined.toString()).isEqualTo(content);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        String partIds = IntStream.rangeClosed(1, parts).mapToObj(i -> "\"part_" + i + "\"")
                .collect(Collectors.joining(","));
        wm.verify(postRequestedFor(urlEqualTo("/v1/uploads/upload_abc/complete"))
                .withRequestBody(equalToJson("{\"part_ids\":[" + partIds + "],\"md5\":\"" + md5 + "\"}")));
        wm.verify(0, postRequestedFor(urlEqualTo("/v1/files")));
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("finetune4j-part-"))
                    .filter(p -> p.toFile().lastModified() >= started))
                    .as("part files are deleted").isEmpty();
        }
    }

    @Test
    void aFailedPart_cancelsTheUpload_andNeverCompletesIt() throws Exception {
        Path train = Files.writeString(dir.resolve("train.jsonl"), LINE.repeat(3));
        wm.stubFor(post("/v1/uploads").willReturn(okJson("{\"id\":\"upload_abc\",\"status\":\"pending\"}")));
        wm.stubFor(post("/v1/uploads/upload_abc/parts").willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"Part too large\",\"type\":\"invalid_request_error\","
                        + "\"param\":\"data\",\"code\":null}}")));
        wm.stubFor(post("/v1/uploads/upload_abc/cancel").willReturn(okJson("{\"id\":\"upload_abc\","
                + "\"status\":\"cancelled\"}")));
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, time)
                .setting(OpenAiProviderFactory.SETTING_UPLOAD_PART_THRESHOLD, "0").build());

        assertThatThrownBy(() -> openai.upload(new TrainingData("dv-1", "ava", train, null, 3)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Part too large");

        wm.verify(1, postRequestedFor(urlEqualTo("/v1/uploads/upload_abc/cancel")));
        wm.verify(0, postRequestedFor(urlEqualTo("/v1/uploads/upload_abc/complete")));
    }

    @Test
    void aFileUpload_failingWithA503_isRetried() throws Exception {
        Path train = Files.writeString(dir.resolve("train.jsonl"), LINE);
        wm.stubFor(post("/v1/files").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
        wm.stubFor(post("/v1/files").inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(okJson(file("file-train", "t", LINE.length()))));
        OpenAiProvider openai = TestSupport.provider(TestSupport.config(wm, time).build());

        assertThat(openai.upload(new TrainingData("dv-1", "ava", train, null, 1)).trainingRef())
                .isEqualTo("file-train");

        List<LoggedRequest> posts = wm.findAll(postRequestedFor(urlEqualTo("/v1/files")));
        assertThat(posts).hasSize(2).allSatisfy(r -> assertThat(part(r, "file")).isEqualTo(LINE));
        assertThat(time.sleeps()).hasSize(1);
    }
}
