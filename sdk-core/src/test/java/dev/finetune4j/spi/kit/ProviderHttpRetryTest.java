package dev.finetune4j.spi.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.RateLimitedException;
import dev.finetune4j.ServerException;
import dev.finetune4j.TransportException;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.http.RetryOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProviderHttpRetryTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ApiKey KEY = ApiKey.of("sk-test-retry-0123456789abcdefghij");
    private static final String OK = "{\"object\":\"list\",\"data\":[]}";

    private final FakeTime time = new FakeTime(Instant.parse("2026-03-01T12:00:00Z"));

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private ProviderHttp core(RetryOptions retry) {
        return ProviderHttp.builder("openai", URI.create(wm.baseUrl() + "/v1"))
                .apiKey(KEY)
                .retry(retry)
                .sleeper(time)
                .clock(time)
                .random(() -> 0.0)
                .build();
    }

    private ProviderHttp core() {
        return core(RetryOptions.defaults());
    }

    /** GET /v1/models answers each of {@code failures} once, in order, then 200. */
    private static void getFailsThenSucceeds(ResponseDefinitionBuilder... failures) {
        String state = Scenario.STARTED;
        for (int i = 0; i < failures.length; i++) {
            String next = "after-" + (i + 1);
            wm.stubFor(get(urlPathEqualTo("/v1/models")).inScenario("flaky").whenScenarioStateIs(state)
                    .willReturn(failures[i]).willSetStateTo(next));
            state = next;
        }
        wm.stubFor(get(urlPathEqualTo("/v1/models")).inScenario("flaky").whenScenarioStateIs(state).willReturn(okJson(OK)));
    }

    private static ResponseDefinitionBuilder status(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"status " + status + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
    }

    @Test
    void status429_500_503_areRetried_withExponentialBackoff_untilSuccess() {
        getFailsThenSucceeds(status(429), status(500));
        JsonNode body = core().getJson("/models");

        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
        wm.verify(3, getRequestedFor(urlPathEqualTo("/v1/models")));

        wm.resetAll();
        getFailsThenSucceeds(status(503), status(502), status(504));
        core(RetryOptions.builder().maxRetries(3).build()).getJson("/models");
        wm.verify(4, getRequestedFor(urlPathEqualTo("/v1/models")));
    }

    @Test
    void backoff_doublesUpToTheCap_andJitterTakesAtMostAQuarterOff() {
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(status(500)));
        RetryOptions sixRetries = RetryOptions.builder().maxRetries(6).build();

        assertThatThrownBy(() -> core(sixRetries).getJson("/models")).isInstanceOf(ServerException.class);
        assertThat(time.sleeps()).extracting(Duration::toMillis).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 8000L);

        FakeTime jittered = new FakeTime(Instant.EPOCH);
        ProviderHttp withJitter = ProviderHttp.builder("openai", URI.create(wm.baseUrl() + "/v1")).retry(RetryOptions.builder().maxRetries(2).build())
                .sleeper(jittered).clock(jittered).random(() -> 0.999).build();
        assertThatThrownBy(() -> withJitter.getJson("/models")).isInstanceOf(ServerException.class);
        assertThat(jittered.sleeps()).extracting(Duration::toMillis).containsExactly(375L, 750L);
    }

    // These use a safe POST: for a GET the JDK client itself repeats a request once when the
    // connection closes before any answer, which would hide our own retries from the count.

    @Test
    void connectionReset_onASafeCall_isRetried() {
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).inScenario("reset").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"id\":\"chatcmpl-1\"}")));

        assertThat(core().postJson("/chat/completions", Map.of("model", "m"), RetrySafety.SAFE).get("id").asText())
                .isEqualTo("chatcmpl-1");
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500));
        wm.verify(2, postRequestedFor(urlPathEqualTo("/v1/chat/completions")));
    }

    @Test
    void connectionReset_everyTime_endsInATransportException_afterAllAttempts() {
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        TransportException e = catchThrowableOfType(TransportException.class,
                () -> core().postJson("/chat/completions", Map.of("model", "m"), RetrySafety.SAFE));

        assertThat(e).hasMessageStartingWith("openai: POST /v1/chat/completions failed after 3 attempts (")
                .hasMessageEndingWith("; the request may have reached the server");
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.provider()).isEqualTo("openai");
        wm.verify(3, postRequestedFor(urlPathEqualTo("/v1/chat/completions")));
    }

    @Test
    void connectionReset_onAGet_isRetriedToo() {
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> core().getJson("/models")).isInstanceOf(TransportException.class);
        assertThat(time.sleeps()).hasSize(2);
    }

    @Test
    void retryAfterSeconds_isHonoured_fractionalToo() {
        getFailsThenSucceeds(status(429).withHeader("Retry-After", "2"), status(503).withHeader("Retry-After", "1.5"));

        core().getJson("/models");

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofMillis(1500));
    }

    @Test
    void retryAfterMs_winsOverRetryAfter() {
        getFailsThenSucceeds(status(429).withHeader("retry-after-ms", "250.5").withHeader("Retry-After", "30"));

        core().getJson("/models");

        assertThat(time.sleeps()).hasSize(1);
        assertThat(time.sleeps().get(0).toMillis()).isCloseTo(250L, within(25L));
    }

    @Test
    void azureRetryAfterMs_isHonouredAfterRetryAfterMsAndBeforeRetryAfter() {
        getFailsThenSucceeds(status(429).withHeader("x-ms-retry-after-ms", "1200").withHeader("Retry-After", "30"),
                status(503).withHeader("retry-after-ms", "300").withHeader("x-ms-retry-after-ms", "9000"));

        core().getJson("/models");

        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(1200), Duration.ofMillis(300));
    }

    @Test
    void retryAfterHttpDate_isHonouredWithinTenPercent() {
        String in30s = DateTimeFormatter.RFC_1123_DATE_TIME.format(time.instant().plusSeconds(30).atZone(ZoneOffset.UTC));
        getFailsThenSucceeds(status(503).withHeader("Retry-After", in30s));

        core().getJson("/models");

        assertThat(time.sleeps()).hasSize(1);
        assertThat(time.sleeps().get(0).toMillis()).isCloseTo(30_000L, within(3_000L));
    }

    @Test
    void huggingFaceRateLimitHeader_givesTheWaitOfA429() {
        getFailsThenSucceeds(status(429).withHeader("ratelimit", "\"api\";r=0;t=5"));

        core().getJson("/models");

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(6));
    }

    @Test
    void retryAfterAboveTheCap_isNotRetried_andTheWaitIsReported() {
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(status(429).withHeader("Retry-After", "120")));

        RateLimitedException e = catchThrowableOfType(RateLimitedException.class,() -> core().getJson("/models"));

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(time.sleeps()).isEmpty();
        wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/models")));
    }

    @Test
    void xShouldRetryFalse_stopsARetryableStatus() {
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(status(500).withHeader("x-should-retry", "false")));

        ServerException e = catchThrowableOfType(ServerException.class,() -> core().getJson("/models"));

        assertThat(e.isRetryable()).isFalse();
        assertThat(time.sleeps()).isEmpty();
        wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/models")));
    }

    @Test
    void xShouldRetryTrue_retriesEvenA400() {
        getFailsThenSucceeds(status(400).withHeader("x-should-retry", "true"));

        core().getJson("/models");

        wm.verify(2, getRequestedFor(urlPathEqualTo("/v1/models")));
    }

    @Test
    void a400_isNotRetried() {
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(status(400)));

        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class,() -> core().getJson("/models"));

        assertThat(e.isRetryable()).isFalse();
        wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/models")));
    }

    @Test
    void waitsNeverReachTheDeadline() {
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(status(500)));
        RetryOptions tenSeconds = RetryOptions.builder()
                .maxRetries(10).initialBackoff(Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(8))
                .deadline(Duration.ofSeconds(10))
                .build();

        assertThatThrownBy(() -> core(tenSeconds).getJson("/models")).isInstanceOf(ServerException.class);

        // 2 s + 4 s = 6 s; the next 8 s would end at 14 s, past the 10 s deadline, so it is not taken.
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(time.slept()).isLessThan(Duration.ofSeconds(10));
        wm.verify(3, getRequestedFor(urlPathEqualTo("/v1/models")));
    }

    @Test
    void serverWaitsNeverReachTheDeadlineEither() {
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(status(503).withHeader("Retry-After", "6")));
        RetryOptions tenSeconds = RetryOptions.builder().maxRetries(10).deadline(Duration.ofSeconds(10)).build();

        assertThatThrownBy(() -> core(tenSeconds).getJson("/models")).isInstanceOf(ServerException.class);

        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(6));
    }

    @Test
    void unsafePost_isNotRetriedOn500() {
        wm.stubFor(post(urlPathEqualTo("/v1/fine_tuning/jobs")).willReturn(status(500)));

        ServerException e = catchThrowableOfType(ServerException.class,
                () -> core().postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini"), RetrySafety.UNSAFE));

        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(time.sleeps()).isEmpty();
        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1/fine_tuning/jobs")));
    }

    @Test
    void unsafePost_cutOffMidway_saysItMayHaveReachedTheServer_andIsNotRetried() {
        wm.stubFor(post(urlPathEqualTo("/v1/fine_tuning/jobs")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        TransportException e = catchThrowableOfType(TransportException.class,
                () -> core().postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini"), RetrySafety.UNSAFE));

        assertThat(e.mayHaveReachedServer()).isTrue();
        assertThat(e.isRetryable()).isTrue();
        assertThat(e).hasMessageContaining("POST /v1/fine_tuning/jobs failed after 1 attempt")
                .hasMessageEndingWith("the request may have reached the server");
        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1/fine_tuning/jobs")));
    }

    @Test
    void unsafePost_isRetriedOn429_whichTheServerRefusedUnprocessed() {
        wm.stubFor(post(urlPathEqualTo("/v1/fine_tuning/jobs")).inScenario("rl").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(status(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        wm.stubFor(post(urlPathEqualTo("/v1/fine_tuning/jobs")).inScenario("rl").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"id\":\"ftjob-1\"}")));

        JsonNode job = core().postJson("/fine_tuning/jobs", Map.of("model", "gpt-4o-mini"), RetrySafety.UNSAFE);

        assertThat(job.get("id").asText()).isEqualTo("ftjob-1");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void safePost_isRetriedOn500() {
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(status(500)).willSetStateTo("ok"));
        wm.stubFor(post(urlPathEqualTo("/v1/chat/completions")).inScenario("s").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"id\":\"chatcmpl-1\"}")));

        assertThat(core().postJson("/chat/completions", Map.of("model", "m"), RetrySafety.SAFE).get("id").asText())
                .isEqualTo("chatcmpl-1");
        wm.verify(2, postRequestedFor(urlPathEqualTo("/v1/chat/completions")));
    }

    @Test
    void connectionRefused_isRetriedEvenForAnUnsafePost_andSaysTheRequestNeverArrived() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ProviderHttp nowhere = ProviderHttp.builder("mistral", URI.create("http://127.0.0.1:" + closedPort))
                .apiKey(KEY).sleeper(time).clock(time).random(() -> 0.0).build();

        TransportException e = catchThrowableOfType(TransportException.class,
                () -> nowhere.postJson("/v1/fine_tuning/jobs", Map.of("model", "open-mistral-7b"), RetrySafety.UNSAFE));

        assertThat(e.mayHaveReachedServer()).isFalse();
        assertThat(e).hasMessageStartingWith("mistral: POST /v1/fine_tuning/jobs failed after 3 attempts (ConnectException")
                .hasMessageEndingWith("; the request did not reach the server");
        assertThat(time.sleeps()).hasSize(2);
    }

    @Test
    void aSlowAnswer_timesOutPerAttempt() {
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(okJson(OK).withFixedDelay(5_000)));
        ProviderHttp impatient = ProviderHttp.builder("openai", URI.create(wm.baseUrl() + "/v1"))
                .retry(RetryOptions.none()).timeout(Duration.ofMillis(200)).sleeper(time).clock(time).build();

        TransportException e = catchThrowableOfType(TransportException.class,() -> impatient.getJson("/models"));

        assertThat(e).hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(e.mayHaveReachedServer()).isTrue();
    }

    @Test
    void aJsonBodyThatTrickles_timesOutToo_andTheClientStaysUsable() {
        // the attempt's timeout covers a JSON answer's body, not only its headers
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(okJson(OK).withChunkedDribbleDelay(20, 5_000)));
        wm.stubFor(get(urlPathEqualTo("/v1/files")).willReturn(okJson("{\"object\":\"list\",\"data\":[]}")));
        ProviderHttp impatient = ProviderHttp.builder("openai", URI.create(wm.baseUrl() + "/v1"))
                .retry(RetryOptions.none()).timeout(Duration.ofMillis(300)).sleeper(time).clock(time).build();

        TransportException e = catchThrowableOfType(TransportException.class, () -> impatient.getJson("/models"));

        assertThat(e).hasCauseInstanceOf(HttpTimeoutException.class);
        assertThat(e.getCause()).hasMessage("no answer within PT0.3S");
        assertThat(e.mayHaveReachedServer()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(impatient.getJson("/files").get("object").asText()).isEqualTo("list");
    }

    @Test
    void interruptedWait_stopsTheCall_andKeepsTheInterruptFlag() {
        wm.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(status(500)));
        ProviderHttp interrupting = ProviderHttp.builder("openai", URI.create(wm.baseUrl() + "/v1"))
                .sleeper(d -> {
                    throw new InterruptedException();
                })
                .build();

        try {
            assertThatThrownBy(() -> interrupting.getJson("/models"))
                    .isExactlyInstanceOf(FineTuneException.class)
                    .hasMessage("openai: GET /v1/models was interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void finalError_isTheLastAnswer_withItsRetryability() {
        getFailsThenSucceeds(status(503), status(503), status(500));

        ProviderException e = catchThrowableOfType(ProviderException.class,() -> core().getJson("/models"));

        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e).hasMessage("openai returned 500 server_error for GET /v1/models: status 500");
    }
}
