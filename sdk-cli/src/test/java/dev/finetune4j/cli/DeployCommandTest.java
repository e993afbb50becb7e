package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.EmulatedEndpoint;
import dev.finetune4j.testkit.HuggingFaceEmulator;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy}, {@code undeploy}, {@code deployments} and {@code activate --deploy} end to end on
 * the Hugging Face emulator, with no serving URL configured: the trained adapter serves only once an
 * Inference Endpoint is deployed.
 */
class DeployCommandTest {

    static final String BASE = "Qwen/Qwen2.5-0.5B-Instruct";

    @RegisterExtension
    static HuggingFaceEmulator hf = HuggingFaceEmulator.create();

    @TempDir
    Path dir;

    private Map<String, String> env;
    private String store;

    @BeforeEach
    void trainOne() {
        env = Map.of("HF_ENDPOINT", hf.hubUrl(), "HF_TOKEN", "hf_test_token_0123456789",
                "HF_ENDPOINTS_URL", hf.endpointsUrl());
        store = dir.resolve("store").toString();
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        ok(run("dataset", "append", "parser/main", sample.toString()));
        ok(run("assistant", "create", "parser", "--provider", "huggingface", "--model", BASE));
        ok(run("train", "parser", "--wait"));
    }

    private Cli.Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store;
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.runWithEnv(env, all);
    }

    @Test
    void activateRefused_deployWait_activate_chatThroughTheEndpoint_undeployRefused_deactivate_undeploy() {
        Cli.Result refused = run("activate", "parser", "1", "--json");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr()).contains("serves a trained model only once it is deployed")
                .contains("finetune4j deploy parser 1 --wait").contains("finetune4j activate parser 1 --deploy");

        JsonNode deployed = ok(run("deploy", "parser", "1", "--wait", "--json")).json().get("deployment");

        String id = deployed.get("id").asText();
        assertThat(deployed.get("state").asText()).isEqualTo("ready");
        assertThat(deployed.get("remote_id").asText()).isEqualTo(id);
        assertThat(deployed.get("address").get("base_url").asText()).isEqualTo(hf.baseUrls().get("huggingface")
                .replaceAll("/$", "") + "/endpoints/" + id + "/v1");
        assertThat(deployed.get("price_per_hour").get("amount").decimalValue()).isEqualByComparingTo("0.8");
        EmulatedEndpoint endpoint = hf.endpoints().get(0);
        assertThat(hf.endpoints()).hasSize(1);
        assertThat(endpoint.name()).isEqualTo(id);
        assertThat(endpoint.state()).isEqualTo("running");
        assertThat(endpoint.repository()).isEqualTo(BASE);
        assertThat(endpoint.adapter()).isEqualTo(deployed.get("provider_model_id").asText());
        assertThat(endpoint.tags()).contains(id);
        assertThat(endpoint.minReplicas()).isZero();
        assertThat(endpoint.scaleToZeroTimeoutMinutes()).isEqualTo(15);

        ok(run("activate", "parser", "1"));
        JsonNode chat = ok(run("chat", "parser", "squat 315 for 5", "--json")).json();
        assertThat(chat.get("served_by").get("model_version").asInt()).isEqualTo(1);
        assertThat(chat.get("served_by").get("fallback").asBoolean()).isFalse();
        assertThat(chat.get("content").asText()).startsWith("{\"exercise_name\":");
        assertThat(hf.endpoint(id).orElseThrow().chatRequests()).isEqualTo(1);

        Cli.Result undeployRefused = run("undeploy", id);
        assertThat(undeployRefused.exitCode()).as(undeployRefused.toString()).isEqualTo(1);
        assertThat(undeployRefused.stderr()).contains("which is active").contains("finetune4j deactivate parser");
        assertThat(hf.endpoint(id)).isPresent();

        ok(run("deactivate", "parser"));
        assertThat(hf.endpoint(id).orElseThrow().state()).isEqualTo("running");

        JsonNode undeployed = ok(run("undeploy", id, "--json")).json().get("deployment");
        assertThat(undeployed.get("state").asText()).isEqualTo("deleted");
        assertThat(hf.endpoints()).isEmpty();

        JsonNode list = ok(run("deployments", "parser", "--json")).json();
        assertThat(list.get("deployments")).hasSize(1);
        assertThat(list.get("deployments").get(0).get("state").asText()).isEqualTo("deleted");
        assertThat(list.get("cost_per_hour").get("per_hour").get("amount").decimalValue()).isZero();
        JsonNode timeline = ok(run("timeline", "parser", "--json")).json();
        assertThat(timeline.toString()).contains("\"deploy\"").contains("\"undeploy\"");
    }

    @Test
    void activateDeploy_deploysWaitsAndActivates_andDeploymentsShowsItsPriceAndTheAssistantsHourlyCost() {
        JsonNode doc = ok(run("activate", "parser", "1", "--deploy", "--hardware", "nvidia-a10g-x1", "--json")).json();

        assertThat(doc.get("changed").asBoolean()).isTrue();
        assertThat(doc.get("deployment").get("state").asText()).isEqualTo("ready");
        assertThat(hf.endpoints()).singleElement().satisfies(e -> assertThat(e.hardware()).isEqualTo("nvidia-a10g-x1"));

        Cli.Result table = ok(run("deployments", "parser"));
        assertThat(table.stdout()).contains(doc.get("deployment").get("id").asText()).contains("ready")
                .contains("serving parser costs USD 1").contains("per hour now");
    }

    @Test
    void deployWhoseCreateAnswerIsLost_findsTheEndpointByItsName_exactlyOneEndpoint() {
        hf.on("POST", "/v2/endpoint").loseResponseNext();

        JsonNode deployed = ok(run("deploy", "parser", "1", "--json")).json().get("deployment");

        assertThat(hf.pendingFaults()).as("the create's answer was lost").isZero();
        assertThat(hf.endpoints()).singleElement().satisfies(e -> assertThat(e.name())
                .isEqualTo(deployed.get("id").asText()));
        assertThat(deployed.get("remote_id").asText()).isEqualTo(deployed.get("id").asText());
        ok(run("deployments", "resume"));
        ok(run("deploy", "parser", "1", "--wait"));
        assertThat(hf.endpoints()).hasSize(1);
    }

    @Test
    void deploy_unknownHardware_isRefusedNamingWhatIsOffered_andNothingIsCreated() {
        Cli.Result r = run("deploy", "parser", "1", "--hardware", "nvidia-h100-x8");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains("nvidia-h100-x8").contains("nvidia-l4-x1");
        assertThat(hf.endpoints()).isEmpty();
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }
}
