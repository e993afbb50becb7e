package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.HuggingFaceEmulator;
import dev.finetune4j.testkit.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hugging Face module is found like the others, by id, with no CLI code of its own: train and
 * chat through the environment variables a user would export after `finetune4j emulator`.
 */
class HuggingFaceCliTest {

    static final String BASE = "Qwen/Qwen2.5-0.5B-Instruct";

    @RegisterExtension
    static HuggingFaceEmulator hf = HuggingFaceEmulator.create();

    @TempDir
    Path dir;

    @Test
    void trainWaitActivateAndChat_onTheHuggingFaceEmulator() {
        Map<String, String> env = Map.of("HF_ENDPOINT", hf.hubUrl(), "HF_TOKEN", "hf_test_token_0123456789",
                "HF_SERVING_URL", hf.servingUrl());
        String store = dir.resolve("store").toString();
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        ok(Cli.runWithEnv(env, "--store", store, "dataset", "append", "parser/main", sample.toString()));
        ok(Cli.runWithEnv(env, "--store", store, "assistant", "create", "parser", "--provider", "huggingface",
                "--model", BASE));

        Cli.Result train = Cli.runWithEnv(env, "--store", store, "train", "parser", "--wait", "--json");

        ok(train);
        JsonNode job = train.json().get("job");
        assertThat(job.get("provider").asText()).isEqualTo("huggingface");
        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(train.json().get("estimate").get("estimated_cost").isNull()).isTrue();
        assertThat(hf.jobs()).singleElement().satisfies(j -> assertThat(j.status()).isEqualTo("COMPLETED"));
        ok(Cli.runWithEnv(env, "--store", store, "activate", "parser", "1"));
        JsonNode chat = ok(Cli.runWithEnv(env, "--store", store, "chat", "parser", "squat 315 for 5", "--json")).json();
        assertThat(chat.get("served_by").get("provider").asText()).isEqualTo("huggingface");
        assertThat(chat.get("served_by").get("model_version").asInt()).isEqualTo(1);
        assertThat(chat.get("served_by").get("fallback").asBoolean()).isFalse();
        assertThat(chat.get("content").asText()).startsWith("{\"exercise_name\":");
    }

    @Test
    void theTokenFromHfAuthLogin_isUsed_andItsOwnerIsAskedOnce_acrossProcessesOnOneStore() throws Exception {
        // no HF_TOKEN: the file `hf auth login` writes under HF_HOME, with its trailing newline
        Path hfHome = Files.createDirectories(dir.resolve("hf-home"));
        Files.writeString(hfHome.resolve("token"), "hf_logged_in_token_0123456789\n");
        Map<String, String> env = Map.of("HF_ENDPOINT", hf.hubUrl(), "HF_HOME", hfHome.toString(),
                "HOME", dir.toString(), "HF_SERVING_URL", hf.servingUrl());
        String store = dir.resolve("store").toString();
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        ok(Cli.runWithEnv(env, "--store", store, "dataset", "append", "coach/main", sample.toString()));
        ok(Cli.runWithEnv(env, "--store", store, "assistant", "create", "coach", "--provider", "huggingface",
                "--model", BASE));
        hf.reset();

        ok(Cli.runWithEnv(env, "--store", store, "train", "coach", "--json"));
        ok(Cli.runWithEnv(env, "--store", store, "train", "coach", "--again", "--json"));

        List<RecordedRequest> whoami = hf.requests().stream().filter(r -> r.path().startsWith("/api/whoami")).toList();
        assertThat(whoami).singleElement().satisfies(r ->
                assertThat(r.header("Authorization")).contains("Bearer hf_logged_in_token_0123456789"));
        assertThat(hf.jobs()).hasSize(2);
        try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readAllBytes(f)).asString(StandardCharsets.ISO_8859_1)
                        .as(f.toString()).doesNotContain("hf_logged_in_token");
            }
        }
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }
}
