package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart without a key: training on the OpenAI emulator it starts in-process. */
class QuickstartCommandTest {

    @TempDir
    Path dir;

    private Cli.Result quickstart(String... more) {
        return quickstartOn(Cli.TODAY, more);
    }

    private Cli.Result quickstartOn(String today, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "--store";
        args[1] = dir.resolve("store").toString();
        args[2] = "quickstart";
        args[3] = "--out=" + dir.resolve("out");
        System.arraycopy(more, 0, args, 4, more.length);
        return Cli.runWithEnv(Map.of(Today.ENV, today), args);
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
                "12. Migrate the live version from OpenAI to Hugging Face Qwen/Qwen2.5-0.5B-Instruct in one call",
                "baseline from v1 (openai ft:gpt-4o-mini-2024-07-18:quickstart-emulator::",
                "baseline bl-v1-", "recorded: 5 answers of v1 on voice-parser/main@1 validation; training on huggingface",
                "submitted to huggingface on voice-parser/main@1", "succeeded: v3 (quickstart-emulator/voice-parser-ftj-",
                "not worse: eval-", "json-fields v3 ", "margin 2.00), agreement ",
                "done     model v3, no prompt, fallback v1 -> base",
                "live: model v3, no prompt, fallback v1 -> base; v1 stays the first fallback",
                "13. The timeline of voice-parser", "voice-parser: 12 selection changes, oldest first",
                "migration  migrate    v1        model v1, no prompt",
                "migration  activate   v3        model v3, no prompt, fallback v1 -> base")
                .doesNotContain("Nothing new", "FALLBACK", "takes no new fine-tuning jobs");
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
        // the walk ended on the migrated v3: nothing to change, and the migration is the one the first run did
        assertThat(doc.get("steps")).isEmpty();
        assertThat(doc.get("migration").get("stage").asText()).isEqualTo("done");
        assertThat(doc.get("migration").get("new_version").asInt()).isEqualTo(3);
        assertThat(doc.get("selection").get("active_model_version").asInt()).isEqualTo(3);
        assertThat(doc.get("selection").get("revision").asInt()).isEqualTo(12);
        assertThat(doc.get("timeline")).hasSize(12);
        assertThat(doc.get("model_versions")).hasSize(3);
        JsonNode jobs = Cli.run("--store", dir.resolve("store").toString(), "jobs", "--json").json().get("jobs");
        assertThat(jobs).hasSize(3).allSatisfy(j -> assertThat(j.get("status").asText()).isEqualTo("succeeded"));
    }

    @Test
    void json_isOneDocumentWithEveryStep() {
        Cli.Result r = quickstart("--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("store", "tenant", "dataset", "provider", "jobs_ended", "validation", "stats",
                "appends", "assistant", "training", "steps", "chat", "versions_created", "versions", "split",
                "retrain_advice", "exports", "evaluation", "migration", "selection", "model_versions", "timeline",
                "nothing_new");
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
        assertThat(doc.get("jobs_ended").isNull()).isTrue();
        assertThat(doc.get("migration").get("provider").asText()).isEqualTo("huggingface");
        assertThat(doc.get("migration").get("source_version").asInt()).isEqualTo(1);
        assertThat(doc.get("migration").get("stage").asText()).isEqualTo("done");
        assertThat(doc.get("migration").get("steps")).extracting(s -> s.get("stage").asText())
                .containsExactly("baseline", "train", "train", "deploy", "evaluate", "promote", "done");
        assertThat(doc.get("selection").get("active_model_version").asInt()).isEqualTo(3);
        assertThat(doc.get("nothing_new").asBoolean()).isFalse();
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void onTheDayAfterOpenAiTookItsLastJobs_tellsTheRefusalAndWalksOnHuggingFace() {
        Cli.Result r = quickstartOn("2027-01-07");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains(
                "today is 2027-01-07: OpenAI takes no new fine-tuning jobs for gpt-4o-mini-2024-07-18 since "
                        + "2027-01-06 (http",
                "so this run tells the story on Hugging Face, which still does",
                "HF_TOKEN is not set, so an emulator of the Hugging Face API runs in this process",
                "4. Create the assistant voice-parser (huggingface, base model Qwen/Qwen2.5-0.5B-Instruct)",
                "submitted job ftj-", " to huggingface as ", "registered as model v1", "registered as model v2",
                "rollback     now: model v1, no prompt (revision 4)",
                "12. Migrate: nothing to migrate, this run trained on Hugging Face from the start (OpenAI takes no "
                        + "new jobs since 2027-01-06)",
                "voice-parser: 4 selection changes, oldest first");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void afterTheBaseModelsShutdown_stillWalksEndToEndOnHuggingFace() {
        JsonNode doc = quickstartOn("2027-02-01", "--json").json();

        assertThat(doc.get("jobs_ended").get("provider").asText()).isEqualTo("openai");
        assertThat(doc.get("jobs_ended").get("date").asText()).isEqualTo("2027-01-06");
        assertThat(doc.get("jobs_ended").get("source").asText()).startsWith("http");
        assertThat(doc.get("provider").get("id").asText()).isEqualTo("huggingface");
        assertThat(doc.get("provider").get("emulated").asBoolean()).isTrue();
        assertThat(doc.get("training")).extracting(t -> t.get("job").get("provider").asText())
                .containsExactly("huggingface", "huggingface");
        assertThat(doc.get("chat").get("served_by").get("fallback").asBoolean()).isFalse();
        assertThat(doc.get("steps")).extracting(s -> s.get("action").asText())
                .containsExactly("activate", "activate", "rollback");
        assertThat(doc.get("migration").isNull()).isTrue();
        assertThat(doc.get("selection").get("active_model_version").asInt()).isEqualTo(1);
        assertThat(doc.get("timeline")).hasSize(4);
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
