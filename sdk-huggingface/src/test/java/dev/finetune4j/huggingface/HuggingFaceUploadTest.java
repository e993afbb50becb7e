package dev.finetune4j.huggingface;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.spi.kit.ProviderJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class HuggingFaceUploadTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** One example; its git blob id and SHA-256 were computed with {@code git hash-object} and {@code sha256sum}. */
    static final String TRAIN = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\","
            + "\"content\":\"hello\"}]}\n";
    static final String TRAIN_GIT_OID = "4946e56ff0197aa6bdf1fa2c5bd47923c5faa60c";
    static final String TRAIN_SHA256 = "34c0e9fb4561578fe1a1d32dde38f71aef351905e4f89e559a7995cb5e5e6942";
    static final String VALIDATION = "{\"messages\":[{\"role\":\"user\",\"content\":\"yo\"},{\"role\":\"assistant\","
            + "\"content\":\"hey\"}]}\n";
    static final String REPO = "/api/datasets/acme/huggingface-data";
    static final String COMMIT = "c0ffee0000000000000000000000000000000001";

    @TempDir
    Path dir;

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();
    private HuggingFaceProvider hf;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        hf = TestSupport.provider(TestSupport.config(wm, time).build());
    }

    private TrainingData data(String train, String validation) throws Exception {
        Path t = Files.writeString(dir.resolve("train.jsonl"), train);
        Path v = validation == null ? null : Files.writeString(dir.resolve("validation.jsonl"), validation);
        return new TrainingData("dv-3f2a", "huggingface-huggingface-main-v1", t, v, train.lines().count());
    }

    private static String preupload(String trainMode, String trainOid, String validationMode, String validationOid) {
        StringBuilder sb = new StringBuilder("{\"files\":[{\"path\":\"train.jsonl\",\"uploadMode\":\"" + trainMode
                + "\",\"shouldIgnore\":false" + (trainOid == null ? "" : ",\"oid\":\"" + trainOid + "\"") + "}");
        if (validationMode != null) {
            sb.append(",{\"path\":\"validation.jsonl\",\"uploadMode\":\"").append(validationMode)
                    .append("\",\"shouldIgnore\":false")
                    .append(validationOid == null ? "" : ",\"oid\":\"" + validationOid + "\"").append("}");
        }
        return sb.append("]}").toString();
    }

    private static List<JsonNode> ndjson(LoggedRequest commit) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : commit.getBodyAsString().split("\n", -1)) {
            if (!line.isEmpty()) {
                lines.add(ProviderJson.mapper().readTree(line));
            }
        }
        assertThat(commit.getBodyAsString()).endsWith("\n");
        return lines;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void upload_newVersion_createsAPrivateRepo_preuploads_andCommitsEveryFileAsOneNdjsonLine() throws Exception {
        wm.stubFor(post("/api/repos/create").willReturn(okJson("{\"url\":\"https://huggingface.co/datasets/acme/huggingface-data\"}")));
        wm.stubFor(post(REPO + "/preupload/main").willReturn(okJson(preupload("regular", null, "regular", null))));
        wm.stubFor(post(REPO + "/commit/main").willReturn(okJson("{\"commitUrl\":\"https://hf.co/c\",\"commitOid\":\""
                + COMMIT + "\"}")));

        UploadedData up = hf.upload(data(TRAIN, VALIDATION));

        assertThat(up.trainingRef()).isEqualTo("acme/huggingface-data@" + COMMIT + ":train.jsonl");
        assertThat(up.validationRef()).isEqualTo("acme/huggingface-data@" + COMMIT + ":validation.jsonl");
        assertThat(up.details()).containsEntry("repo", "acme/huggingface-data").containsEntry("commit", COMMIT)
                .containsEntry("reused", "false").containsEntry("train_sha256", TRAIN_SHA256)
                .containsEntry("train_upload_mode", "regular").containsEntry("training_examples", "1");
        wm.verify(postRequestedFor(urlPathEqualTo("/api/repos/create"))
                .withHeader("Authorization", equalTo("Bearer " + TestSupport.TOKEN))
                .withRequestBody(equalToJson("{\"name\":\"huggingface-data\",\"organization\":\"acme\",\"type\":\"dataset\","
                        + "\"visibility\":\"private\"}", false, false)));
        wm.verify(postRequestedFor(urlPathEqualTo(REPO + "/preupload/main")).withRequestBody(equalToJson(
                "{\"files\":[{\"path\":\"train.jsonl\",\"sample\":\"" + b64(TRAIN) + "\",\"size\":" + TRAIN.length()
                        + "},{\"path\":\"validation.jsonl\",\"sample\":\"" + b64(VALIDATION) + "\",\"size\":"
                        + VALIDATION.length() + "}]}")));
        LoggedRequest commit = wm.findAll(postRequestedFor(urlPathEqualTo(REPO + "/commit/main"))).get(0);
        assertThat(commit.getHeader("Content-Type")).isEqualTo("application/x-ndjson");
        List<JsonNode> lines = ndjson(commit);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).path("key").asText()).isEqualTo("header");
        assertThat(lines.get(0).path("value").path("summary").asText())
                .isEqualTo("finetune4j: huggingface-huggingface-main-v1 (dv-3f2a)");
        assertThat(lines.get(0).path("value").path("description").asText()).contains("dv-3f2a", "1 training examples");
        assertThat(lines.get(1).path("key").asText()).isEqualTo("file");
        assertThat(lines.get(1).path("value").path("path").asText()).isEqualTo("train.jsonl");
        assertThat(lines.get(1).path("value").path("encoding").asText()).isEqualTo("base64");
        assertThat(new String(Base64.getDecoder().decode(lines.get(1).path("value").path("content").asText()),
                StandardCharsets.UTF_8)).isEqualTo(TRAIN);
        assertThat(lines.get(2).path("value").path("path").asText()).isEqualTo("validation.jsonl");
        assertThat(new String(Base64.getDecoder().decode(lines.get(2).path("value").path("content").asText()),
                StandardCharsets.UTF_8)).isEqualTo(VALIDATION);
    }

    @Test
    void upload_sameVersionAlreadyOnTheHub_makesNoCommit_andReusesTheCommitMainPointsAt() throws Exception {
        wm.stubFor(post("/api/repos/create").willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"You already created this dataset repo\",\"url\":\"https://hf.co/datasets/acme/huggingface-data\"}")));
        wm.stubFor(post(REPO + "/preupload/main").willReturn(okJson(preupload("regular", TRAIN_GIT_OID, null, null))));
        wm.stubFor(get(REPO + "/revision/main").willReturn(okJson("{\"id\":\"acme/huggingface-data\",\"sha\":\"" + COMMIT + "\"}")));

        UploadedData up = hf.upload(data(TRAIN, null));

        assertThat(up.trainingRef()).isEqualTo("acme/huggingface-data@" + COMMIT + ":train.jsonl");
        assertThat(up.validation()).isEmpty();
        assertThat(up.details()).containsEntry("reused", "true");
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(REPO + "/commit/main")))).isEmpty();
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo("/api/repos/create")))).hasSize(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void upload_oneFileChanged_isCommitted() throws Exception {
        wm.stubFor(post("/api/repos/create").willReturn(aResponse().withStatus(409).withBody("{\"error\":\"exists\"}")));
        wm.stubFor(post(REPO + "/preupload/main").willReturn(okJson(preupload("regular", TRAIN_GIT_OID, "regular",
                "0000000000000000000000000000000000000000"))));
        wm.stubFor(post(REPO + "/commit/main").willReturn(okJson("{\"commitOid\":\"" + COMMIT + "\"}")));

        UploadedData up = hf.upload(data(TRAIN, VALIDATION));

        assertThat(up.details()).containsEntry("reused", "false");
        wm.verify(1, postRequestedFor(urlPathEqualTo(REPO + "/commit/main")));
    }

    @Test
    void repoCreate_conflictingOperationInProgress_isTriedAgainAfterAPause() throws Exception {
        wm.stubFor(post("/api/repos/create").inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(409)
                        .withBody("{\"error\":\"Cannot create repo: another conflicting operation is in progress\"}"))
                .willSetStateTo("free"));
        wm.stubFor(post("/api/repos/create").inScenario("busy").whenScenarioStateIs("free")
                .willReturn(okJson("{\"url\":\"u\"}")));
        wm.stubFor(post(REPO + "/preupload/main").willReturn(okJson(preupload("regular", TRAIN_GIT_OID, null, null))));
        wm.stubFor(get(REPO + "/revision/main").willReturn(okJson("{\"sha\":\"" + COMMIT + "\"}")));

        hf.upload(data(TRAIN, null));

        wm.verify(2, postRequestedFor(urlPathEqualTo("/api/repos/create")));
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void repoCreate_lostInTransit_isSentAgain_andTheSecond409MeansItArrived() throws Exception {
        wm.stubFor(post("/api/repos/create").inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("arrived"));
        wm.stubFor(post("/api/repos/create").inScenario("lost").whenScenarioStateIs("arrived")
                .willReturn(aResponse().withStatus(409).withBody("{\"error\":\"You already created this dataset repo\"}")));
        wm.stubFor(post(REPO + "/preupload/main").willReturn(okJson(preupload("regular", TRAIN_GIT_OID, null, null))));
        wm.stubFor(get(REPO + "/revision/main").willReturn(okJson("{\"sha\":\"" + COMMIT + "\"}")));

        UploadedData up = hf.upload(data(TRAIN, null));

        assertThat(up.trainingRef()).endsWith(":train.jsonl");
        wm.verify(2, postRequestedFor(urlPathEqualTo("/api/repos/create")));
    }

    @Test
    void upload_lfsFile_goesThroughTheBatchApi_streamsThePut_verifies_andIsCommittedAsAnLfsFileLine() throws Exception {
        wm.stubFor(post("/api/repos/create").willReturn(okJson("{}")));
        wm.stubFor(post(REPO + "/preupload/main").willReturn(okJson(preupload("lfs", null, "regular", null))));
        wm.stubFor(post("/datasets/acme/huggingface-data.git/info/lfs/objects/batch").willReturn(aResponse()
                .withHeader("Content-Type", "application/vnd.git-lfs+json").withBody("""
                        {"transfer":"basic","objects":[{"oid":"%s","size":%d,"authenticated":true,
                          "actions":{"upload":{"href":"%s/s3/bucket/obj?X-Amz-Signature=abc"},
                                     "verify":{"href":"%s/datasets/acme/huggingface-data.git/info/lfs/objects/verify"}}}]}
                        """.formatted(TRAIN_SHA256, TRAIN.length(), wm.baseUrl(), wm.baseUrl()))));
        wm.stubFor(put(urlPathEqualTo("/s3/bucket/obj")).willReturn(aResponse().withStatus(200)));
        wm.stubFor(post("/datasets/acme/huggingface-data.git/info/lfs/objects/verify").willReturn(okJson("{}")));
        wm.stubFor(post(REPO + "/commit/main").willReturn(okJson("{\"commitOid\":\"" + COMMIT + "\"}")));

        UploadedData up = hf.upload(data(TRAIN, VALIDATION));

        assertThat(up.details()).containsEntry("train_upload_mode", "lfs").containsEntry("validation_upload_mode", "regular");
        LoggedRequest batch = wm.findAll(postRequestedFor(urlPathEqualTo(
                "/datasets/acme/huggingface-data.git/info/lfs/objects/batch"))).get(0);
        assertThat(batch.getHeader("Content-Type")).isEqualTo("application/vnd.git-lfs+json");
        assertThat(batch.getHeader("Accept")).isEqualTo("application/vnd.git-lfs+json");
        assertThat(ProviderJson.mapper().readTree(batch.getBodyAsString())).isEqualTo(ProviderJson.mapper().readTree("""
                {"operation":"upload","transfers":["basic","multipart"],
                 "objects":[{"oid":"%s","size":%d}],"hash_algo":"sha256","ref":{"name":"main"}}
                """.formatted(TRAIN_SHA256, TRAIN.length())));
        LoggedRequest upload = wm.findAll(putRequestedFor(urlPathEqualTo("/s3/bucket/obj"))).get(0);
        assertThat(upload.getBodyAsString()).isEqualTo(TRAIN);
        assertThat(upload.containsHeader("Authorization")).as("no token to the storage URL").isFalse();
        assertThat(upload.queryParameter("X-Amz-Signature").firstValue()).isEqualTo("abc");
        wm.verify(postRequestedFor(urlPathEqualTo("/datasets/acme/huggingface-data.git/info/lfs/objects/verify"))
                .withRequestBody(equalToJson("{\"oid\":\"" + TRAIN_SHA256 + "\",\"size\":" + TRAIN.length() + "}")));
        List<JsonNode> lines = ndjson(wm.findAll(postRequestedFor(urlPathEqualTo(REPO + "/commit/main"))).get(0));
        assertThat(lines.get(1)).isEqualTo(ProviderJson.mapper().readTree("{\"key\":\"lfsFile\",\"value\":{\"path\":\"train.jsonl\","
                + "\"algo\":\"sha256\",\"oid\":\"" + TRAIN_SHA256 + "\",\"size\":" + TRAIN.length() + "}}"));
        assertThat(lines.get(2).path("key").asText()).isEqualTo("file");
    }

    @Test
    void upload_lfsObjectAlreadyStored_sendsNoBytes() throws Exception {
        wm.stubFor(post("/api/repos/create").willReturn(okJson("{}")));
        wm.stubFor(post(REPO + "/preupload/main").willReturn(okJson(preupload("lfs", null, null, null))));
        wm.stubFor(post("/datasets/acme/huggingface-data.git/info/lfs/objects/batch").willReturn(okJson(
                "{\"objects\":[{\"oid\":\"" + TRAIN_SHA256 + "\",\"size\":" + TRAIN.length() + "}]}")));
        wm.stubFor(post(REPO + "/commit/main").willReturn(okJson("{\"commitOid\":\"" + COMMIT + "\"}")));

        hf.upload(data(TRAIN, null));

        assertThat(wm.findAll(putRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()))).isEmpty();
        wm.verify(1, postRequestedFor(urlPathEqualTo(REPO + "/commit/main")));
    }

    @Test
    void upload_multipartLfs_putsEachPartFromDisk_thenCompletesWithTheEtags() throws Exception {
        String train = TRAIN.repeat(3);
        byte[] bytes = train.getBytes(StandardCharsets.UTF_8);
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        int chunk = 100;
        wm.stubFor(post("/api/repos/create").willReturn(okJson("{}")));
        wm.stubFor(post(REPO + "/preupload/main").willReturn(okJson(preupload("lfs", null, null, null))));
        wm.stubFor(post("/datasets/acme/huggingface-data.git/info/lfs/objects/batch").willReturn(okJson("""
                {"transfer":"multipart","objects":[{"oid":"%s","size":%d,"actions":{"upload":{
                  "href":"%s/lfs/complete/%s",
                  "header":{"chunk_size":"%d","00003":"%s/s3/p3","00001":"%s/s3/p1","00002":"%s/s3/p2"}}}}]}
                """.formatted(sha256, bytes.length, wm.baseUrl(), sha256, chunk, wm.baseUrl(), wm.baseUrl(),
                wm.baseUrl()))));
        for (int p = 1; p <= 3; p++) {
            wm.stubFor(put("/s3/p" + p).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"etag-" + p + "\"")));
        }
        wm.stubFor(post("/lfs/complete/" + sha256).willReturn(okJson("{}")));
        wm.stubFor(post(REPO + "/commit/main").willReturn(okJson("{\"commitOid\":\"" + COMMIT + "\"}")));

        hf.upload(data(train, null));

        for (int p = 1; p <= 3; p++) {
            LoggedRequest part = wm.findAll(putRequestedFor(urlPathEqualTo("/s3/p" + p))).get(0);
            int from = (p - 1) * chunk;
            assertThat(part.getBody()).isEqualTo(Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunk)));
        }
        wm.verify(postRequestedFor(urlPathEqualTo("/lfs/complete/" + sha256)).withRequestBody(equalToJson(
                "{\"oid\":\"" + sha256 + "\",\"parts\":[{\"partNumber\":1,\"etag\":\"\\\"etag-1\\\"\"},"
                        + "{\"partNumber\":2,\"etag\":\"\\\"etag-2\\\"\"},{\"partNumber\":3,\"etag\":\"\\\"etag-3\\\"\"}]}")));
    }

    @Test
    void commitLostInTransit_isNotSentAgain_whenThePreuploadShowsItArrived() throws Exception {
        wm.stubFor(post("/api/repos/create").willReturn(okJson("{}")));
        wm.stubFor(post(REPO + "/preupload/main").inScenario("c").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(preupload("regular", null, null, null))).willSetStateTo("sent"));
        wm.stubFor(post(REPO + "/commit/main").inScenario("c").whenScenarioStateIs("sent")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("landed"));
        wm.stubFor(post(REPO + "/preupload/main").inScenario("c").whenScenarioStateIs("landed")
                .willReturn(okJson(preupload("regular", TRAIN_GIT_OID, null, null))));
        wm.stubFor(get(REPO + "/revision/main").willReturn(okJson("{\"sha\":\"" + COMMIT + "\"}")));

        UploadedData up = hf.upload(data(TRAIN, null));

        assertThat(up.trainingRef()).endsWith("@" + COMMIT + ":train.jsonl");
        wm.verify(1, postRequestedFor(urlPathEqualTo(REPO + "/commit/main")));
        wm.verify(getRequestedFor(urlPathEqualTo(REPO + "/revision/main")));
    }
}
