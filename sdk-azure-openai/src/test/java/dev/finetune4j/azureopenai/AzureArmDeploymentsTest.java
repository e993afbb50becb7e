package dev.finetune4j.azureopenai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.finetune4j.azureopenai.AzureTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.AuthenticationException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.azureopenai.internal.ArmAccount;
import dev.finetune4j.azureopenai.internal.ArmDeployment;
import dev.finetune4j.azureopenai.internal.ArmDeployments;
import dev.finetune4j.http.ApiKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deployments through Azure Resource Manager as Microsoft documents them (fine-tuning-deploy.md,
 * REST; ARM examples PutDeployment.json / ListDeployments.json at api-version 2024-10-01): PUT with
 * the SKU and the model, GET until Succeeded, list, DELETE; an ARM Bearer token on every call, never
 * the resource's api-key.
 */
class AzureArmDeploymentsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ARM_TOKEN = "eyJhbGciOiJSUzI1NiJ9.arm-token";
    private static final String MODEL = "gpt-4.1-mini-2025-04-14.ft-b044a9d3cf9c4228b5d393567f693b83";
    private static final String ACCOUNT = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/"
            + "rg-ml/providers/Microsoft.CognitiveServices/accounts/contoso-aoai";
    private static final String DEPLOYMENT = ACCOUNT + "/deployments/voice-parser-v3";
    private static final String QUERY = "?api-version=2024-10-01";

    private final AzureTestSupport.FakeTime time = new AzureTestSupport.FakeTime();
    private final AtomicInteger tokensAsked = new AtomicInteger();
    private ArmDeployments arm;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        arm = ArmDeployments.create(config(wm, time).build(), URI.create(wm.baseUrl()),
                new ArmAccount("00000000-1111-2222-3333-444444444444", "rg-ml", "contoso-aoai"), () -> {
                    tokensAsked.incrementAndGet();
                    return ApiKey.of(ARM_TOKEN);
                }, ArmDeployments.DEFAULT_API_VERSION);
    }

    private static String deployment(String state, String extra) {
        return """
                {"id":"%s","name":"voice-parser-v3","type":"Microsoft.CognitiveServices/accounts/deployments",
                 "sku":{"name":"Standard","capacity":1},
                 "properties":{"model":{"format":"OpenAI","name":"%s","version":"1"},
                   "provisioningState":"%s"%s}}""".formatted(DEPLOYMENT, MODEL, state, extra);
    }

    @Test
    void deploy_putsTheSkuAndTheFineTunedModel_withAnArmBearerToken_andTheArmApiVersion() {
        wm.stubFor(put(DEPLOYMENT + QUERY).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withHeader("x-ms-request-id", "arm-req-1")
                .withBody(deployment("Accepted", ""))));

        ArmDeployment d = arm.deploy("voice-parser-v3", MODEL, "standard", 1);

        assertThat(d.name()).isEqualTo("voice-parser-v3");
        assertThat(d.resourceId()).isEqualTo(DEPLOYMENT);
        assertThat(d.model()).isEqualTo(MODEL);
        assertThat(d.provisioningState()).isEqualTo("Accepted");
        assertThat(d.ready()).isFalse();
        assertThat(d.settled()).isFalse();
        assertThat(tokensAsked).hasValue(1);
        wm.verify(putRequestedFor(urlEqualTo(DEPLOYMENT + QUERY))
                .withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN))
                .withHeader("api-key", absent())
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"sku":{"name":"Standard","capacity":1},
                         "properties":{"model":{"format":"OpenAI","name":"%s","version":"1"}}}""".formatted(MODEL))));
    }

    @Test
    void deploy_spellsEachDeploymentTypeAsMicrosoftsSamplesDo() {
        wm.stubFor(put(DEPLOYMENT + QUERY).willReturn(okJson(deployment("Accepted", ""))));

        arm.deploy("voice-parser-v3", MODEL, "GLOBAL-STANDARD", 2);
        arm.deploy("voice-parser-v3", "ftchkpt-0123456789abcdef0123456789abcdef", "Developer", 50);

        wm.verify(putRequestedFor(urlEqualTo(DEPLOYMENT + QUERY)).withRequestBody(
                equalToJson("{\"sku\":{\"name\":\"GlobalStandard\",\"capacity\":2}}", true, true)));
        wm.verify(putRequestedFor(urlEqualTo(DEPLOYMENT + QUERY)).withRequestBody(equalToJson("""
                {"sku":{"name":"developertier","capacity":50},"properties":{"model":{"format":"OpenAI",
                 "name":"ftchkpt-0123456789abcdef0123456789abcdef","version":"1"}}}""")));
    }

    @Test
    void deploy_refusesWhatArmWouldRefuse_beforeAnythingIsSent() {
        assertThatThrownBy(() -> arm.deploy("v", MODEL, "standard", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'v'").hasMessageContaining("2 to 64");
        assertThatThrownBy(() -> arm.deploy("voice parser", MODEL, "standard", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'voice parser'");
        assertThatThrownBy(() -> arm.deploy("voice-parser-v3", MODEL, "premium", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'premium'")
                .hasMessageContaining("globalstandard");
        assertThatThrownBy(() -> arm.deploy("voice-parser-v3", MODEL, "standard", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
        assertThatThrownBy(() -> new ArmAccount("sub", "rg", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
        assertThatThrownBy(() -> ArmDeployments.create(config(wm, time).build(), URI.create(wm.baseUrl()),
                new ArmAccount("sub", "rg", "acct"), () -> ApiKey.of(ARM_TOKEN), "2024-10-21-beta"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'2024-10-21-beta'");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void get_pollsTheResourceUntilSucceeded_withAFreshTokenPerCall() {
        wm.stubFor(get(DEPLOYMENT + QUERY).inScenario("provisioning").whenScenarioStateIs(STARTED)
                .willReturn(okJson(deployment("Creating", ""))).willSetStateTo("done"));
        wm.stubFor(get(DEPLOYMENT + QUERY).inScenario("provisioning").whenScenarioStateIs("done")
                .willReturn(okJson(deployment("Succeeded", ""))));

        ArmDeployment first = arm.get("voice-parser-v3").orElseThrow();
        ArmDeployment second = arm.get("voice-parser-v3").orElseThrow();

        assertThat(first.provisioningState()).isEqualTo("Creating");
        assertThat(second.ready()).isTrue();
        assertThat(second.skuName()).isEqualTo("Standard");
        assertThat(second.capacity()).isEqualTo(1);
        assertThat(tokensAsked).hasValue(2);
        wm.verify(2, getRequestedFor(urlEqualTo(DEPLOYMENT + QUERY))
                .withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN)));
    }

    @Test
    void get_ofAFailedDeployment_keepsArmsMessage_andOfAMissingOne_isEmpty() {
        wm.stubFor(get(DEPLOYMENT + QUERY).willReturn(okJson(deployment("Failed",
                ",\"error\":{\"code\":\"InsufficientQuota\",\"message\":\"This operation requires 1 new capacity "
                        + "in quota Tokens Per Minute, which is bigger than the current available capacity 0.\"}"))));
        wm.stubFor(get(ACCOUNT + "/deployments/gone" + QUERY).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withHeader("x-ms-request-id", "arm-404")
                .withBody("{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"Deployment 'gone' not found.\"}}")));

        ArmDeployment failed = arm.get("voice-parser-v3").orElseThrow();

        assertThat(failed.failed()).isTrue();
        assertThat(failed.settled()).isTrue();
        assertThat(failed.error()).hasValueSatisfying(m -> assertThat(m).contains("current available capacity 0"));
        assertThat(arm.get("gone")).isEmpty();
    }

    @Test
    void list_readsArmsValueArray() {
        wm.stubFor(get(ACCOUNT + "/deployments" + QUERY).willReturn(okJson("{\"value\":[" + deployment("Succeeded", "")
                + ",{\"id\":\"" + ACCOUNT + "/deployments/gpt-4o-mini\",\"name\":\"gpt-4o-mini\","
                + "\"sku\":{\"name\":\"GlobalStandard\",\"capacity\":10},\"properties\":{\"model\":{\"format\":"
                + "\"OpenAI\",\"name\":\"gpt-4o-mini\",\"version\":\"2024-07-18\"},\"provisioningState\":"
                + "\"Succeeded\"}}]}")));

        List<ArmDeployment> all = arm.list();

        assertThat(all).extracting(ArmDeployment::name).containsExactly("voice-parser-v3", "gpt-4o-mini");
        assertThat(all.get(1).modelVersion()).isEqualTo("2024-07-18");
        wm.verify(getRequestedFor(urlEqualTo(ACCOUNT + "/deployments" + QUERY))
                .withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN)));
    }

    @Test
    void undeploy_deletes_andIsSafeToRepeat() {
        wm.stubFor(delete(DEPLOYMENT + QUERY).inScenario("delete").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200)).willSetStateTo("gone"));
        wm.stubFor(delete(DEPLOYMENT + QUERY).inScenario("delete").whenScenarioStateIs("gone")
                .willReturn(aResponse().withStatus(204)));

        boolean first = arm.undeploy("voice-parser-v3");
        boolean second = arm.undeploy("voice-parser-v3");

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        wm.verify(2, deleteRequestedFor(urlEqualTo(DEPLOYMENT + QUERY))
                .withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN)));
    }

    @Test
    void throttling_honoursXMsRetryAfterMs_thenRepeatsThePut() {
        wm.stubFor(put(DEPLOYMENT + QUERY).inScenario("throttled").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("x-ms-retry-after-ms", "1500")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Throttled\"}}"))
                .willSetStateTo("ok"));
        wm.stubFor(put(DEPLOYMENT + QUERY).inScenario("throttled").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(deployment("Accepted", ""))));

        ArmDeployment d = arm.deploy("voice-parser-v3", MODEL, "standard", 1);

        assertThat(d.provisioningState()).isEqualTo("Accepted");
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(1500));
        wm.verify(2, putRequestedFor(urlEqualTo(DEPLOYMENT + QUERY)));
    }

    @Test
    void aRefusedToken_isAnAuthenticationError_withArmsRequestId_andNeverTheToken() {
        wm.stubFor(put(DEPLOYMENT + QUERY).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withHeader("x-ms-request-id", "arm-403")
                .withBody("{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client with object id "
                        + "'abc' does not have authorization to perform action 'Microsoft.CognitiveServices/accounts/"
                        + "deployments/write'.\"}}")));

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> arm.deploy("voice-parser-v3", MODEL, "standard", 1));

        assertThat(thrown).isInstanceOf(AuthenticationException.class);
        ProviderException e = (ProviderException) thrown;
        assertThat(e.requestId()).hasValue("arm-403");
        assertThat(e.getMessage()).contains("deployments/write").doesNotContain(ARM_TOKEN);
    }
}
