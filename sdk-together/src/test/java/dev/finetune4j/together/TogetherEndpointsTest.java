package dev.finetune4j.together;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.together.TogetherFixtures.BEARER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.cost.Money;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.spi.DeploymentRequest;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.RemoteDeployment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dedicated endpoints on the wire, in the shapes of Together's spec and its Python client's {@code endpoints} resource. */
class TogetherEndpointsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String TAG = "ftd-0123456789ab";
    static final String MODEL = "acme/Meta-Llama-3.1-8B-Instruct-Reference-ftj-0123456789ab-7f3a2b1c";
    static final String ID = "endpoint-6f1b6a0e-2f0c-4a55-8d4e-0b1f2c3d4e5f";
    static final String NAME = "acme/Meta-Llama-3.1-8B-Instruct-Reference-ftj-0123456789ab-7f3a2b1c-a32b82a1";
    static final String HW = "1x_nvidia_h100_80gb_sxm";

    DeploymentService endpoints;

    @BeforeEach
    void setUp() {
        endpoints = TogetherFixtures.provider(wm.baseUrl() + "/v1").deployments().orElseThrow();
        wm.stubFor(get(urlPathEqualTo("/v1/hardware")).willReturn(okJson("""
                {"object":"list","data":[
                 {"object":"hardware","id":"2x_nvidia_h100_80gb_sxm","pricing":{"cents_per_minute":11.08},
                  "specs":{"gpu_type":"h100-80gb","gpu_link":"sxm","gpu_memory":80,"gpu_count":2},
                  "updated_at":"2026-11-01T00:00:00Z"},
                 {"object":"hardware","id":"1x_nvidia_h100_80gb_sxm","pricing":{"cents_per_minute":5.54},
                  "specs":{"gpu_type":"h100-80gb","gpu_link":"sxm","gpu_memory":80,"gpu_count":1},
                  "availability":{"status":"available"},"updated_at":"2026-11-01T00:00:00Z"}]}""")));
    }

    static String endpoint(String id, String displayName, String state) {
        return """
                {"object":"endpoint","id":"%s","name":"%s","display_name":%s,"model":"%s","hardware":"%s",
                 "type":"dedicated","owner":"acme","state":"%s","autoscaling":{"min_replicas":1,"max_replicas":2},
                 "created_at":"2026-12-01T10:00:00Z"}""".formatted(id, id.equals(ID) ? NAME : id + "-name",
                displayName == null ? "null" : "\"" + displayName + "\"", MODEL, HW, state);
    }

    static DeploymentRequest request(DeploymentSpec spec) {
        return new DeploymentRequest(TAG, "support", 3, MODEL, "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", spec);
    }

    @Test
    void deployPostsModelHardwareAutoscalingAndTagOnceAndReadsThePriceFromTheHardwareList() {
        wm.stubFor(post(urlPathEqualTo("/v1/endpoints")).willReturn(okJson(endpoint(ID, TAG + " support v3", "PENDING"))));

        RemoteDeployment d = endpoints.deploy(request(DeploymentSpec.builder().hardware(HW).replicas(1, 2)
                .region("us-central-4b").build()));

        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1/endpoints"))
                .withHeader("Authorization", equalTo(BEARER))
                .withRequestBody(equalToJson("""
                        {"model":"%s","hardware":"%s","autoscaling":{"min_replicas":1,"max_replicas":2},
                         "display_name":"%s support v3","state":"STARTED","availability_zone":"us-central-4b"}"""
                        .formatted(MODEL, HW, TAG))));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/hardware")).withQueryParam("model", equalTo(MODEL)));
        assertThat(d.remoteId()).isEqualTo(ID);
        assertThat(d.state()).isEqualTo(DeploymentState.PENDING);
        assertThat(d.rawState()).isEqualTo("PENDING");
        assertThat(d.tag()).contains(TAG);
        assertThat(d.hardware()).contains(HW);
        assertThat(d.address()).contains(ServingAddress.model(NAME));
        assertThat(d.pricePerHour()).contains(Money.usd("3.324"));
        assertThat(d.createdAt()).contains(Instant.parse("2026-12-01T10:00:00Z"));
    }

    @Test
    void aCreateWhoseAnswerIsLostIsNotSentAgain() {
        wm.stubFor(post(urlPathEqualTo("/v1/endpoints")).willReturn(aResponse().withStatus(502)));

        assertThatThrownBy(() -> endpoints.deploy(request(DeploymentSpec.builder().hardware(HW).build())))
                .isInstanceOf(dev.finetune4j.FineTuneException.class);

        wm.verify(1, postRequestedFor(urlPathEqualTo("/v1/endpoints")));
    }

    @Test
    void aRequestWithoutHardwareOrWithAnOptionIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> endpoints.deploy(request(DeploymentSpec.defaults())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs hardware").hasMessageContaining("GET /hardware?model=" + MODEL);
        assertThatThrownBy(() -> endpoints.checkRequest(request(DeploymentSpec.builder().hardware(HW)
                .option("speculative", "off").build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[speculative]");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @CsvSource({"PENDING,PENDING", "STARTING,INITIALIZING", "STARTED,READY", "STOPPING,PAUSED", "STOPPED,PAUSED",
            "ERROR,FAILED", "FAILED,FAILED", "RESIZING,UNKNOWN"})
    void getMapsTogetherStatesAndKeepsTheRawOne(String raw, DeploymentState expected) {
        wm.stubFor(get(urlPathEqualTo("/v1/endpoints/" + ID)).willReturn(okJson(endpoint(ID, TAG + " support v3", raw))));

        RemoteDeployment d = endpoints.get(ID);

        assertThat(d.state()).isEqualTo(expected);
        assertThat(d.rawState()).isEqualTo(raw);
        if (expected == DeploymentState.PAUSED) {
            assertThat(d.billedReplicas()).isZero();
        }
    }

    @Test
    void anEndpointTogetherDoesNotKnowIsDeleted() {
        wm.stubFor(get(urlPathEqualTo("/v1/endpoints/" + ID)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"endpoint not found\",\"type\":\"invalid_request_error\"}}")));

        RemoteDeployment d = endpoints.get(ID);

        assertThat(d.state()).isEqualTo(DeploymentState.DELETED);
        assertThat(d.billedReplicas()).isZero();
    }

    @Test
    void listAndFindByTagKeepOurDedicatedEndpointsAndFetchThoseListedWithoutDisplayName() {
        String other = "endpoint-other";
        String bare = "endpoint-bare";
        wm.stubFor(get(urlPathEqualTo("/v1/endpoints")).willReturn(okJson("""
                {"object":"list","data":[%s,%s,
                 {"object":"endpoint","id":"%s","name":"acme/x","model":"%s","type":"dedicated","owner":"acme",
                  "state":"STARTED","created_at":"2026-12-02T10:00:00Z"}]}"""
                .formatted(endpoint(ID, TAG + " support v3", "STARTED"), endpoint(other, "my own endpoint", "STARTED"),
                        bare, MODEL))));
        wm.stubFor(get(urlPathEqualTo("/v1/endpoints/" + bare))
                .willReturn(okJson(endpoint(bare, "ftd-bbbbbbbbbbbb support v4", "STOPPED"))));

        List<RemoteDeployment> ours = endpoints.list();

        wm.verify(getRequestedFor(urlPathEqualTo("/v1/endpoints")).withQueryParam("type", equalTo("dedicated"))
                .withQueryParam("mine", equalTo("true")));
        assertThat(ours).extracting(RemoteDeployment::remoteId).containsExactly(ID, bare);
        assertThat(ours).extracting(d -> d.tag().orElseThrow()).containsExactly(TAG, "ftd-bbbbbbbbbbbb");
        assertThat(endpoints.findByTag(TAG)).hasValueSatisfying(d -> assertThat(d.remoteId()).isEqualTo(ID));
        assertThat(endpoints.findByTag("ftd-cccccccccccc")).isEmpty();
        // same model and hardware throughout: the price was read once
        wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/hardware")));
    }

    @Test
    void scalePatchesAutoscaling() {
        wm.stubFor(patch(urlPathEqualTo("/v1/endpoints/" + ID)).willReturn(okJson(endpoint(ID, TAG, "STARTED"))));

        RemoteDeployment d = endpoints.scale(ID, 0, 4);

        wm.verify(1, patchRequestedFor(urlPathEqualTo("/v1/endpoints/" + ID))
                .withHeader("Authorization", equalTo(BEARER))
                .withRequestBody(equalToJson("{\"autoscaling\":{\"min_replicas\":0,\"max_replicas\":4}}")));
        assertThat(d.state()).isEqualTo(DeploymentState.READY);
        assertThatThrownBy(() -> endpoints.scale(ID, 3, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3..2");
    }

    @Test
    void pauseStopsResumeStartsAndScaleToZeroStops() {
        wm.stubFor(patch(urlPathEqualTo("/v1/endpoints/" + ID)).withRequestBody(equalToJson("{\"state\":\"STOPPED\"}"))
                .willReturn(okJson(endpoint(ID, TAG, "STOPPING"))));
        wm.stubFor(patch(urlPathEqualTo("/v1/endpoints/" + ID)).withRequestBody(equalToJson("{\"state\":\"STARTED\"}"))
                .willReturn(okJson(endpoint(ID, TAG, "STARTING"))));

        assertThat(endpoints.pause(ID).state()).isEqualTo(DeploymentState.PAUSED);
        assertThat(endpoints.resume(ID).state()).isEqualTo(DeploymentState.INITIALIZING);
        assertThat(endpoints.scaleToZero(ID).state()).isEqualTo(DeploymentState.PAUSED);

        wm.verify(2, patchRequestedFor(urlPathEqualTo("/v1/endpoints/" + ID))
                .withRequestBody(equalToJson("{\"state\":\"STOPPED\"}")));
        wm.verify(1, patchRequestedFor(urlPathEqualTo("/v1/endpoints/" + ID))
                .withRequestBody(equalToJson("{\"state\":\"STARTED\"}")));
    }

    @Test
    void undeployDeletesAndAnEndpointAlreadyGoneCountsAsDeleted() {
        wm.stubFor(delete(urlPathEqualTo("/v1/endpoints/" + ID)).willReturn(aResponse().withStatus(204)));
        wm.stubFor(delete(urlPathEqualTo("/v1/endpoints/endpoint-gone")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\"}}")));

        endpoints.undeploy(ID);
        endpoints.undeploy("endpoint-gone");

        wm.verify(1, deleteRequestedFor(urlPathEqualTo("/v1/endpoints/" + ID)).withHeader("Authorization",
                equalTo(BEARER)));
        wm.verify(1, deleteRequestedFor(urlPathEqualTo("/v1/endpoints/endpoint-gone")));
    }

    @Test
    void hardwareTheListDoesNotPriceLeavesTheDeploymentUnpriced() {
        wm.stubFor(get(urlPathEqualTo("/v1/endpoints/" + ID)).willReturn(okJson(endpoint(ID, TAG, "STARTED")
                .replace(HW, "8x_nvidia_b200_180gb_sxm"))));

        assertThat(endpoints.get(ID).pricePerHour()).isEmpty();
    }

    @Test
    void aHardwareListThatCannotBeReadLeavesTheDeploymentUnpricedAndIsAskedAgain() {
        wm.stubFor(get(urlPathEqualTo("/v1/hardware")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"bad model\",\"type\":\"invalid_request_error\"}}")));
        wm.stubFor(get(urlPathEqualTo("/v1/endpoints/" + ID)).willReturn(okJson(endpoint(ID, TAG, "STARTED"))));

        RemoteDeployment d = endpoints.get(ID);
        endpoints.get(ID);

        assertThat(d.state()).isEqualTo(DeploymentState.READY);
        assertThat(d.pricePerHour()).isEmpty();
        wm.verify(2, getRequestedFor(urlPathEqualTo("/v1/hardware")));
    }

    @Test
    void aLoraAdapterOnAServerlessBaseNeedsNoEndpointButAFullFineTuneDoes_askingTogetherOncePerModel() {
        wm.stubFor(get(urlPathEqualTo("/v1/fine-tunes")).willReturn(okJson("""
                {"object":"list","data":[
                 {"id":"ft-1","status":"completed","model":"meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
                  "model_output_name":"acme/lora-1","training_type":{"type":"Lora","lora_r":8,"lora_alpha":16}},
                 {"id":"ft-2","status":"completed","model":"meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
                  "model_output_name":"acme/full-2","training_type":{"type":"Full"}},
                 {"id":"ft-3","status":"completed","model":"meta-llama/Llama-3.2-3B-Instruct",
                  "model_output_name":"acme/lora-3","training_type":{"type":"Lora","lora_r":8,"lora_alpha":16}}]}""")));

        assertThat(endpoints.standingAddress("acme/lora-1")).contains(ServingAddress.model("acme/lora-1"));
        assertThat(endpoints.standingAddress("acme/full-2")).as("a full fine-tune").isEmpty();
        assertThat(endpoints.standingAddress("acme/lora-3")).as("an adapter on a base not served serverless")
                .isEmpty();
        assertThat(endpoints.standingAddress("acme/lora-1")).isPresent();
        assertThat(endpoints.standingAddress("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"))
                .as("the base itself: its adapters will be served serverless").isPresent();
        assertThat(endpoints.standingAddress("acme/unknown")).isEmpty();
        assertThat(endpoints.standingAddress("acme/unknown")).isEmpty();

        // once per known model (3), and each time for the one no job produced (2)
        wm.verify(5, getRequestedFor(urlPathEqualTo("/v1/fine-tunes")).withHeader("Authorization", equalTo(BEARER)));
    }

    @Test
    void aDeployWithoutHardwareIsRefusedNamingTheSpecAndTheCliFlag_beforeAnythingIsSent() {
        assertThatThrownBy(() -> endpoints.deploy(request(DeploymentSpec.defaults())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs hardware")
                .hasMessageContaining("1x_nvidia_h100_80gb_sxm").hasMessageContaining("--hardware");
        wm.verify(0, postRequestedFor(urlPathEqualTo("/v1/endpoints")));
    }
}
