package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart without a key: training on the OpenAI emulator it starts in-process. */
class QuickstartCommandTest {

    @TempDir
    Path dir;

    private Cli.Result quickstart(String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "--store";
        args[1] = dir.resolve("store").toString();
        args[2] = "quickstart";
        args[3] = "--out=" + dir.resolve("out");
        System.arraycopy(more, 0, args, 4, more.length);
        return Cli.run(args);
    }

    @Test
    void firstRun_trainsV1AndV2OnTheEmulator_chatsComparesAndEndsOnV1_secondRunReusesEverything() throws Exception {
        Cli.Result first = quickstart();

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout()).contains(
                "OPENAI_API_KEY is not set, so an emulator of the OpenAI API runs in this process at http://localhost:",
                "60 lines: 57 valid, 3 invalid", "line 14: missing_content", "estimated training cost: USD",
                "voice-parser/main v1", "created; live: base model gpt-4o-mini-2024-07-18",
                "submitted job ftj-", "registered as model v1 (ready, not active)",
                "activate v1  now: model v1, no prompt (revision 2)", "you: ", "voice-parser: {\"exercise_name\":",
                "arm active", "= v1 + 13 new", "retrain advice for v1: 13 new examples since the trained version",
                "registered as model v2", "Compare v2 with v1 on the 8 held-out examples",
                "v2 against v1 (json-fields): ", "95 % CI",
                "activate v2  now: model v2, no prompt (revision 3)", "rollback     now: model v1, no prompt (revision 4)",
                "voice-parser: 4 selection changes, oldest first")
                .doesNotContain("Nothing new", "FALLBACK");
        assertThat(first.stderr()).isEmpty();
        assertThat(Files.readAllLines(dir.resolve("out").resolve("voice-parser-main-v2.mistral.jsonl"))).hasSize(70);
        assertThat(Files.readAllLines(dir.resolve("out").resolve("voice-parser-main-v2.hf-messages.jsonl")))
                .hasSize(70);

        Cli.Result second = quickstart("--json");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        JsonNode doc = second.json();
        assertThat(doc.get("nothing_new").asBoolean()).isTrue();
        assertThat(doc.get("versions_created").asInt()).isZero();
        assertThat(doc.get("training")).hasSize(2).allSatisfy(t -> {
            assertThat(t.get("reused").asBoolean()).isTrue();
            assertThat(t.get("callable").asBoolean()).isFalse();
        });
        JsonNode chat = doc.get("chat");
        assertThat(chat.get("served_by").get("fallback").asBoolean()).isTrue();
        assertThat(chat.get("note").asText()).contains("emulator that stopped with that run");
        JsonNode evaluation = doc.get("evaluation");
        assertThat(evaluation.get("rerun").asBoolean()).isFalse();
        assertThat(evaluation.get("stored").get("evaluation_set").asText())
                .isEqualTo("voice-parser/main@2 validation");
        assertThat(doc.get("steps")).singleElement().satisfies(s -> assertThat(s.get("changed").asBoolean()).isFalse());
        assertThat(doc.get("selection").get("active_model_version").asInt()).isEqualTo(1);
        assertThat(doc.get("selection").get("revision").asInt()).isEqualTo(4);
        assertThat(doc.get("timeline")).hasSize(4);
        assertThat(doc.get("model_versions")).hasSize(2);
        JsonNode jobs = Cli.run("--store", dir.resolve("store").toString(), "jobs", "--json").json().get("jobs");
        assertThat(jobs).hasSize(2).allSatisfy(j -> assertThat(j.get("status").asText()).isEqualTo("succeeded"));
    }

    @Test
    void json_isOneDocumentWithEveryStep() {
        Cli.Result r = quickstart("--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("store", "tenant", "dataset", "provider", "validation", "stats",
                "appends", "assistant", "training", "steps", "chat", "versions_created", "versions", "split",
                "retrain_advice", "exports", "evaluation", "selection", "model_versions", "timeline", "nothing_new");
        assertThat(doc.get("provider").get("id").asText()).isEqualTo("openai");
        assertThat(doc.get("provider").get("emulated").asBoolean()).isTrue();
        assertThat(doc.get("provider").get("base_url").asText()).startsWith("http://localhost:").endsWith("/v1");
        assertThat(doc.get("validation").get("invalid").asLong()).isEqualTo(3);
        assertThat(doc.get("stats").get("examples").asLong()).isEqualTo(57);
        assertThat(doc.get("versions_created").asInt()).isEqualTo(2);
        assertThat(doc.get("split").get("train").asLong() + doc.get("split").get("validation").asLong())
                .isEqualTo(70);
        assertThat(doc.get("training")).extracting(t -> t.get("job").get("dataset_version").asText())
                .containsExactly("voice-parser/main@1", "voice-parser/main@2");
        assertThat(doc.get("training")).extracting(t -> t.get("model_version").asInt()).containsExactly(1, 2);
        assertThat(doc.get("chat").get("served_by").get("model_version").asInt()).isEqualTo(1);
        assertThat(doc.get("chat").get("served_by").get("fallback").asBoolean()).isFalse();
        assertThat(doc.get("evaluation").get("rerun").asBoolean()).isTrue();
        assertThat(doc.get("evaluation").get("report").get("targets")).extracting(t -> t.get("label").asText())
                .containsExactly("v2", "v1");
        assertThat(doc.get("evaluation").get("comparison").get("candidate").asText()).isEqualTo("v2");
        assertThat(doc.get("steps")).extracting(s -> s.get("action").asText())
                .containsExactly("activate", "activate", "rollback");
        assertThat(doc.get("retrain_advice").get("recommendation").asText()).isEqualTo("continue_from_parent");
        assertThat(doc.get("nothing_new").asBoolean()).isFalse();
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void afterTheSelectionWasChanged_walksAgainAndEndsOnV1() {
        quickstart();
        Cli.run("--store", dir.resolve("store").toString(), "activate", "voice-parser", "2");

        JsonNode doc = quickstart("--actor", "dana", "--json").json();

        assertThat(doc.get("training")).allSatisfy(t -> assertThat(t.get("reused").asBoolean()).isTrue());
        assertThat(doc.get("steps")).extracting(s -> s.get("changed").asBoolean()).containsExactly(true, true, true);
        assertThat(doc.get("selection").get("active_model_version").asInt()).isEqualTo(1);
        assertThat(doc.get("timeline").get(doc.get("timeline").size() - 1).get("actor").asText()).isEqualTo("dana");
    }

    @Test
    void huggingfaceWithoutAToken_exits1NamingIt() {
        Cli.Result r = quickstart("--provider", "huggingface");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("HF_TOKEN");
    }
}
