package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.AzureOpenAiEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --provider azure-openai} with no CLI code of its own: validate, train and chat through
 * the environment variables a user exports ({@code AZURE_OPENAI_ENDPOINT}, {@code
 * AZURE_OPENAI_API_KEY}, and for deployments the ARM variables the emulator names). The fine-tuned
 * model is deployed with {@code finetune4j deploy}, which makes the ARM call.
 */
class AzureOpenAiCliTest {

    static final String BASE = "gpt-4.1-mini-2025-04-14";
    static final String KEY = "0123456789abcdef0123456789abcdef";

    @RegisterExtension
    static AzureOpenAiEmulator azure = AzureOpenAiEmulator.builder().apiKey(KEY).build();

    @TempDir
    Path dir;

    private Map<String, String> env() {
        return azure.environment();
    }

    @Test
    void train_belowAzuresMinimumOfTenExamples_exits1_beforeAnythingIsUploaded() throws Exception {
        String store = dir.resolve("store").toString();
        Path small = dir.resolve("small.jsonl");
        Files.writeString(small, String.join("\n", Files.readAllLines(Cli.sample(dir, Samples.FIRST_BATCH))
                .subList(0, 5)) + "\n");
        ok(Cli.runWithEnv(env(), "--store", store, "dataset", "append", "parser/main", small.toString()));
        ok(Cli.runWithEnv(env(), "--store", store, "assistant", "create", "parser", "--provider", "azure-openai",
                "--model", BASE));

        Cli.Result r = Cli.runWithEnv(env(), "--store", store, "train", "parser");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains("has 5 training examples; azure-openai requires at least 10");
        assertThat(azure.files()).isEmpty();
        assertThat(azure.jobs()).isEmpty();
    }

    @Test
    void trainWait_deploy_activateAndChat_onTheAzureEmulator() throws Exception {
        String store = dir.resolve("store").toString();
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        ok(Cli.runWithEnv(env(), "--store", store, "dataset", "append", "parser/main", sample.toString()));
        ok(Cli.runWithEnv(env(), "--store", store, "assistant", "create", "parser", "--provider", "azure-openai",
                "--model", BASE));

        Cli.Result train = ok(Cli.runWithEnv(env(), "--store", store, "train", "parser", "--wait", "--json"));
        JsonNode job = train.json().get("job");
        String model = azure.jobs().get(0).fineTunedModel();
        JsonNode deployed = ok(Cli.runWithEnv(env(), "--store", store, "deploy", "parser", "1", "--hardware",
                "standard", "--wait", "--json")).json();
        ok(Cli.runWithEnv(env(), "--store", store, "activate", "parser", "1"));
        JsonNode chat = ok(Cli.runWithEnv(env(), "--store", store, "chat", "parser", "squat 315 for 5", "--json"))
                .json();

        assertThat(job.get("provider").asText()).isEqualTo("azure-openai");
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(model).matches("gpt-4\\.1-mini-2025-04-14\\.ft-[0-9a-f]{32}");
        JsonNode d = deployed.get("deployment");
        assertThat(d.get("state").asText()).isEqualTo("ready");
        assertThat(d.get("remote_id").asText()).isEqualTo(d.get("id").asText()).startsWith("ftd-");
        assertThat(d.get("address").get("model").asText()).isEqualTo(d.get("id").asText());
        assertThat(d.get("price_per_hour").isNull()).isTrue();
        assertThat(azure.deployment(model)).isEmpty();
        assertThat(azure.requests()).filteredOn(r -> r.method().equals("PUT")
                && r.path().contains("/deployments/ftd-")).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("\"name\":\"" + model + "\""));
        assertThat(chat.get("served_by").get("provider").asText()).isEqualTo("azure-openai");
        assertThat(chat.get("served_by").get("fallback").asBoolean()).isFalse();
        assertThat(chat.get("content").asText()).startsWith("{\"exercise_name\":");
        assertThat(azure.files()).filteredOn(f -> f.purpose().equals("fine-tune")).hasSize(2)
                .allSatisfy(f -> assertThat(f.content()).startsWith("\uFEFF{\"messages\""));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }
}
