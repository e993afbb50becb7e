package dev.finetune4j.together;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.together.TogetherFixtures.BEARER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.ProviderException;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Uploads on the wire: Together's file check first, then POST /files (a redirect), PUT without the key, preprocess. */
class TogetherUploadTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private TogetherProvider together;

    private static final String TRAIN = "{\"messages\":[{\"role\":\"system\",\"content\":\"Parse sets.\"},"
            + "{\"role\":\"user\",\"content\":\"squat 100 for 5\"},{\"role\":\"assistant\",\"content\":\"{}\"}]}\n"
            + "{\"messages\":[{\"role\":\"user\",\"content\":\"bench 80 for 8\"},{\"role\":\"assistant\","
            + "\"content\":\"{}\",\"weight\":1}]}\n";
    private static final String VALIDATION = "{\"messages\":[{\"role\":\"user\",\"content\":\"row 60 for 10\"},"
            + "{\"role\":\"assistant\",\"content\":\"{}\"}]}\n";

    @BeforeEach
    void setUp() {
        wm.resetAll();
        together = TogetherFixtures.provider(wm.baseUrl() + "/v1");
    }

    private void stubFile(String id, String name) {
        String bucket = wm.baseUrl() + "/bucket/" + id + "?X-Amz-Signature=abc123";
        wm.stubFor(post(urlPathEqualTo("/v1/files")).withRequestBody(equalTo(
                        "purpose=fine-tune&file_name=" + name + "&file_type=jsonl"))
                .willReturn(aResponse().withStatus(302).withHeader("Location", bucket)
                        .withHeader("X-Together-File-Id", id)));
        wm.stubFor(put(urlPathEqualTo("/bucket/" + id)).willReturn(aResponse().withStatus(200)));
        wm.stubFor(post(urlPathEqualTo("/v1/files/" + id + "/preprocess")).willReturn(okJson("""
                {"id": "%s", "object": "file", "created_at": 1777888000, "filename": "%s", "bytes": 300,
                 "purpose": "fine-tune", "FileType": "jsonl", "Processed": true, "LineCount": 2}
                """.formatted(id, name))));
    }

    @Test
    void upload_postsTheForm_putsTheBytesWithoutTheKey_thenPreprocesses_forBothFiles() throws IOException {
        Path train = Files.writeString(dir.resolve("train.jsonl"), TRAIN);
        Path validation = Files.writeString(dir.resolve("validation.jsonl"), VALIDATION);
        stubFile("file-6f1c0a8e-1111-4c2d-9e3f-000000000001", "parser-main-v1-train.jsonl");
        stubFile("file-6f1c0a8e-1111-4c2d-9e3f-000000000002", "parser-main-v1-validation.jsonl");

        UploadedData up = together.upload(new TrainingData("dv-1", "parser-main-v1", train, validation, 2));

        assertThat(up.trainingRef()).isEqualTo("file-6f1c0a8e-1111-4c2d-9e3f-000000000001");
        assertThat(up.validationRef()).isEqualTo("file-6f1c0a8e-1111-4c2d-9e3f-000000000002");
        assertThat(up.details()).containsEntry("training_examples", "2").containsEntry("validation_examples", "1")
                .containsEntry("training_file_bytes", Long.toString(Files.size(train)));
        wm.verify(2, postRequestedFor(urlPathEqualTo("/v1/files"))
                .withHeader("Authorization", equalTo(BEARER))
                .withHeader("Content-Type", equalTo("application/x-www-form-urlencoded")));
        wm.verify(putRequestedFor(urlPathEqualTo("/bucket/file-6f1c0a8e-1111-4c2d-9e3f-000000000001"))
                .withQueryParam("X-Amz-Signature", equalTo("abc123"))
                .withHeader("Authorization", absent())
                .withRequestBody(binaryEqualTo(TRAIN.getBytes(StandardCharsets.UTF_8))));
        wm.verify(putRequestedFor(urlPathEqualTo("/bucket/file-6f1c0a8e-1111-4c2d-9e3f-000000000002"))
                .withHeader("Authorization", absent())
                .withRequestBody(binaryEqualTo(VALIDATION.getBytes(StandardCharsets.UTF_8))));
        wm.verify(postRequestedFor(urlPathEqualTo("/v1/files/file-6f1c0a8e-1111-4c2d-9e3f-000000000001/preprocess"))
                .withHeader("Authorization", equalTo(BEARER)));
        List<String> order = new java.util.ArrayList<>(wm.getAllServeEvents().stream().map(e -> e.getRequest()
                .getMethod() + " " + e.getRequest().getUrl().replaceAll("\\?.*", "")).toList());
        java.util.Collections.reverse(order);
        assertThat(order).containsExactly(
                "POST /v1/files", "PUT /bucket/file-6f1c0a8e-1111-4c2d-9e3f-000000000001",
                "POST /v1/files/file-6f1c0a8e-1111-4c2d-9e3f-000000000001/preprocess",
                "POST /v1/files", "PUT /bucket/file-6f1c0a8e-1111-4c2d-9e3f-000000000002",
                "POST /v1/files/file-6f1c0a8e-1111-4c2d-9e3f-000000000002/preprocess");
    }

    @Test
    void parallelToolCalls_haveNoPlaceInTogethersFormat_andAreLeftOutOfTheBytesSent() throws IOException {
        String line = "{\"messages\":[{\"role\":\"user\",\"content\":\"log it\"},{\"role\":\"assistant\","
                + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"log_set\","
                + "\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"content\":\"ok\",\"tool_call_id\":\"call_1\"},"
                + "{\"role\":\"assistant\",\"content\":\"Logged.\"}],\"tools\":[{\"type\":\"function\",\"function\":"
                + "{\"name\":\"log_set\"}}],\"parallel_tool_calls\":false}";
        Path train = Files.writeString(dir.resolve("train.jsonl"), line + "\n");
        stubFile("file-tools", "tools-v1-train.jsonl");

        together.upload(new TrainingData("dv-2", "tools-v1", train, null, 1));

        String sent = wm.findAll(putRequestedFor(urlPathEqualTo("/bucket/file-tools"))).get(0).getBodyAsString();
        assertThat(sent).isEqualTo(line.replace(",\"parallel_tool_calls\":false", "") + "\n");
        assertThat(Files.readString(train)).as("the core's file is left as it was").isEqualTo(line + "\n");
    }

    static Stream<Arguments> refused() {
        String ok = "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]}";
        return Stream.of(
                Arguments.of("\uFEFF" + ok + "\n", "line 1 starts with a UTF-8 byte order mark (EF BB BF)"),
                Arguments.of(ok + "\n" + "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\","
                        + "\"content\":\"b\"},{\"role\":\"assistant\",\"content\":\"c\"}]}\n",
                        "line 2, messages[1] has the role user like the message before it"),
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\","
                        + "\"content\":\"b\"}],\"tags\":{\"lang\":\"en\"}}\n", "line 1 has the key 'tags'"),
                Arguments.of(ok + "\n\n" + ok + "\n", "line 2 is empty"),
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\","
                        + "\"content\":\"b\",\"weight\":2}]}\n", "line 1, messages[1] has weight 2"),
                Arguments.of("{\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}\n",
                        "line 1 has no assistant message"),
                Arguments.of("{\"messages\":[{\"role\":\"developer\",\"content\":\"a\"},{\"role\":\"assistant\","
                        + "\"content\":\"b\"}]}\n", "line 1, messages[0] has role \"developer\""),
                Arguments.of(ok + " {}\n", "line 1 is not one JSON value"),
                Arguments.of("", "it is empty"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void aFileTogethersCheckRefuses_isRefusedWithItsLine_beforeAnyRequest(String content, String reason)
            throws IOException {
        Path train = Files.writeString(dir.resolve("train.jsonl"), content);

        assertThatThrownBy(() -> together.upload(new TrainingData("dv-3", "bad", train, null, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the training file breaks Together's file check: " + reason)
                .hasMessageEndingWith("nothing was uploaded");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void bytesThatAreNotUtf8_areRefusedBeforeAnyRequest() throws IOException {
        Path train = dir.resolve("train.jsonl");
        byte[] latin1 = "{\"messages\":[{\"role\":\"user\",\"content\":\"caf\u00e9\"},{\"role\":\"assistant\",\"content\":\"b\"}]}\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(train, latin1);

        assertThatThrownBy(() -> together.upload(new TrainingData("dv-4", "latin", train, null, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1 is not valid UTF-8");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aFileAboveOnePutsLimit_isRefusedNamingItsSize_beforeAnyRequest() throws IOException {
        Path train = dir.resolve("huge.jsonl");
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(train.toFile(), "rw")) {
            sparse.setLength((5L << 30) + 1);   // sparse: no 5 GiB written to the disk
        }

        assertThatThrownBy(() -> together.upload(new TrainingData("dv-6", "huge", train, null, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the training file has " + ((5L << 30) + 1) + " bytes")
                .hasMessageContaining("multipart")
                .hasMessageEndingWith("nothing was uploaded");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aBadValidationFile_stopsTheTrainingFileFromBeingSentToo() throws IOException {
        Path train = Files.writeString(dir.resolve("train.jsonl"), TRAIN);
        Path validation = Files.writeString(dir.resolve("validation.jsonl"), "[1,2]\n");

        assertThatThrownBy(() -> together.upload(new TrainingData("dv-5", "x", train, validation, 2)))
                .hasMessageContaining("the validation file breaks Together's file check: line 1 is not a JSON object");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anUploadUrlThatDoesNotAnswer200_failsTheUpload_andNothingIsPreprocessed() throws IOException {
        Path train = Files.writeString(dir.resolve("train.jsonl"), TRAIN);
        stubFile("file-x", "x-train.jsonl");
        wm.stubFor(put(urlPathEqualTo("/bucket/file-x")).willReturn(aResponse().withStatus(403)
                .withBody("<Error><Code>SignatureDoesNotMatch</Code></Error>")));

        assertThatThrownBy(() -> together.upload(new TrainingData("dv-6", "x", train, null, 2)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("403");
        wm.verify(0, postRequestedFor(urlPathEqualTo("/v1/files/file-x/preprocess")));
    }

    @Test
    void aFilesAnswerThatIsNotARedirect_isAProviderException_andNothingIsPut() throws IOException {
        Path train = Files.writeString(dir.resolve("train.jsonl"), TRAIN);
        wm.stubFor(post(urlPathEqualTo("/v1/files")).willReturn(okJson("{\"id\":\"file-y\"}")));

        assertThatThrownBy(() -> together.upload(new TrainingData("dv-7", "y", train, null, 2)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("expected a redirect with Location and X-Together-File-Id, got status 200");
        List<LoggedRequest> puts = wm.findAll(putRequestedFor(anyUrl()));
        assertThat(puts).isEmpty();
    }
}
