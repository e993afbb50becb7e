package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.TogetherEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Together module is found like the others, by id, with no CLI code of its own: validate,
 * train, activate and chat with {@code --provider together} through the environment variables a
 * user would export after `finetune4j emulator`.
 */
class TogetherCliTest {

    @RegisterExtension
    static TogetherEmulator together = TogetherEmulator.create();

    @TempDir
    Path dir;

    @Test
    void validateTrainActivateAndChat_onTheTogetherEmulator() {
        Map<String, String> env = Map.of("TOGETHER_BASE_URL", together.baseUrl(), "TOGETHER_API_KEY",
                "tgp_v1_test-0123456789");
        String store = dir.resolve("store").toString();
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        Cli.Result validate = Cli.runWithEnv(env, "validate", Cli.sample(dir, Samples.SECOND_BATCH).toString(),
                "--provider", "together", "--json");
        ok(validate);
        assertThat(validate.json().get("provider").asText()).isEqualTo("together");
        assertThat(validate.json().get("valid").asInt()).isEqualTo(validate.json().get("examples").asInt());
        ok(Cli.runWithEnv(env, "--store", store, "dataset", "append", "parser/main", sample.toString()));
        ok(Cli.runWithEnv(env, "--store", store, "assistant", "create", "parser", "--provider", "together",
                "--model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"));

        Cli.Result train = Cli.runWithEnv(env, "--store", store, "train", "parser", "--wait", "--json");

        ok(train);
        JsonNode job = train.json().get("job");
        assertThat(job.get("provider").asText()).isEqualTo("together");
        assertThat(job.get("base_model").asText()).isEqualTo("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference");
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(together.jobs()).singleElement().satisfies(j -> assertThat(j.status()).isEqualTo("completed"));
        ok(Cli.runWithEnv(env, "--store", store, "activate", "parser", "1"));
        JsonNode chat = ok(Cli.runWithEnv(env, "--store", store, "chat", "parser", "squat 315 for 5", "--json")).json();
        assertThat(chat.get("served_by").get("provider").asText()).isEqualTo("together");
        assertThat(chat.get("served_by").get("model_version").asInt()).isEqualTo(1);
        assertThat(chat.get("served_by").get("fallback").asBoolean()).isFalse();
        assertThat(chat.get("content").asText()).startsWith("{\"exercise_name\":");
    }

    @Test
    void trainEstimate_showsTogethersOwnPrice_andTheTrainThatFollowsReusesTheUpload() {
        Map<String, String> env = Map.of("TOGETHER_BASE_URL", together.baseUrl(), "TOGETHER_API_KEY",
                "tgp_v1_test-0123456789");
        String store = dir.resolve("store").toString();
        ok(Cli.runWithEnv(env, "--store", store, "dataset", "append", "parser/main",
                Cli.sample(dir, Samples.FIRST_BATCH).toString()));
        ok(Cli.runWithEnv(env, "--store", store, "assistant", "create", "parser", "--provider", "together",
                "--model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"));

        Cli.Result human = ok(Cli.runWithEnv(env, "--store", store, "train", "parser", "--estimate"));
        long uploaded = uploads();
        JsonNode estimate = ok(Cli.runWithEnv(env, "--store", store, "train", "parser", "--estimate", "--json"))
                .json().get("estimate");

        assertThat(human.stdout()).containsPattern("together's own price: USD [0-9.]+ for [0-9,]+ training \\+ "
                + "[0-9,]+ evaluation tokens, credit limit USD 100\\.00")
                .contains("uploaded the data to together to ask its price");
        JsonNode quote = estimate.get("provider_quote");
        assertThat(quote.get("provider").asText()).isEqualTo("together");
        assertThat(quote.get("price").get("currency").asText()).isEqualTo("USD");
        assertThat(quote.get("price").get("amount").decimalValue()).isPositive();
        assertThat(quote.get("training_tokens").asLong()).isPositive();
        assertThat(quote.get("allowed_to_proceed").asBoolean()).isTrue();
        assertThat(together.jobs()).as("--estimate trains nothing").isEmpty();
        assertThat(uploaded).as("the training and validation files").isEqualTo(2);
        assertThat(uploads()).as("the second --estimate reuses the first one's upload").isEqualTo(uploaded);

        JsonNode job = ok(Cli.runWithEnv(env, "--store", store, "train", "parser", "--json")).json();

        assertThat(uploads()).as("train reuses the estimate's upload").isEqualTo(uploaded);
        assertThat(job.get("estimate").get("provider_quote").get("price")).isEqualTo(quote.get("price"));
        assertThat(together.jobs()).hasSize(1);
    }

    private static long uploads() {
        return together.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().replaceFirst("\\?.*", "").endsWith("/v1/files")).count();
    }

    @Test
    void train_option_reachesTogethersCreateBody_andAnUnknownOptionIsRefusedBeforeAnythingIsSent() throws Exception {
        Map<String, String> env = Map.of("TOGETHER_BASE_URL", together.baseUrl(), "TOGETHER_API_KEY",
                "tgp_v1_test-0123456789");
        String store = dir.resolve("store").toString();
        ok(Cli.runWithEnv(env, "--store", store, "dataset", "append", "parser/main",
                Cli.sample(dir, Samples.FIRST_BATCH).toString()));
        ok(Cli.runWithEnv(env, "--store", store, "assistant", "create", "parser", "--provider", "together",
                "--model", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"));

        Cli.Result unknown = Cli.runWithEnv(env, "--store", store, "train", "parser", "--option", "lora_rank=16");

        assertThat(unknown.exitCode()).as(unknown.toString()).isNotZero();
        assertThat(unknown.stderr()).contains("lora_rank");
        assertThat(together.requests()).isEmpty();

        ok(Cli.runWithEnv(env, "--store", store, "train", "parser", "--option", "training_type=full",
                "--option", "warmup_ratio=0.1"));

        JsonNode create = new com.fasterxml.jackson.databind.ObjectMapper().readTree(together.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/fine-tunes")).findFirst()
                .orElseThrow().body());
        assertThat(create.get("training_type").get("type").asText()).isEqualTo("Full");
        assertThat(create.get("warmup_ratio").asDouble()).isEqualTo(0.1);
    }

    @Test
    void validate_withProviderTogether_appliesTogethersFileCheck_twoMessagesOfOneRoleInARow() throws Exception {
        Path file = Files.writeString(dir.resolve("two-users.jsonl"), "{\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"squat 100\"},{\"role\":\"user\",\"content\":\"for 5\"},{\"role\":\"assistant\",\"content\":"
                + "\"{}\"}]}\n");

        Cli.Result together = Cli.run("validate", file.toString(), "--provider", "together", "--json");
        Cli.Result openai = Cli.run("validate", file.toString(), "--provider", "openai", "--json");

        assertThat(together.exitCode()).as(together.toString()).isNotZero();
        assertThat(together.json().get("invalid").asInt()).isEqualTo(1);
        assertThat(openai.exitCode()).as(openai.toString()).isZero();
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }
}
