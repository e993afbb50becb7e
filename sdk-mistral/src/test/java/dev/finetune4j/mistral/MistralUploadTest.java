package dev.finetune4j.mistral;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.mistral.MistralFixtures.BEARER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MistralUploadTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private MistralProvider mistral;

    private static final String TRAIN = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"assistant\",\"content\":\"hello\"}]}\n";
    private static final String VALIDATION = "{\"messages\":[{\"role\":\"user\",\"content\":\"yo\"},"
            + "{\"role\":\"assistant\",\"content\":\"hey\"}]}\n";

    @BeforeEach
    void setUp() {
        mistral = MistralFixtures.provider(wm.baseUrl(), new MistralFixtures.ManualTime());
    }

    private static String fileOut(String id, String name) {
        return """
                {"id": "%s", "object": "file", "bytes": 120, "created_at": 1763719200, "filename": "%s",
                 "purpose": "fine-tune", "sample_type": "instruct", "source": "upload", "num_lines": 1}
                """.formatted(id, name);
    }

    @Test
    void upload_sendsTrainingAndValidationFilesAsMultipartWithPurposeFineTune() throws IOException {
        Path train = Files.writeString(dir.resolve("train.jsonl"), TRAIN);
        Path validation = Files.writeString(dir.resolve("validation.jsonl"), VALIDATION);
        wm.stubFor(post(urlPathEqualTo("/v1/files")).atPriority(5)
                .willReturn(okJson(fileOut("6a1e0d34-0000-4000-8000-000000000001", "parser-main-v1-train.jsonl"))));
        wm.stubFor(post(urlPathEqualTo("/v1/files")).atPriority(1)
                .withMultipartRequestBody(aMultipart().withName("file")
                        .withHeader("Content-Disposition", containing("validation.jsonl")))
                .willReturn(okJson(fileOut("6a1e0d34-0000-4000-8000-000000000002", "parser-main-v1-validation.jsonl"))));

        UploadedData up = mistral.upload(new TrainingData("dv-1", "parser-main-v1", train, validation, 1));

        assertThat(up.trainingRef()).isEqualTo("6a1e0d34-0000-4000-8000-000000000001");
        assertThat(up.validationRef()).isEqualTo("6a1e0d34-0000-4000-8000-000000000002");
        assertThat(up.details()).containsEntry("training_filename", "parser-main-v1-train.jsonl")
                .containsEntry("validation_lines", "1")
                .containsEntry("training_bytes", Long.toString(TRAIN.getBytes(StandardCharsets.UTF_8).length));
        List<LoggedRequest> uploads = wm.findAll(postRequestedFor(urlPathEqualTo("/v1/files")));
        assertThat(uploads).hasSize(2);
        LoggedRequest first = uploads.get(0);
        assertThat(first.getHeader("Authorization")).isEqualTo(BEARER);
        assertThat(first.getHeader("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(first.getPart("purpose").getBody().asString()).isEqualTo("fine-tune");
        assertThat(first.getPart("file").getHeader("Content-Disposition").firstValue())
                .isEqualTo("form-data; name=\"file\"; filename=\"parser-main-v1-train.jsonl\"");
        assertThat(first.getPart("file").getBody().asString()).isEqualTo(TRAIN);
        LoggedRequest second = uploads.get(1);
        assertThat(second.getPart("purpose").getBody().asString()).isEqualTo("fine-tune");
        assertThat(second.getPart("file").getHeader("Content-Disposition").firstValue())
                .isEqualTo("form-data; name=\"file\"; filename=\"parser-main-v1-validation.jsonl\"");
        assertThat(second.getPart("file").getBody().asString()).isEqualTo(VALIDATION);
    }

    @Test
    void upload_withoutValidation_sendsOneFile() throws IOException {
        Path train = Files.writeString(dir.resolve("train.jsonl"), TRAIN);
        wm.stubFor(post(urlPathEqualTo("/v1/files")).willReturn(okJson(fileOut("f-1", "x"))));

        UploadedData up = mistral.upload(new TrainingData("dv-1", "a/b@1", train, null, 1));

        assertThat(up.trainingRef()).isEqualTo("f-1");
        assertThat(up.validation()).isEmpty();
        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1/files"))
                .withRequestBodyPart(aMultipart().withName("file")
                        .withHeader("Content-Disposition", equalTo("form-data; name=\"file\"; filename=\"a-b-1-train.jsonl\""))
                        .build()));
    }

    @Test
    void upload_validationFileOverOneMegabyte_isRejectedBeforeAnyUpload() throws IOException {
        Path train = Files.writeString(dir.resolve("train.jsonl"), TRAIN);
        Path validation = dir.resolve("validation.jsonl");
        Files.write(validation, new byte[(int) MistralProvider.MAX_VALIDATION_BYTES + 1]);

        assertThatThrownBy(() -> mistral.upload(new TrainingData("dv-1", "parser-main-v1", train, validation, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validation split of parser-main-v1 is 1048577 bytes")
                .hasMessageContaining("at most 1 MB")
                .hasMessageContaining("Lower the validation fraction")
                .hasMessageContaining("Nothing was uploaded");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }
}
