package dev.finetune4j.spi.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.AuthenticationException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.RateLimitedException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ServerException;
import dev.finetune4j.TransportException;
import dev.finetune4j.http.ApiKey;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorParserTest {

    private static final HttpHeaders NONE = headers(Map.of());
    private static final ApiKey KEY = ApiKey.of("sk-test-0123456789abcdefghijklmnop");
    private static final ProviderErrors.CallInfo OPENAI_CREATE =
            new ProviderErrors.CallInfo("openai", "POST", "/v1/fine_tuning/jobs", KEY);

    @Test
    void openAiShape_givesCodeAndMessage() {
        String body = """
                {"error": {"message": "Rate limit reached for requests", "type": "requests",
                           "param": null, "code": "rate_limit_exceeded"}}""";

        ErrorParser.ParsedError e = ErrorParser.parse(NONE, body);

        assertThat(e.code()).isEqualTo("rate_limit_exceeded");
        assertThat(e.message()).isEqualTo("Rate limit reached for requests");
    }

    @Test
    void openAiShapeWithoutCode_fallsBackToTheType() {
        ErrorParser.ParsedError e = ErrorParser.parse(NONE,
                "{\"error\":{\"message\":\"bad file\",\"type\":\"invalid_request_error\",\"param\":\"training_file\",\"code\":null}}");

        assertThat(e.code()).isEqualTo("invalid_request_error");
        assertThat(e.message()).isEqualTo("bad file");
    }

    @Test
    void mistralShape_givesCodeAndMessage() {
        ErrorParser.ParsedError e = ErrorParser.parse(NONE,
                "{\"object\":\"error\",\"message\":\"Unauthorized\",\"type\":\"authentication_error\",\"param\":null,\"code\":\"1000\"}");

        assertThat(e.code()).isEqualTo("1000");
        assertThat(e.message()).isEqualTo("Unauthorized");
    }

    @Test
    void validationDetail_listsEveryLocationAndMessage() {
        String body = """
                {"detail": [
                  {"loc": ["body", "hyperparameters", "learning_rate"], "msg": "Input should be greater than 0", "type": "greater_than"},
                  {"loc": ["body", "model"], "msg": "Field required", "type": "missing"}]}""";

        ErrorParser.ParsedError e = ErrorParser.parse(NONE, body);

        assertThat(e.code()).isEqualTo("greater_than");
        assertThat(e.message()).isEqualTo(
                "body.hyperparameters.learning_rate: Input should be greater than 0; body.model: Field required");
    }

    @Test
    void mistralMessageHoldingValidationDetail_isFlattened() {
        ErrorParser.ParsedError e = ErrorParser.parse(NONE,
                "{\"object\":\"error\",\"message\":{\"detail\":[{\"loc\":[\"body\",\"suffix\"],\"msg\":\"too long\",\"type\":\"value_error\"}]},"
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}");

        assertThat(e.code()).isEqualTo("invalid_request_error");
        assertThat(e.message()).isEqualTo("body.suffix: too long");
    }

    @Test
    void huggingFaceHeaders_giveTheCode_andTheBodyTheMessage() {
        HttpHeaders h = headers(Map.of("X-Error-Code", List.of("RepoNotFound"),
                "X-Error-Message", List.of("Repository not found")));

        assertThat(ErrorParser.parse(h, "{\"error\":\"Repository Not Found for url: /api/datasets/me/ds\"}"))
                .isEqualTo(new ErrorParser.ParsedError("RepoNotFound", "Repository Not Found for url: /api/datasets/me/ds"));
        assertThat(ErrorParser.parse(h, "")).isEqualTo(new ErrorParser.ParsedError("RepoNotFound", "Repository not found"));
    }

    @Test
    void huggingFaceErrorsArray_isJoined() {
        assertThat(ErrorParser.parse(NONE, "{\"errors\":[\"first problem\",\"second problem\"]}").message())
                .isEqualTo("first problem; second problem");
    }

    @Test
    void unknownShapes_quoteTheStartOfTheBody() {
        String html = "<html><body>" + "x".repeat(1000) + "</body></html>";

        ErrorParser.ParsedError e = ErrorParser.parse(NONE, html);

        assertThat(e.code()).isNull();
        assertThat(e.message()).hasSize(ErrorParser.FALLBACK_CHARS + 1).startsWith("<html><body>xxx").endsWith("…");
        assertThat(ErrorParser.parse(NONE, "  upstream connect error  ").message()).isEqualTo("upstream connect error");
        assertThat(ErrorParser.parse(NONE, "{not json").message()).isEqualTo("{not json");
        assertThat(ErrorParser.parse(NONE, "").message()).isEmpty();
    }

    @Test
    void message_namesProviderStatusCodeMethodPathRequestIdAndProviderMessage() {
        HttpHeaders h = headers(Map.of("x-request-id", List.of("req_123")));

        ProviderException e = (ProviderException) ProviderErrors.fromResponse(OPENAI_CREATE, 429, h,
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}",
                true, Duration.ofSeconds(3));

        assertThat(e).isInstanceOf(RateLimitedException.class).hasMessage(
                "openai returned 429 rate_limit_exceeded for POST /v1/fine_tuning/jobs (request req_123): Rate limit reached");
        assertThat(e.provider()).isEqualTo("openai");
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.errorCode()).contains("rate_limit_exceeded");
        assertThat(e.requestId()).contains("req_123");
        assertThat(e.isRetryable()).isTrue();
        assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void statuses_mapToTheirSubclasses() {
        assertThat(map(401)).isExactlyInstanceOf(AuthenticationException.class);
        assertThat(map(403)).isExactlyInstanceOf(AuthenticationException.class);
        assertThat(map(429)).isExactlyInstanceOf(RateLimitedException.class);
        assertThat(map(400)).isExactlyInstanceOf(InvalidRequestException.class);
        assertThat(map(413)).isExactlyInstanceOf(InvalidRequestException.class);
        assertThat(map(422)).isExactlyInstanceOf(InvalidRequestException.class);
        assertThat(map(404)).isExactlyInstanceOf(NotFoundException.class);
        assertThat(map(500)).isExactlyInstanceOf(ServerException.class);
        assertThat(map(503)).isExactlyInstanceOf(ServerException.class);
        assertThat(map(409)).isExactlyInstanceOf(ProviderException.class);
        assertThat(map(408)).isExactlyInstanceOf(ProviderException.class);
    }

    @Test
    void retryableStatuses_are408_409_429_and5xx() {
        assertThat(List.of(408, 409, 429, 500, 502, 503, 504, 599)).allMatch(ProviderException::isRetryableStatus);
        assertThat(List.of(200, 400, 401, 403, 404, 413, 422, 600)).noneMatch(ProviderException::isRetryableStatus);
    }

    @Test
    void huggingFaceRequestId_fallsBackToTheAmazonTraceId() {
        HttpHeaders h = headers(Map.of("X-Amzn-Trace-Id", List.of("Root=1-abc")));

        assertThat(ProviderErrors.requestId(h)).contains("Root=1-abc");
        assertThat(ProviderErrors.requestId(headers(Map.of("X-Request-Id", List.of("hf-1"))))).contains("hf-1");
    }

    @Test
    void togetherRequestId_isCloudflaresRayId_whenThereIsNoRequestIdHeader() {
        HttpHeaders h = headers(Map.of("cf-ray", List.of("8f1e2d3c4b5a6978-SJC")));

        assertThat(ProviderErrors.requestId(h)).contains("8f1e2d3c4b5a6978-SJC");
        assertThat(ProviderErrors.requestId(headers(Map.of("cf-ray", List.of("ray-1"), "x-request-id",
                List.of("req-1"))))).contains("req-1");
    }

    @Test
    void azureRequestIds_areReadWhenThereIsNoXRequestId() {
        assertThat(ProviderErrors.requestId(headers(Map.of("apim-request-id", List.of("apim-1"))))).contains("apim-1");
        assertThat(ProviderErrors.requestId(headers(Map.of("x-ms-request-id", List.of("arm-1"))))).contains("arm-1");
        assertThat(ProviderErrors.requestId(headers(Map.of("x-request-id", List.of("req-1"),
                "apim-request-id", List.of("apim-1"))))).contains("req-1");
        assertThat(ProviderErrors.requestId(headers(Map.of("x-request-id", List.of(" "),
                "apim-request-id", List.of("apim-2"))))).contains("apim-2");
    }

    @Test
    void anEchoedKey_isRedactedInMessageCodeAndRawBody() {
        String body = "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY.value()
                + ".\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";

        ProviderException e = (ProviderException) ProviderErrors.fromResponse(OPENAI_CREATE, 401, NONE, body, false, null);

        assertThat(e.getMessage()).doesNotContain(KEY.value()).contains("Incorrect API key provided: ****.");
        assertThat(e.rawBody()).doesNotContain(KEY.value()).contains("****");
        assertThat(e.toString()).doesNotContain(KEY.value());
    }

    @Test
    void rawBody_isBounded() {
        ProviderException e = (ProviderException) ProviderErrors.fromResponse(OPENAI_CREATE, 500, NONE, "y".repeat(200_000), true, null);

        assertThat(e.rawBody()).hasSize(ProviderException.MAX_RAW_BODY);
        assertThat(e.getMessage()).hasSizeLessThan(700);
    }

    @Test
    void streamError_isAPlainProviderException_withTheDataAsBody() {
        ProviderException e = (ProviderException) ProviderErrors.fromStreamError(OPENAI_CREATE, 200, headers(Map.of("x-request-id", List.of("req_9"))),
                "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"code\":null}}");

        assertThat(e).isExactlyInstanceOf(ProviderException.class).hasMessage(
                "openai returned 200 server_error for POST /v1/fine_tuning/jobs (request req_9): "
                        + "error in the stream: The server had an error");
        assertThat(e.rawBody()).contains("server_error");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void streamError_namingAnHttpStatus_isMappedLikeThatStatus() {
        ProviderException invalid = (ProviderException) ProviderErrors.fromStreamError(OPENAI_CREATE, 200, NONE,
                "{\"error\":{\"object\":\"error\",\"message\":\"maximum context length is 4096 tokens\","
                        + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}");
        ProviderException limited = (ProviderException) ProviderErrors.fromStreamError(OPENAI_CREATE, 200, NONE,
                "{\"error\":{\"message\":\"slow down\",\"status\":429}}");

        assertThat(invalid).isExactlyInstanceOf(InvalidRequestException.class).hasMessage(
                "openai returned 400 for POST /v1/fine_tuning/jobs: error in the stream: maximum context length is "
                        + "4096 tokens");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.isRetryable()).isFalse();
        assertThat(limited).isExactlyInstanceOf(RateLimitedException.class);
        assertThat(limited.isRetryable()).isTrue();
        assertThat(ErrorParser.statusNamed("{\"error\":{\"code\":\"rate_limit_exceeded\"},\"status\":503}")).isEqualTo(503);
        assertThat(ErrorParser.statusNamed("{\"error\":{\"code\":\"1500\"}}")).isZero();
        assertThat(ErrorParser.statusNamed("{\"code\":200}")).isZero();
        assertThat(ErrorParser.statusNamed("not json")).isZero();
    }

    @Test
    void transportMessage_saysWhetherTheRequestMayHaveReachedTheServer() {
        TransportException reached = ProviderErrors.transport(OPENAI_CREATE, 1, new java.io.IOException("Connection reset"), true);
        TransportException notReached = ProviderErrors.transport(OPENAI_CREATE, 3, new ConnectException(), false);

        assertThat(reached).hasMessage("openai: POST /v1/fine_tuning/jobs failed after 1 attempt (IOException: Connection reset);"
                + " the request may have reached the server");
        assertThat(reached.mayHaveReachedServer()).isTrue();
        assertThat(reached.isRetryable()).isTrue();
        assertThat(notReached).hasMessage("openai: POST /v1/fine_tuning/jobs failed after 3 attempts (ConnectException);"
                + " the request did not reach the server");
        assertThat(notReached.mayHaveReachedServer()).isFalse();
    }

    private static dev.finetune4j.FineTuneException map(int status) {
        return ProviderErrors.fromResponse(OPENAI_CREATE, status, NONE, "{}", ProviderException.isRetryableStatus(status), null);
    }

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (name, value) -> true);
    }
}
