package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.testkit.HuggingFaceEmulator;
import dev.finetune4j.testkit.OpenAiEmulator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `migrate` and `migrations` on the emulators: an assistant live on OpenAI moves to Hugging Face. */
class MigrateCommandTest {

    static final String HF_BASE = "Qwen/Qwen2.5-0.5B-Instruct";

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @RegisterExtension
    static HuggingFaceEmulator hf = HuggingFaceEmulator.create();

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private String store;

    private Cli.Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store;
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.runWithEnv(env, all);
    }

    private Cli.Result ok(String... args) {
        Cli.Result r = run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    @BeforeEach
    void liveOnOpenAi() {
        env.putAll(Map.of("OPENAI_BASE_URL", openai.baseUrl(), "OPENAI_API_KEY", "sk-test",
                "HF_ENDPOINT", hf.hubUrl(), "HF_TOKEN", "hf_test_token_0123456789", "HF_SERVING_URL", hf.servingUrl()));
        store = dir.resolve("store").toString();
        ok("dataset", "append", "voice-parser/main", Cli.sample(dir, Samples.FIRST_BATCH).toString());
        ok("assistant", "create", "voice-parser", "--provider", "openai", "--model", Emulated.BASE);
        ok("train", "voice-parser", "--wait");
        ok("activate", "voice-parser", "1");
    }

    @Test
    void estimate_spendsNothing_andNamesTrainingBaselineAndDeploymentCosts() {
        int openAiRequests = openai.requests().size();

        Cli.Result r = ok("migrate", "voice-parser", "--to", "huggingface", "--model", HF_BASE, "--estimate");

        assertThat(hf.jobs()).isEmpty();
        assertThat(hf.requests()).isEmpty();
        assertThat(openai.requests()).hasSize(openAiRequests);
        assertThat(r.stdout()).contains("train on huggingface " + HF_BASE + ": ")
                .contains("baseline on the source: ").contains("deployment: none needed")
                .contains("nothing was sent or spent");
    }

    @Test
    void migrate_wait_promotesWithTheSourceAsFallback_andMigrationsListsIt() {
        Cli.Result r = ok("migrate", "voice-parser", "--to", "huggingface", "--model", HF_BASE, "--wait",
                "--keep-source-until", "2027-01-14", "--json");

        JsonNode m = r.json().get("migration");
        assertThat(m.get("stage").asText()).isEqualTo("done");
        assertThat(m.get("source_version").asInt()).isEqualTo(1);
        assertThat(m.get("new_version").asInt()).isEqualTo(2);
        assertThat(m.get("verdict").asText()).startsWith("not worse: ");
        assertThat(hf.jobs()).hasSize(1);
        JsonNode versions = ok("versions", "voice-parser", "--json").json();
        assertThat(versions.toString()).contains("\"migrated_from\":1");
        assertThat(ok("assistants").stdout()).contains("model v2, no prompt, fallback v1 until 2027-01-14 -> base");

        Cli.Result again = ok("migrate", "voice-parser", "--to", "huggingface", "--model", HF_BASE, "--wait", "--json");
        assertThat(again.json().get("migration").get("id").asText()).isEqualTo(m.get("id").asText());
        assertThat(hf.jobs()).as("a rerun creates no second job").hasSize(1);

        JsonNode list = ok("migrations", "--json").json().get("migrations");
        assertThat(list).hasSize(1);
        assertThat(ok("migrations").stdout()).contains(m.get("id").asText()).contains("huggingface " + HF_BASE)
                .contains("done");
        assertThat(ok("timeline", "voice-parser").stdout()).contains(m.get("id").asText() + " promote");
    }

    @Test
    void migrate_option_reachesTheTargetJob_andAnUnknownOneIsRefusedBeforeAnythingIsSent() throws Exception {
        Cli.Result unknown = run("migrate", "voice-parser", "--to", "huggingface", "--model", HF_BASE,
                "--option", "gpu=h100");

        assertThat(unknown.exitCode()).as(unknown.toString()).isNotZero();
        assertThat(unknown.stderr()).contains("gpu");
        assertThat(hf.jobs()).isEmpty();
        assertThat(hf.requests()).as("only who the token belongs to was asked").allMatch(r -> r.method().equals("GET"));

        ok("migrate", "voice-parser", "--to", "huggingface", "--model", HF_BASE, "--option", "flavor=a10g-large");

        assertThat(hf.jobs()).hasSize(1);
        assertThat(hf.requests()).filteredOn(r -> r.method().equals("POST") && r.path().contains("/jobs/"))
                .singleElement().satisfies(r -> assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(r.body()).get("flavor").asText()).isEqualTo("a10g-large"));
    }
}
