package dev.finetune4j.spi.kit;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.AuthenticationException;
import dev.finetune4j.http.ApiKey;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthenticationTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ApiKey AZURE_KEY = ApiKey.of("azure-resource-key-0123456789abcdef");

    private final FakeTime time = new FakeTime(Instant.parse("2026-03-01T12:00:00Z"));

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private ProviderHttp client(Authentication auth) {
        return ProviderHttp.builder("azure", URI.create(wm.baseUrl() + "/openai/v1")).auth(auth).sleeper(time)
                .clock(time).build();
    }

    @Test
    void aKeyInANamedHeader_isSentAsItIs_withoutAnAuthorizationHeader() {
        wm.stubFor(get(urlPathEqualTo("/openai/v1/models")).willReturn(okJson("{\"data\":[]}")));

        client(Authentication.header("api-key", AZURE_KEY)).getJson("/models");

        wm.verify(getRequestedFor(urlPathEqualTo("/openai/v1/models"))
                .withHeader("api-key", equalTo(AZURE_KEY.value()))
                .withHeader("Authorization", absent()));
    }

    @Test
    void aSuppliedToken_isAskedForOncePerCall_andEveryAttemptOfTheCallSendsIt() {
        wm.stubFor(get(urlPathEqualTo("/openai/v1/models")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(serverError()).willSetStateTo("up"));
        wm.stubFor(get(urlPathEqualTo("/openai/v1/models")).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(okJson("{\"data\":[]}")));
        AtomicInteger asked = new AtomicInteger();
        ProviderHttp http = client(Authentication.bearerToken(
                () -> ApiKey.of("entra-token-" + asked.incrementAndGet() + "-abcdefghijklmnop")));

        http.getJson("/models");
        http.getJson("/models");

        List<LoggedRequest> sent = wm.findAll(getRequestedFor(urlPathEqualTo("/openai/v1/models")));
        assertThat(sent).extracting(r -> r.getHeader("Authorization")).containsExactly(
                "Bearer entra-token-1-abcdefghijklmnop", "Bearer entra-token-1-abcdefghijklmnop",
                "Bearer entra-token-2-abcdefghijklmnop");
        assertThat(asked).hasValue(2);
    }

    @Test
    void aSuppliedToken_neverFollowsARedirectToAnotherOrigin() {
        wm.stubFor(get(urlPathEqualTo("/openai/v1/files/f/content")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:" + wm.getPort() + "/blob/f")));
        wm.stubFor(get(urlPathEqualTo("/blob/f")).willReturn(okJson("{}")));

        client(Authentication.bearerToken(() -> ApiKey.of("entra-token-abcdefghijklmnop")))
                .sendJson(ApiRequest.get("/files/f/content").build());

        wm.verify(getRequestedFor(urlPathEqualTo("/openai/v1/files/f/content"))
                .withHeader("Authorization", equalTo("Bearer entra-token-abcdefghijklmnop")));
        wm.verify(getRequestedFor(urlPathEqualTo("/blob/f")).withHeader("Authorization", absent()));
    }

    @Test
    void aKeyOrTokenEchoedInAnErrorBody_isRedacted() {
        String token = "entra-token-echoed-abcdefghijklmnop";
        wm.stubFor(get(urlPathEqualTo("/openai/v1/models")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"code\":\"invalid_token\",\"message\":\"token " + token + " expired\"}}")));
        wm.stubFor(get(urlPathEqualTo("/openai/v1/keys")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"code\":\"401\",\"message\":\"key " + AZURE_KEY.value() + " revoked\"}}")));

        AuthenticationException byToken = catchThrowableOfType(AuthenticationException.class,
                () -> client(Authentication.bearerToken(() -> ApiKey.of(token))).getJson("/models"));
        AuthenticationException byKey = catchThrowableOfType(AuthenticationException.class,
                () -> client(Authentication.header("api-key", AZURE_KEY)).getJson("/keys"));

        assertThat(byToken.getMessage()).doesNotContain(token).contains("token **** expired");
        assertThat(byToken.rawBody()).doesNotContain(token);
        assertThat(byKey.getMessage()).doesNotContain(AZURE_KEY.value()).contains("key **** revoked");
        assertThat(byKey.rawBody()).doesNotContain(AZURE_KEY.value());
    }

    @Test
    void aSupplierThatReturnsNothing_failsBeforeAnythingIsSent() {
        assertThatThrownBy(() -> client(Authentication.bearerToken(() -> null)).getJson("/models"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("azure: the token supplier returned null; it must return a token or throw");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void noPublicForm_showsTheSecret_andHeaderNamesAreChecked() {
        assertThat(Authentication.header("api-key", AZURE_KEY)).hasToString("Authentication[header api-key "
                + "ApiKey[****cdef]]");
        assertThat(Authentication.bearer(AZURE_KEY)).hasToString("Authentication[bearer ApiKey[****cdef]]");
        assertThat(Authentication.bearerToken(() -> AZURE_KEY))
                .hasToString("Authentication[bearer token from a supplier]");
        assertThat(Authentication.none().headerName()).isEmpty();
        assertThat(Authentication.header("api-key", AZURE_KEY).headerName()).contains("api-key");
        assertThatThrownBy(() -> Authentication.header("api key", AZURE_KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'api key' is not an HTTP header name");
    }
}
