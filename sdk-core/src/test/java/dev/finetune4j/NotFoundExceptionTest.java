package dev.finetune4j;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.http.RetryOptions;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A provider's 404 is the one not-found exception, with what the provider said kept beside it. */
class NotFoundExceptionTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ApiKey KEY = ApiKey.of("sk-proj-notfound-0123456789abcdefghijkl");

    @Test
    void providers404_isNotFoundException_carryingTheProviderError_notAProviderException() {
        wm.stubFor(get(urlPathEqualTo("/v1/models/ft:gpt-4o-mini:acme::gone")).willReturn(aResponse().withStatus(404)
                .withHeader("x-request-id", "req_404").withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"The model 'ft:gpt-4o-mini:acme::gone' does not exist\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\","
                        + "\"key\":\"" + KEY.value() + "\"}}")));
        ProviderHttp http = ProviderHttp.builder("openai", URI.create(wm.baseUrl())).apiKey(KEY)
                .retry(RetryOptions.none()).build();

        Throwable thrown = catchThrowable(() -> http.getJson("/v1/models/ft:gpt-4o-mini:acme::gone"));

        assertThat(thrown).isExactlyInstanceOf(NotFoundException.class).isNotInstanceOf(ProviderException.class)
                .hasMessage("openai returned 404 model_not_found for GET /v1/models/ft:gpt-4o-mini:acme::gone"
                        + " (request req_404): The model 'ft:gpt-4o-mini:acme::gone' does not exist");
        NotFoundException e = (NotFoundException) thrown;
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.errorCode()).contains("model_not_found");
        ProviderError error = e.providerError().orElseThrow();
        assertThat(error.provider()).isEqualTo("openai");
        assertThat(error.statusCode()).isEqualTo(404);
        assertThat(error.errorCode()).contains("model_not_found");
        assertThat(error.requestId()).contains("req_404");
        assertThat(error.rawBody()).contains("does not exist").doesNotContain(KEY.value()).contains("****");
        assertThat(error.toString()).doesNotContain(KEY.value());
        wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/models/ft:gpt-4o-mini:acme::gone"))
                .withHeader("Authorization", equalTo("Bearer " + KEY.value())));
    }

    @Test
    void storesNotFound_hasNoProviderError() {
        NotFoundException e = new NotFoundException("dataset 'avatar-42/main' has no version 7");

        assertThat(e.providerError()).isEmpty();
        assertThat(e.errorCode()).isEmpty();
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void providerException_exposesTheSameDetailsAsAProviderError() {
        ProviderException e = new ProviderException("m", "mistral", 409, "conflict", "r-1", "{}", true);

        assertThat(e.providerError()).isEqualTo(ProviderError.builder("mistral", 409).errorCode("conflict")
                .requestId("r-1").rawBody("{}").build());
    }
}
