package dev.finetune4j.azureopenai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.azureopenai.AzureTestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.DeploymentRequest;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.RemoteDeployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The provider's {@link DeploymentService}: each call as it goes to Azure Resource Manager (the
 * deployment named by our deployment id, the SKU and capacity from the spec, an ARM token), and
 * ARM's provisioning states normalised.
 */
class AzureDeploymentServiceTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ARM_TOKEN = "eyJhbGciOiJSUzI1NiJ9.arm-token";
    private static final String MODEL = "gpt-4.1-mini-2025-04-14.ft-b044a9d3cf9c4228b5d393567f693b83";
    private static final String TAG = "ftd-0a1b2c3d4e5f";
    private static final String ACCOUNT = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/"
            + "rg-ml/providers/Microsoft.CognitiveServices/accounts/contoso-aoai";
    private static final String DEPLOYMENT = ACCOUNT + "/deployments/" + TAG;
    private static final String QUERY = "?api-version=2024-10-01";

    private final AzureTestSupport.FakeTime time = new AzureTestSupport.FakeTime();
    private DeploymentService deployments;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        deployments = AzureTestSupport.provider(armConfig().build()).deployments().orElseThrow();
    }

    private static dev.finetune4j.spi.ProviderConfig.Builder armConfig() {
        return config(wm, new AzureTestSupport.FakeTime()).env(AzureTestSupport.env(Map.of(
                AzureOpenAiProviderFactory.SUBSCRIPTION_ID_ENV, "00000000-1111-2222-3333-444444444444",
                AzureOpenAiProviderFactory.RESOURCE_GROUP_ENV, "rg-ml",
                AzureOpenAiProviderFactory.ACCOUNT_NAME_ENV, "contoso-aoai",
                AzureOpenAiProviderFactory.ARM_TOKEN_ENV, ARM_TOKEN,
                AzureOpenAiProviderFactory.MANAGEMENT_ENDPOINT_ENV, wm.baseUrl())));
    }

    private static String deployment(String name, String model, String state, String sku, int capacity) {
        return """
                {"id":"%s/deployments/%s","name":"%s","type":"Microsoft.CognitiveServices/accounts/deployments",
                 "sku":{"name":"%s","capacity":%d},
                 "properties":{"model":{"format":"OpenAI","name":"%s","version":"1"},
                   "provisioningState":"%s"}}""".formatted(ACCOUNT, name, name, sku, capacity, model, state);
    }

    private static DeploymentRequest request(DeploymentSpec spec) {
        return new DeploymentRequest(TAG, "voice-parser", 1, MODEL, "gpt-4.1-mini-2025-04-14", spec);
    }

    @Test
    void deploy_putsADeploymentNamedByTheTag_withTheSkuFromTheHardware_andTheCapacityFromMaxReplicas() {
        wm.stubFor(put(DEPLOYMENT + QUERY).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(deployment(TAG, MODEL, "Accepted", "GlobalStandard", 3))));

        RemoteDeployment d = deployments.deploy(request(DeploymentSpec.builder().hardware("global standard")
                .replicas(1, 3).build()));

        assertThat(d.remoteId()).isEqualTo(TAG);
        assertThat(d.tag()).hasValue(TAG);
        assertThat(d.state()).isEqualTo(DeploymentState.PENDING);
        assertThat(d.rawState()).isEqualTo("Accepted");
        assertThat(d.hardware()).hasValue("GlobalStandard");
        assertThat(d.address()).hasValue(ServingAddress.model(TAG));
        assertThat(d.pricePerHour()).isEmpty();
        wm.verify(putRequestedFor(urlEqualTo(DEPLOYMENT + QUERY))
                .withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN))
                .withHeader("api-key", absent())
                .withRequestBody(equalToJson("""
                        {"sku":{"name":"GlobalStandard","capacity":3},
                         "properties":{"model":{"format":"OpenAI","name":"%s","version":"1"}}}""".formatted(MODEL))));
    }

    @Test
    void deploy_withTheDefaultSpec_isAStandardDeploymentOfCapacityOne() {
        wm.stubFor(put(DEPLOYMENT + QUERY).willReturn(okJson(deployment(TAG, MODEL, "Accepted", "Standard", 1))));

        deployments.deploy(request(DeploymentSpec.defaults()));

        wm.verify(putRequestedFor(urlEqualTo(DEPLOYMENT + QUERY)).withRequestBody(
                equalToJson("{\"sku\":{\"name\":\"Standard\",\"capacity\":1}}", true, true)));
    }

    @Test
    void checkRequest_refusesAnUnknownSku_aRegion_andOptions_namingWhatIsOffered_beforeAnythingIsSent() {
        assertThatThrownBy(() -> deployments.checkRequest(request(DeploymentSpec.builder().hardware("nvidia-l4-x1")
                .build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nvidia-l4-x1'")
                .hasMessageContaining("standard").hasMessageContaining("globalstandard")
                .hasMessageContaining("developer").hasMessageContaining("provisionedmanaged");
        assertThatThrownBy(() -> deployments.checkRequest(request(DeploymentSpec.builder().region("eastus").build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'eastus'");
        assertThatThrownBy(() -> deployments.checkRequest(request(DeploymentSpec.builder().option("vendor", "aws")
                .build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vendor");
        assertThatThrownBy(() -> deployments.deploy(request(DeploymentSpec.builder().hardware("premium").build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'premium'");
        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void get_mapsEachProvisioningState_andA404IsDeleted() {
        String[][] cases = {{"Accepted", "PENDING"}, {"Creating", "INITIALIZING"}, {"Updating", "INITIALIZING"},
                {"Succeeded", "READY"}, {"Failed", "FAILED"}, {"Canceled", "FAILED"}, {"Deleting", "DELETED"},
                {"Sleeping", "UNKNOWN"}};
        for (String[] c : cases) {
            wm.stubFor(get(DEPLOYMENT + QUERY).willReturn(okJson(deployment(TAG, MODEL, c[0], "Standard", 1))));
            RemoteDeployment d = deployments.get(TAG);
            assertThat(d.state()).as(c[0]).isEqualTo(DeploymentState.valueOf(c[1]));
            assertThat(d.rawState()).isEqualTo(c[0]);
        }
        wm.stubFor(get(DEPLOYMENT + QUERY).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"not found\"}}")));

        RemoteDeployment gone = deployments.get(TAG);

        assertThat(gone.state()).isEqualTo(DeploymentState.DELETED);
        assertThat(gone.billedReplicas()).isZero();
        assertThat(deployments.findByTag(TAG)).isEmpty();
    }

    @Test
    void findByTag_getsTheDeploymentOfThatName() {
        wm.stubFor(get(DEPLOYMENT + QUERY).willReturn(okJson(deployment(TAG, MODEL, "Succeeded", "Standard", 1))));

        assertThat(deployments.findByTag(TAG)).hasValueSatisfying(d -> {
            assertThat(d.remoteId()).isEqualTo(TAG);
            assertThat(d.state()).isEqualTo(DeploymentState.READY);
            assertThat(d.address()).hasValue(ServingAddress.model(TAG));
        });
    }

    @Test
    void list_returnsOnlyOurDeployments_notBaseModelOrHandMadeOnes() {
        wm.stubFor(get(ACCOUNT + "/deployments" + QUERY).willReturn(okJson("{\"value\":["
                + deployment("gpt-4o-mini", "gpt-4o-mini", "Succeeded", "Standard", 10) + ","
                + deployment(TAG, MODEL, "Creating", "Standard", 1) + ","
                + deployment("by-hand", MODEL, "Succeeded", "Standard", 1) + "]}")));

        List<RemoteDeployment> ours = deployments.list();

        assertThat(ours).singleElement().satisfies(d -> {
            assertThat(d.remoteId()).isEqualTo(TAG);
            assertThat(d.state()).isEqualTo(DeploymentState.INITIALIZING);
        });
    }

    @Test
    void scale_putsTheDeploymentAgain_withTheNewCapacity_keepingModelAndSku() {
        wm.stubFor(get(DEPLOYMENT + QUERY).willReturn(okJson(deployment(TAG, MODEL, "Succeeded", "GlobalStandard",
                1))));
        wm.stubFor(put(DEPLOYMENT + QUERY).willReturn(okJson(deployment(TAG, MODEL, "Updating", "GlobalStandard",
                5))));

        RemoteDeployment d = deployments.scale(TAG, 0, 5);

        assertThat(d.state()).isEqualTo(DeploymentState.INITIALIZING);
        wm.verify(putRequestedFor(urlEqualTo(DEPLOYMENT + QUERY)).withRequestBody(equalToJson("""
                {"sku":{"name":"GlobalStandard","capacity":5},
                 "properties":{"model":{"format":"OpenAI","name":"%s","version":"1"}}}""".formatted(MODEL))));
    }

    @Test
    void undeploy_deletesTheDeployment_andOneAlreadyGoneCountsAsDeleted() {
        wm.stubFor(delete(DEPLOYMENT + QUERY).willReturn(aResponse().withStatus(200)));

        deployments.undeploy(TAG);

        wm.verify(deleteRequestedFor(urlEqualTo(DEPLOYMENT + QUERY))
                .withHeader("Authorization", equalTo("Bearer " + ARM_TOKEN)));
        wm.stubFor(delete(DEPLOYMENT + QUERY).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"gone\"}}")));
        deployments.undeploy(TAG);
    }

    @Test
    void deploymentsAreOffered_onlyWithTheArmSettings_andPartOfThemIsRefusedNamingWhatIsMissing() {
        assertThat(AzureOpenAiProviderFactory.DESCRIPTOR.capabilities().has(Capability.DEPLOY)).isTrue();
        assertThat(AzureTestSupport.provider(config(wm, time).build()).deployments()).isEmpty();

        assertThatThrownBy(() -> AzureTestSupport.provider(config(wm, time).env(AzureTestSupport.env(Map.of(
                AzureOpenAiProviderFactory.SUBSCRIPTION_ID_ENV, "00000000-1111-2222-3333-444444444444"))).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(AzureOpenAiProviderFactory.RESOURCE_GROUP_ENV)
                .hasMessageContaining(AzureOpenAiProviderFactory.ARM_TOKEN_ENV);
    }

    @Test
    void theAccountName_defaultsFromTheEndpointsHost_andTokensMayComeFromTheHostApplication() {
        wm.stubFor(get(urlEqualTo("/subscriptions/sub-1/resourceGroups/rg-ml/providers/Microsoft.CognitiveServices"
                + "/accounts/fabrikam/deployments/" + TAG + QUERY))
                .willReturn(okJson(deployment(TAG, MODEL, "Succeeded", "Standard", 1))));
        DeploymentService d = new AzureOpenAiProviderFactory().withArmTokens(() -> ApiKey.of("supplied-arm-token"))
                .create(config(wm, time).endpoint(java.net.URI.create("https://fabrikam.openai.azure.com"))
                        .env(AzureTestSupport.env(Map.of(AzureOpenAiProviderFactory.SUBSCRIPTION_ID_ENV, "sub-1",
                                AzureOpenAiProviderFactory.RESOURCE_GROUP_ENV, "rg-ml",
                                AzureOpenAiProviderFactory.MANAGEMENT_ENDPOINT_ENV, wm.baseUrl()))).build())
                .deployments().orElseThrow();

        assertThat(d.get(TAG).state()).isEqualTo(DeploymentState.READY);
        wm.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo("/subscriptions/sub-1/"
                + "resourceGroups/rg-ml/providers/Microsoft.CognitiveServices/accounts/fabrikam/deployments/" + TAG
                + QUERY)).withHeader("Authorization", equalTo("Bearer supplied-arm-token")));
    }
}
