package dev.finetune4j.huggingface;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.deployment.DeploymentSpec;
import dev.finetune4j.deployment.DeploymentState;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.DeploymentRequest;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.RemoteDeployment;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Inference Endpoints calls of the Hugging Face deployments, as they go out on the wire. */
class HuggingFaceDeploymentsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String BASE = "Qwen/Qwen2.5-0.5B-Instruct";
    static final String ADAPTER = "acme/parser-ftj-0a1b2c3d4e5f";
    static final String TAG = "ftd-2k9x7q4m1c8z";
    static final String CATALOGUE = """
            {"vendors":[{"name":"aws","regions":[{"name":"us-east-1","label":"N. Virginia","computes":[
              {"id":"aws-us-east-1-nvidia-l4-x1","accelerator":"gpu","instanceType":"nvidia-l4","instanceSize":"x1",
               "numAccelerators":1,"memoryGb":24,"pricePerHour":0.8,"status":"available"},
              {"id":"aws-us-east-1-nvidia-a10g-x1","accelerator":"gpu","instanceType":"nvidia-a10g","instanceSize":"x1",
               "numAccelerators":1,"memoryGb":24,"pricePerHour":1.0,"status":"available"}]}]}]}
            """;

    private final TestSupport.FakeTime time = new TestSupport.FakeTime();
    private HuggingFaceProvider hf;
    private DeploymentService deployments;

    @BeforeEach
    void setUp() {
        wm.resetAll();
        hf = TestSupport.provider(TestSupport.config(wm, time).setting("endpoints_url", wm.baseUrl() + "/v2").build());
        deployments = hf.deployments().orElseThrow();
        wm.stubFor(get("/v2/provider/acme").willReturn(okJson(CATALOGUE)));
    }

    private String endpointUrl() {
        return wm.baseUrl() + "/endpoints/" + TAG;
    }

    /** An endpoint object in the API's shape, in {@code state}, with a URL when {@code withUrl}. */
    private String endpoint(String state, boolean withUrl, int ready) {
        return """
                {"name":"%s","type":"authenticated","provider":{"vendor":"aws","region":"us-east-1"},
                 "compute":{"accelerator":"gpu","instanceType":"nvidia-l4","instanceSize":"x1",
                   "scaling":{"minReplica":0,"maxReplica":1,"scaleToZeroTimeout":15}},
                 "model":{"repository":"%s","task":"text-generation","framework":"pytorch",
                   "image":{"vLLM":{"url":"vllm/vllm-openai:v0.23.0","port":8000}},
                   "args":["--enable-lora","--lora-modules","%s=%s","--max-lora-rank","64"]},
                 "tags":["finetune4j","%s"],
                 "status":{"createdAt":"2026-11-21T10:00:01Z","state":"%s","message":"Endpoint is %s",
                   %s"readyReplica":%d,"targetReplica":1}}
                """.formatted(TAG, BASE, ADAPTER, ADAPTER, TAG, state, state,
                withUrl ? "\"url\":\"" + endpointUrl() + "\"," : "", ready);
    }

    private static DeploymentRequest request(DeploymentSpec spec) {
        return new DeploymentRequest(TAG, "parser", 1, ADAPTER, BASE, spec);
    }

    @Test
    void descriptor_declaresDeployAndThatTrainedModelsNeedADeployment() {
        assertThat(hf.descriptor().capabilities().has(Capability.DEPLOY)).isTrue();
        assertThat(hf.descriptor().capabilities().has(Capability.PAUSE_DEPLOYMENT)).isTrue();
        assertThat(hf.descriptor().trainedModelsNeedDeployment()).isTrue();
    }

    @Test
    void deploy_postsTheEndpointNamedAndTaggedByOurId_servingTheBaseModelWithTheAdapterThroughVllm() {
        wm.stubFor(post("/v2/endpoint/acme").willReturn(okJson(endpoint("pending", false, 0))));

        RemoteDeployment d = deployments.deploy(request(DeploymentSpec.builder().replicas(0, 2)
                .scaleToZeroAfter(Duration.ofSeconds(90)).build()));

        wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/endpoint/acme"))
                .withHeader("Authorization", equalTo("Bearer " + TestSupport.TOKEN))
                .withRequestBody(equalToJson("""
                        {"name":"%s","type":"authenticated","tags":["finetune4j","%s"],
                         "provider":{"vendor":"aws","region":"us-east-1"},
                         "compute":{"accelerator":"gpu","instanceType":"nvidia-l4","instanceSize":"x1",
                           "scaling":{"minReplica":0,"maxReplica":2,"scaleToZeroTimeout":2}},
                         "model":{"repository":"%s","task":"text-generation","framework":"pytorch",
                           "image":{"vLLM":{"url":"vllm/vllm-openai:v0.23.0","port":8000}},
                           "args":["--enable-lora","--lora-modules","%s=%s","--max-lora-rank","64"],
                           "secrets":{"HF_TOKEN":"%s"}}}
                        """.formatted(TAG, TAG, BASE, ADAPTER, ADAPTER, TestSupport.TOKEN), true, true)));
        assertThat(d.remoteId()).isEqualTo(TAG);
        assertThat(d.state()).isEqualTo(DeploymentState.PENDING);
        assertThat(d.rawState()).isEqualTo("pending");
        assertThat(d.billedReplicas()).isZero();
        assertThat(d.tag()).contains(TAG);
        assertThat(d.pricePerHour()).contains(new Money(new BigDecimal("0.8"), "USD"));
        assertThat(d.toString()).doesNotContain(TestSupport.TOKEN);
    }

    @Test
    void deploy_withAnotherHardwareAndMinReplicas_sendsThemAndNoScaleToZero() {
        wm.stubFor(post("/v2/endpoint/acme").willReturn(okJson(endpoint("pending", false, 0))));

        deployments.deploy(request(DeploymentSpec.builder().hardware("nvidia-a10g-x1").replicas(1, 1).build()));

        wm.verify(postRequestedFor(urlPathEqualTo("/v2/endpoint/acme")).withRequestBody(equalToJson("""
                {"compute":{"instanceType":"nvidia-a10g","instanceSize":"x1",
                  "scaling":{"minReplica":1,"maxReplica":1,"scaleToZeroTimeout":null}}}
                """, true, true)));
    }

    @Test
    void checkRequest_hardwareTheCatalogueLacks_isRefusedBeforeAnythingIsSent_namingWhatIsOffered() {
        assertThatThrownBy(() -> deployments.checkRequest(request(DeploymentSpec.builder().hardware("nvidia-h100-x8")
                .build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nvidia-h100-x8")
                .hasMessageContaining("nvidia-l4-x1 ($0.8/h)")
                .hasMessageContaining("nvidia-a10g-x1 ($1.0/h)");
        assertThatThrownBy(() -> deployments.checkRequest(request(DeploymentSpec.builder().option("colour", "red")
                .build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'colour'");
        wm.verify(0, postRequestedFor(urlPathEqualTo("/v2/endpoint/acme")));
    }

    @Test
    void get_running_isReady_atTheEndpointUrlWithV1_namingTheAdapter_billingItsReadyReplicas() {
        wm.stubFor(get("/v2/endpoint/acme/" + TAG).willReturn(okJson(endpoint("running", true, 2))));

        RemoteDeployment d = deployments.get(TAG);

        assertThat(d.state()).isEqualTo(DeploymentState.READY);
        assertThat(d.address()).contains(ServingAddress.of(URI.create(endpointUrl() + "/v1"), ADAPTER));
        assertThat(d.billedReplicas()).isEqualTo(2);
        assertThat(d.hardware()).contains("nvidia-l4-x1");
    }

    @Test
    void get_statesAreNormalised_andAFailureKeepsItsMessage() {
        wm.stubFor(get("/v2/endpoint/acme/" + TAG).willReturn(okJson(endpoint("scaledToZero", true, 0))));
        assertThat(deployments.get(TAG).state()).isEqualTo(DeploymentState.SCALED_TO_ZERO);
        assertThat(deployments.get(TAG).billedReplicas()).isZero();

        wm.stubFor(get("/v2/endpoint/acme/" + TAG).willReturn(okJson(endpoint("initializing", false, 0))));
        assertThat(deployments.get(TAG).state()).isEqualTo(DeploymentState.INITIALIZING);
        assertThat(deployments.get(TAG).billedReplicas()).isEqualTo(1);

        wm.stubFor(get("/v2/endpoint/acme/" + TAG).willReturn(okJson(endpoint("failed", false, 0))));
        RemoteDeployment failed = deployments.get(TAG);
        assertThat(failed.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(failed.error()).contains("Endpoint is failed");

        wm.stubFor(get("/v2/endpoint/acme/" + TAG).willReturn(okJson(endpoint("hibernating", false, 0))));
        assertThat(deployments.get(TAG).state()).isEqualTo(DeploymentState.UNKNOWN);
        assertThat(deployments.get(TAG).rawState()).isEqualTo("hibernating");
    }

    @Test
    void get_404_isDeleted_andFindByTagFindsNothing() {
        wm.stubFor(get("/v2/endpoint/acme/" + TAG).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Endpoint not found\"}")));

        assertThat(deployments.get(TAG).state()).isEqualTo(DeploymentState.DELETED);
        assertThat(deployments.findByTag(TAG)).isEmpty();
    }

    @Test
    void findByTag_readsTheEndpointNamedByTheTag() {
        wm.stubFor(get("/v2/endpoint/acme/" + TAG).willReturn(okJson(endpoint("initializing", false, 0))));

        Optional<RemoteDeployment> found = deployments.findByTag(TAG);

        assertThat(found).map(RemoteDeployment::remoteId).contains(TAG);
    }

    @Test
    void list_keepsOnlyOurEndpoints() {
        wm.stubFor(get("/v2/endpoint/acme").willReturn(okJson("{\"items\":[" + endpoint("running", true, 1) + ","
                + "{\"name\":\"someone-elses\",\"tags\":[],\"status\":{\"state\":\"running\"}}]}")));

        assertThat(deployments.list()).extracting(RemoteDeployment::remoteId).containsExactly(TAG);
    }

    @Test
    void scale_putsOnlyTheScaling() {
        wm.stubFor(put("/v2/endpoint/acme/" + TAG).willReturn(okJson(endpoint("updating", false, 0))));

        RemoteDeployment d = deployments.scale(TAG, 1, 3);

        wm.verify(1, putRequestedFor(urlPathEqualTo("/v2/endpoint/acme/" + TAG)).withRequestBody(equalToJson(
                "{\"compute\":{\"scaling\":{\"minReplica\":1,\"maxReplica\":3}}}")));
        assertThat(d.state()).isEqualTo(DeploymentState.INITIALIZING);
    }

    @Test
    void pauseResumeAndScaleToZero_postToTheirActions() {
        wm.stubFor(post("/v2/endpoint/acme/" + TAG + "/pause").willReturn(okJson(endpoint("paused", false, 0))));
        wm.stubFor(post("/v2/endpoint/acme/" + TAG + "/resume").willReturn(okJson(endpoint("pending", false, 0))));
        wm.stubFor(post("/v2/endpoint/acme/" + TAG + "/scale-to-zero")
                .willReturn(okJson(endpoint("scaledToZero", true, 0))));

        assertThat(deployments.pause(TAG).state()).isEqualTo(DeploymentState.PAUSED);
        assertThat(deployments.resume(TAG).state()).isEqualTo(DeploymentState.PENDING);
        assertThat(deployments.scaleToZero(TAG).state()).isEqualTo(DeploymentState.SCALED_TO_ZERO);
        wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/endpoint/acme/" + TAG + "/pause")));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/endpoint/acme/" + TAG + "/resume")));
        wm.verify(1, postRequestedFor(urlPathEqualTo("/v2/endpoint/acme/" + TAG + "/scale-to-zero")));
    }

    @Test
    void resume_ofARunningEndpoint_readsItAsItIs() {
        wm.stubFor(post("/v2/endpoint/acme/" + TAG + "/resume").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Endpoint is already running\"}")));
        wm.stubFor(get("/v2/endpoint/acme/" + TAG).willReturn(okJson(endpoint("running", true, 1))));

        assertThat(deployments.resume(TAG).state()).isEqualTo(DeploymentState.READY);
    }

    @Test
    void undeploy_deletes_andAnEndpointAlreadyGoneCountsAsDeleted() {
        wm.stubFor(delete("/v2/endpoint/acme/" + TAG).willReturn(aResponse().withStatus(200)));
        deployments.undeploy(TAG);
        wm.verify(1, deleteRequestedFor(urlPathEqualTo("/v2/endpoint/acme/" + TAG)));

        wm.stubFor(delete("/v2/endpoint/acme/" + TAG).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Endpoint not found\"}")));
        deployments.undeploy(TAG);
        wm.verify(2, deleteRequestedFor(urlPathEqualTo("/v2/endpoint/acme/" + TAG)));
    }

    @Test
    void verifyServing_passesWhenVllmListsTheAdapter_andCatchesAnEndpointServingOnlyItsBaseModel() {
        RemoteDeployment running = RemoteDeployment.builder(TAG, DeploymentState.READY, "running")
                .address(ServingAddress.of(URI.create(endpointUrl() + "/v1"), ADAPTER)).build();
        wm.stubFor(get("/endpoints/" + TAG + "/v1/models").willReturn(okJson(
                "{\"object\":\"list\",\"data\":[{\"id\":\"" + BASE + "\",\"parent\":null},{\"id\":\"" + ADAPTER
                        + "\",\"parent\":\"" + BASE + "\"}]}")));
        deployments.verifyServing(running, request(DeploymentSpec.defaults()));

        wm.stubFor(get("/endpoints/" + TAG + "/v1/models").willReturn(okJson(
                "{\"object\":\"list\",\"data\":[{\"id\":\"" + BASE + "\",\"parent\":null}]}")));
        assertThatThrownBy(() -> deployments.verifyServing(running, request(DeploymentSpec.defaults())))
                .isInstanceOf(FineTuneException.class)
                .hasMessageContaining(ADAPTER);
    }

    @Test
    void chat_withADeploymentsServingUrl_goesToTheEndpoint_withTheScaleUpTimeoutAndTheToken() {
        wm.stubFor(post("/endpoints/" + TAG + "/v1/chat/completions").willReturn(okJson("""
                {"id":"chatcmpl-1","object":"chat.completion","model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Logged."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
                """.formatted(ADAPTER))));

        var result = hf.chat().orElseThrow().chat(ChatCall.builder(ADAPTER).message(Message.user("5 reps"))
                .servingUrl(URI.create(endpointUrl() + "/v1")).wakeUpTimeout(Duration.ofSeconds(45)).build());

        assertThat(result.content()).isEqualTo("Logged.");
        wm.verify(1, postRequestedFor(urlPathEqualTo("/endpoints/" + TAG + "/v1/chat/completions"))
                .withHeader("X-Scale-Up-Timeout", equalTo("45"))
                .withHeader("Authorization", equalTo("Bearer " + TestSupport.TOKEN))
                .withRequestBody(equalToJson("{\"model\":\"" + ADAPTER + "\"}", true, true)));
    }

    @Test
    void chat_withoutAServingUrlOrConfiguredEndpoint_saysHowToDeploy() {
        assertThatThrownBy(() -> hf.chat().orElseThrow().chat(ChatCall.builder(ADAPTER).message(Message.user("hi"))
                .build()))
                .hasMessageContaining("finetune4j deploy");
    }

    @Test
    void standingAddress_isTheHandConfiguredServingUrl() {
        assertThat(deployments.standingAddress(ADAPTER)).isEmpty();
        HuggingFaceProvider configured = TestSupport.provider(TestSupport.config(wm, time)
                .setting("serving_url", wm.baseUrl() + "/v1").build());
        assertThat(configured.deployments().orElseThrow().standingAddress(ADAPTER))
                .contains(ServingAddress.url(URI.create(wm.baseUrl() + "/v1")));
    }
}
