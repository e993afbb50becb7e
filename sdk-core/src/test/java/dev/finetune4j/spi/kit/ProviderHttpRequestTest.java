package dev.finetune4j.spi.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.AuthenticationException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.RateLimitedException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ServerException;
import dev.finetune4j.TransportException;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.http.RetryOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ProviderHttpRequestTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ApiKey KEY = ApiKey.of("sk-proj-wire-0123456789abcdefghijklmnop");
    private static final String ORG_SECRET = "org-confidential-42";

    @TempDir
    Path dir;

    private final FakeTime time = new FakeTime(Instant.parse("2026-03-01T12:00:00Z"));

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private ProviderHttp openai() {
        return ProviderHttp.builder("openai", URI.create(wm.baseUrl() + "/v1/"))
                .apiKey(KEY)
                .header("OpenAI-Organization", ORG_SECRET)
                .sleeper(time)
                .clock(time)
                .random(() -> 0.0)
                .build();
    }

    @Test
    void aHugeErrorBody_isQuotedFromItsStart_andTheNextCallIsAnswered() {
        String huge = "{\"error\":{\"message\":\"" + "x".repeat(1_000_000) + "\"}}";
        wm.stubFor(get(urlPathEqualTo("/v1/models/big")).willReturn(aResponse().withStatus(400).withBody(huge)));
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(okJson("{\"object\":\"list\",\"data\":[]}")));
        ProviderHttp core = openai();

        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> core.getJson("/models/big"));

        assertThat(e.rawBody()).hasSize(ProviderException.MAX_RAW_BODY).startsWith("{\"error\":{\"message\":\"xxx");
        assertThat(core.getJson("/models").get("object").asText()).isEqualTo("list");
    }

    @Test
    void getJson_sendsTheBearerKeyAndDefaultHeaders_andEncodesTheQuery() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine_tuning/jobs")).willReturn(okJson("{\"object\":\"list\",\"data\":[],\"has_more\":false}")));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", "10");
        query.put("after", "ftjob abc/1&x=ü");

        JsonNode page = openai().getJson("/fine_tuning/jobs", query);

        assertThat(page.get("has_more").asBoolean()).isFalse();
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/fine_tuning/jobs"))
                .withQueryParam("limit", equalTo("10"))
                .withQueryParam("after", equalTo("ftjob abc/1&x=ü"))
                .withHeader("Authorization", equalTo("Bearer " + KEY.value()))
                .withHeader("OpenAI-Organization", equalTo(ORG_SECRET))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("User-Agent", equalTo("finetune4j")));
    }

    @Test
    void postJson_sendsTheJsonBodyWithItsContentType() {
        wm.stubFor(post(urlPathEqualTo("/v1/fine_tuning/jobs")).willReturn(okJson("{\"id\":\"ftjob-abc\",\"status\":\"validating_files\"}")));

        JsonNode job = openai().postJson("/fine_tuning/jobs",
                Map.of("model", "gpt-4o-mini-2024-07-18", "training_file", "file-123", "suffix", "avatar-42"), RetrySafety.UNSAFE);

        assertThat(job.get("id").asText()).isEqualTo("ftjob-abc");
        wm.verify(postRequestedFor(urlPathEqualTo("/v1/fine_tuning/jobs"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Authorization", equalTo("Bearer " + KEY.value()))
                .withRequestBody(equalToJson("{\"model\":\"gpt-4o-mini-2024-07-18\",\"training_file\":\"file-123\",\"suffix\":\"avatar-42\"}")));
    }

    @Test
    void delete_andPut_areSent_andAnEmptyAnswerIsAMissingNode() {
        wm.stubFor(delete(urlPathEqualTo("/v1/models/ft:gpt-4o-mini:org::abc")).willReturn(aResponse().withStatus(204)));
        wm.stubFor(put(urlPathEqualTo("/v1/labels")).willReturn(okJson("{\"labels\":{\"a\":\"b\"}}")));

        JsonNode deleted = openai().delete("/models/" + ApiRequest.segment("ft:gpt-4o-mini:org::abc"));
        JsonResponse put = openai().sendJson(ApiRequest.put("/labels").json(Map.of("labels", Map.of("a", "b"))).build());

        assertThat(deleted.isMissingNode()).isTrue();
        assertThat(put.body().at("/labels/a").asText()).isEqualTo("b");
        wm.verify(deleteRequestedFor(urlPathEqualTo("/v1/models/ft:gpt-4o-mini:org::abc")));
        wm.verify(putRequestedFor(urlPathEqualTo("/v1/labels")).withRequestBody(equalToJson("{\"labels\":{\"a\":\"b\"}}")));
    }

    @Test
    void repeatedQueryParameters_andExtraHeaders_reachTheServer() {
        wm.stubFor(get(urlPathEqualTo("/v1/api/jobs/me")).willReturn(okJson("[]")
                .withHeader("Link", "<" + wm.baseUrl() + "/v1/api/jobs/me?cursor=2>; rel=\"next\"")));

        JsonResponse r = openai().sendJson(ApiRequest.get("/api/jobs/me")
                .query("stage", "RUNNING").query("stage", "ERROR").header("X-Trace", "t-1").build());

        assertThat(r.body().isArray()).isTrue();
        assertThat(r.header("link")).hasValueSatisfying(v -> assertThat(v).contains("cursor=2"));
        wm.verify(getRequestedFor(urlPathEqualTo("/v1/api/jobs/me"))
                .withQueryParam("stage", havingExactly("RUNNING", "ERROR"))
                .withHeader("X-Trace", equalTo("t-1")));
    }

    @Test
    void segment_encodesWhatCannotStandInAPathSegment() {
        assertThat(ApiRequest.segment("ft:gpt-4o-mini:org:suffix:abc")).isEqualTo("ft:gpt-4o-mini:org:suffix:abc");
        assertThat(ApiRequest.segment("a/b c?d#e%f")).isEqualTo("a%2Fb%20c%3Fd%23e%25f");
        assertThat(ApiRequest.segment("é")).isEqualTo("%C3%A9");
    }

    @Test
    void aPostMustSayWhetherItIsSafeToRepeat() {
        assertThatThrownBy(() -> ApiRequest.post("/fine_tuning/jobs").json(Map.of()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("POST /fine_tuning/jobs must say whether it is safe to repeat: retrySafety(SAFE) or retrySafety(UNSAFE)");
        assertThat(ApiRequest.get("/models").build().retrySafety()).isEqualTo(RetrySafety.SAFE);
        assertThatThrownBy(() -> ApiRequest.get("/models?limit=1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeyIsNotSentToAnotherOrigin() {
        wm.stubFor(get(urlPathEqualTo("/upload/part")).willReturn(okJson("{}")));
        URI otherOrigin = URI.create("http://127.0.0.1:" + wm.getPort() + "/upload/part?X-Amz-Signature=s3cr3t");

        openai().sendJson(ApiRequest.absolute("GET", otherOrigin).build());
        openai().sendJson(ApiRequest.absolute("GET", URI.create(wm.baseUrl() + "/upload/part")).build());
        openai().sendJson(ApiRequest.absolute("GET", URI.create(wm.baseUrl() + "/upload/part")).withoutAuth().build());

        List<LoggedRequest> requests = wm.findAll(getRequestedFor(urlPathEqualTo("/upload/part")));
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).containsHeader("Authorization")).isFalse();
        assertThat(requests.get(0).getQueryParams().get("X-Amz-Signature").firstValue()).isEqualTo("s3cr3t");
        assertThat(requests.get(1).getHeader("Authorization")).isEqualTo("Bearer " + KEY.value());
        assertThat(requests.get(2).containsHeader("Authorization")).isFalse();
    }

    @Test
    void redirects_areFollowedForGets_droppingTheKeyWhenTheOriginChanges() throws IOException {
        wm.stubFor(get(urlPathEqualTo("/v1/files/file-1/content")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "/v1/files/file-1/raw")));
        wm.stubFor(get(urlPathEqualTo("/v1/files/file-1/raw")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "http://127.0.0.1:" + wm.getPort() + "/cdn/file-1")));
        wm.stubFor(get(urlPathEqualTo("/cdn/file-1")).willReturn(aResponse().withStatus(200).withBody("{\"line\":1}\n")));

        try (RawResponse raw = openai().send(ApiRequest.get("/files/file-1/content").accept("application/octet-stream").build())) {
            assertThat(new String(raw.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"line\":1}\n");
        }

        wm.verify(getRequestedFor(urlPathEqualTo("/v1/files/file-1/raw")).withHeader("Authorization", equalTo("Bearer " + KEY.value())));
        wm.verify(getRequestedFor(urlPathEqualTo("/cdn/file-1")).withHeader("Authorization", absent()));
    }

    @Test
    void aPostAnsweredWithARedirect_isAnError_notFollowed() {
        wm.stubFor(post(urlPathEqualTo("/v1/files")).willReturn(aResponse().withStatus(307).withHeader("Location", "/v2/files")));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> openai().postJson("/files", Map.of(), RetrySafety.SAFE));

        assertThat(e.statusCode()).isEqualTo(307);
    }

    @Test
    void aRedirectTakenAsTheAnswer_reachesTheCallerWithItsHeaders_andIsNeitherFollowedNorRetried() throws IOException {
        wm.stubFor(post(urlPathEqualTo("/v1/files")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:" + wm.getPort() + "/bucket/file-1?sig=abc")
                .withHeader("X-Together-File-Id", "file-1")));
        wm.stubFor(get(urlPathEqualTo("/v1/files/file-1")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "/v1/elsewhere")));

        try (RawResponse raw = openai().send(ApiRequest.post("/files").body("purpose=fine-tune".getBytes(
                        StandardCharsets.UTF_8), "application/x-www-form-urlencoded")
                .retrySafety(RetrySafety.UNSAFE).redirectIsAnswer().build())) {
            assertThat(raw.status()).isEqualTo(302);
            assertThat(raw.headers().firstValue("Location")).hasValue("http://127.0.0.1:" + wm.getPort()
                    + "/bucket/file-1?sig=abc");
            assertThat(raw.headers().firstValue("X-Together-File-Id")).hasValue("file-1");
        }
        try (RawResponse raw = openai().send(ApiRequest.get("/files/file-1").redirectIsAnswer().build())) {
            assertThat(raw.status()).isEqualTo(302);
        }

        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1/files")).withHeader("Content-Type",
                equalTo("application/x-www-form-urlencoded")).withRequestBody(equalTo("purpose=fine-tune")));
        wm.verify(0, getRequestedFor(urlPathEqualTo("/bucket/file-1")));
        wm.verify(0, getRequestedFor(urlPathEqualTo("/v1/elsewhere")));
    }

    @Test
    void aSuccessThatIsNotJson_isAProviderException() {
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(aResponse().withStatus(200)
                .withHeader("x-request-id", "req_html").withBody("<html>captive portal</html>")));

        ProviderException e = catchThrowableOfType(ProviderException.class,() -> openai().getJson("/models"));

        assertThat(e).hasMessage("openai returned 200 for GET /v1/models (request req_html): the body is not JSON: <html>captive portal</html>");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void errorAnswers_ofEachProvider_mapToTheirExceptions_withRequestIds() {
        wm.stubFor(post(urlPathEqualTo("/v1/fine_tuning/jobs")).willReturn(aResponse().withStatus(429)
                .withHeader("x-request-id", "req_123").withHeader("Retry-After", "600")
                .withBody("{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}")));
        RateLimitedException openAi = catchThrowableOfType(RateLimitedException.class,
                () -> openai().postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini"), RetrySafety.UNSAFE));
        assertThat(openAi).hasMessage("openai returned 429 rate_limit_exceeded for POST /v1/fine_tuning/jobs (request req_123):"
                + " Rate limit reached for requests");
        assertThat(openAi.requestId()).contains("req_123");

        ProviderHttp mistral = ProviderHttp.builder("mistral", URI.create(wm.baseUrl())).apiKey(KEY).retry(RetryOptions.none()).build();
        wm.stubFor(post(urlPathEqualTo("/v1/fine_tuning/jobs")).willReturn(aResponse().withStatus(422)
                .withHeader("x-request-id", "m-7")
                .withBody("{\"detail\":[{\"loc\":[\"body\",\"hyperparameters\",\"training_steps\"],\"msg\":\"Input should be greater than 0\",\"type\":\"greater_than\"}]}")));
        InvalidRequestException invalid = catchThrowableOfType(InvalidRequestException.class,
                () -> mistral.postJson("/v1/fine_tuning/jobs", Map.of("model", "open-mistral-7b"), RetrySafety.UNSAFE));
        assertThat(invalid).hasMessage("mistral returned 422 greater_than for POST /v1/fine_tuning/jobs (request m-7):"
                + " body.hyperparameters.training_steps: Input should be greater than 0");

        wm.stubFor(get(urlPathEqualTo("/v1/models/x")).willReturn(aResponse().withStatus(401)
                .withBody("{\"object\":\"error\",\"message\":\"Unauthorized\",\"type\":\"authentication_error\",\"param\":null,\"code\":\"1000\"}")));
        AuthenticationException auth = catchThrowableOfType(AuthenticationException.class,() -> mistral.getJson("/v1/models/x"));
        assertThat(auth).hasMessage("mistral returned 401 1000 for GET /v1/models/x: Unauthorized");

        ProviderHttp hf = ProviderHttp.builder("huggingface", URI.create(wm.baseUrl())).apiKey(KEY).retry(RetryOptions.none()).build();
        wm.stubFor(get(urlPathEqualTo("/api/datasets/me/missing")).willReturn(aResponse().withStatus(404)
                .withHeader("X-Error-Code", "RepoNotFound").withHeader("X-Error-Message", "Repository not found")
                .withHeader("X-Request-Id", "Root=1-hf").withBody("{\"error\":\"Repository not found\"}")));
        NotFoundException missing = catchThrowableOfType(NotFoundException.class,
                () -> hf.getJson("/api/datasets/me/missing", Map.of("token", "should-not-show")));
        assertThat(missing).hasMessage("huggingface returned 404 RepoNotFound for GET /api/datasets/me/missing (request Root=1-hf):"
                + " Repository not found");
        assertThat(missing.errorCode()).contains("RepoNotFound");

        wm.stubFor(get(urlPathEqualTo("/api/jobs/me/j1")).willReturn(aResponse().withStatus(502).withBody("Bad Gateway")));
        ServerException server = catchThrowableOfType(ServerException.class,() -> hf.getJson("/api/jobs/me/j1"));
        assertThat(server).hasMessage("huggingface returned 502 for GET /api/jobs/me/j1: Bad Gateway");
        assertThat(server.rawBody()).isEqualTo("Bad Gateway");
    }

    @Test
    void theKey_andHeaderValues_neverAppearInAnyMessage() {
        String echo = "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY.value() + " (Authorization: Bearer "
                + KEY.value() + ")\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(aResponse().withStatus(401).withBody(echo)));
        wm.stubFor(get(urlPathEqualTo("/v1/echo-code")).willReturn(aResponse().withStatus(500)
                .withHeader("X-Error-Code", KEY.value()).withBody(KEY.value())));
        wm.stubFor(get(urlPathEqualTo("/v1/not-json")).willReturn(aResponse().withStatus(200).withBody("key=" + KEY.value())));
        wm.stubFor(get(urlPathEqualTo("/v1/reset")).willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.EMPTY_RESPONSE)));
        ProviderHttp core = ProviderHttp.builder("openai", URI.create(wm.baseUrl() + "/v1")).apiKey(KEY)
                .header("OpenAI-Organization", ORG_SECRET).retry(RetryOptions.none()).build();

        List<FineTuneException> failures = new ArrayList<>();
        for (String path : List.of("/models", "/echo-code", "/not-json", "/reset")) {
            failures.add(catchThrowableOfType(FineTuneException.class,() -> core.getJson(path, Map.of("api_key", KEY.value()))));
        }

        assertThat(failures).hasSize(4).allSatisfy(e -> {
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).doesNotContain(KEY.value(), ORG_SECRET, "api_key=", "Authorization: Bearer sk", "OpenAI-Organization");
            assertThat(e.toString()).doesNotContain(KEY.value());
            if (e instanceof ProviderException p) {
                assertThat(p.rawBody()).doesNotContain(KEY.value());
                assertThat(p.errorCode().orElse("")).doesNotContain(KEY.value());
            }
        });
        assertThat(failures.get(0)).isInstanceOf(AuthenticationException.class).hasMessageContaining("Incorrect API key provided: ****");
        assertThat(failures.get(3)).isInstanceOf(TransportException.class);
    }

    @Test
    void multipartUpload_streamsA50MbFile_andTheServerReceivesEveryByte() throws Exception {
        Path file = dir.resolve("train.jsonl");
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        Random random = new Random(7);
        byte[] line = new byte[1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 50 * 1024; i++) {
                for (int j = 0; j < line.length - 1; j++) {
                    line[j] = (byte) ('a' + random.nextInt(26));
                }
                line[line.length - 1] = '\n';
                out.write(line);
                sent.update(line);
            }
        }
        wm.stubFor(post(urlPathEqualTo("/v1/files")).willReturn(okJson("{\"id\":\"file-abc\",\"object\":\"file\",\"bytes\":52428800}")));
        Multipart parts = Multipart.builder()
                .field("purpose", "fine-tune")
                .file("file", file, "train.jsonl", "application/jsonl")
                .build();

        JsonNode uploaded = openai().postMultipart("/files", parts, RetrySafety.SAFE);

        assertThat(uploaded.get("id").asText()).isEqualTo("file-abc");
        LoggedRequest request = wm.findAll(postRequestedFor(urlPathEqualTo("/v1/files"))).get(0);
        assertThat(request.getHeader("Content-Type")).isEqualTo("multipart/form-data; boundary=" + parts.boundary());
        assertThat(request.getHeader("Content-Length")).isEqualTo(Long.toString(parts.contentLength()));
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + KEY.value());
        assertThat(request.getPart("purpose").getBody().asString()).isEqualTo("fine-tune");
        var filePart = request.getPart("file");
        assertThat(filePart.getHeader("Content-Disposition").firstValue())
                .isEqualTo("form-data; name=\"file\"; filename=\"train.jsonl\"");
        assertThat(filePart.getHeader("Content-Type").firstValue()).isEqualTo("application/jsonl");
        byte[] received = filePart.getBody().asBytes();
        assertThat(received.length).isEqualTo(50L * 1024 * 1024);
        assertThat(MessageDigest.getInstance("SHA-256").digest(received)).isEqualTo(sent.digest());
    }

    @Test
    void aRetriedUpload_sendsTheWholeFileAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("small.jsonl"), "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n");
        wm.stubFor(post(urlPathEqualTo("/v1/files")).inScenario("u").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
        wm.stubFor(post(urlPathEqualTo("/v1/files")).inScenario("u").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"id\":\"file-2\"}")));
        Multipart parts = Multipart.builder().field("purpose", "fine-tune")
                .file("file", file, "small.jsonl", "application/jsonl").build();

        openai().postMultipart("/files", parts, RetrySafety.SAFE);

        List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlPathEqualTo("/v1/files")));
        assertThat(requests).hasSize(2).allSatisfy(r ->
                assertThat(r.getPart("file").getBody().asString()).isEqualTo(Files.readString(file)));
    }

    @Test
    void fileRegionBody_sendsExactlyThoseBytes_andAgainOnARetry() throws Exception {
        Path file = Files.writeString(dir.resolve("big.jsonl"), "0123456789abcdefghij");
        wm.stubFor(put(urlPathEqualTo("/upload/part-2")).inScenario("p").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
        wm.stubFor(put(urlPathEqualTo("/upload/part-2")).inScenario("p").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e2\"")));
        ApiRequest part = ApiRequest.absolute("PUT", URI.create(wm.baseUrl() + "/upload/part-2")).withoutAuth()
                .file(file, 8, 6, "application/octet-stream").build();

        try (RawResponse answer = openai().send(part)) {
            assertThat(answer.headers().firstValue("ETag")).contains("\"e2\"");
        }

        List<LoggedRequest> requests = wm.findAll(putRequestedFor(urlPathEqualTo("/upload/part-2")));
        assertThat(requests).hasSize(2).allSatisfy(r -> {
            assertThat(r.getBodyAsString()).isEqualTo("89abcd");
            assertThat(r.getHeader("Content-Length")).isEqualTo("6");
            assertThat(r.containsHeader("Authorization")).isFalse();
        });
        assertThatThrownBy(() -> ApiRequest.put("/x").file(file, 15, 6, "text/plain"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(20 bytes)");
    }

    private static ApiRequest chatStream(Map<String, Object> body) {
        return ApiRequest.post("/chat/completions").json(body).accept("text/event-stream").retrySafety(RetrySafety.SAFE)
                .build();
    }

    @Test
    void stream_deliversTheEventsOnTheWire() {
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).withHeader("Accept", equalTo("text/event-stream"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withBody("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                                + ": keep-alive\n\n"
                                + "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n"
                                + "data: [DONE]\n\n")));

        List<String> data = new ArrayList<>();
        try (SseReader events = openai().stream(chatStream(Map.of("model", "ft:gpt-4o-mini:org::x", "stream", true)))) {
            events.forEachRemaining(e -> data.add(e.data()));
        }

        assertThat(data).containsExactly("{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}", "{\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}");
        wm.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(matching(".*\"stream\":true.*")));
    }

    @Test
    void stream_errorEvent_isAProviderException_withTheRequestId() {
        wm.stubFor(get(urlPathEqualTo("/v1/jobs/j1/logs")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withHeader("x-request-id", "req_s")
                .withBody("data: {\"data\":\"step 1\"}\n\nevent: error\ndata: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":null}}\n\n")));

        SseReader events = openai().stream(ApiRequest.get("/jobs/j1/logs").accept("text/event-stream").build());

        assertThat(events.next().data()).isEqualTo("{\"data\":\"step 1\"}");
        assertThatThrownBy(events::next)
                .isExactlyInstanceOf(ProviderException.class)
                .hasMessage("openai returned 200 server_error for GET /v1/jobs/j1/logs (request req_s): error in the stream: overloaded");
    }

    @Test
    void stream_anErrorStatus_isRetriedThenMapped_beforeAnyEvent() {
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"model not found\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}")));

        assertThatThrownBy(() -> openai().stream(chatStream(Map.of("model", "gone"))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("400 model_not_found");
        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1/chat/completions")).withRequestBody(containing("gone")));
    }

    @Test
    void builder_rejectsBaseUrlsThatAreNotHttp() {
        assertThatThrownBy(() -> ProviderHttp.builder("openai", URI.create("file:///tmp")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("base URL 'file:///tmp' is not an absolute http(s) URL with a host");
        assertThatThrownBy(() -> ProviderHttp.builder("openai", URI.create("https://api.openai.com/v1?key=abc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("base URL 'https://api.openai.com/v1' must not have a query or fragment");
        assertThat(ProviderHttp.builder("openai", URI.create("https://api.openai.com/v1//")).build().baseUrl())
                .hasToString("https://api.openai.com/v1");
    }
}
