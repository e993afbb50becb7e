package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickstartCommandTest {

    @TempDir
    Path dir;

    @Test
    void quickstart_firstRun_validatesAppendsTwoVersionsAndExports() throws Exception {
        Path store = dir.resolve("store");
        Path out = dir.resolve("out");

        Cli.Result r = Cli.run("--store", store.toString(), "quickstart", "--out", out.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("60 lines: 57 valid, 3 invalid", "line 14: missing_content",
                "voice-parser/main v1", "voice-parser/main v2", "= v1 + 13 new", "estimated training cost: USD",
                "arrive with later issues");
        assertThat(Files.readAllLines(out.resolve("voice-parser-main-v2.mistral.jsonl"))).hasSize(70);
        assertThat(Files.readAllLines(out.resolve("voice-parser-main-v2.hf-messages.jsonl"))).hasSize(70);
    }

    @Test
    void quickstart_secondRun_createsNoVersionAndSaysSo() {
        Path store = dir.resolve("store");
        Path out = dir.resolve("out");
        Cli.run("--store", store.toString(), "quickstart", "--out", out.toString());

        Cli.Result again = Cli.run("--store", store.toString(), "quickstart", "--out", out.toString());
        Cli.Result json = Cli.run("--store", store.toString(), "quickstart", "--out", out.toString(), "--json");

        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("no new version", "no version was created");
        JsonNode doc = json.json();
        assertThat(doc.get("versions_created").asInt()).isZero();
        assertThat(doc.get("versions")).hasSize(2);
        assertThat(doc.get("appends").findValues("created")).extracting(JsonNode::asBoolean).containsOnly(false);
    }

    @Test
    void quickstart_json_isOneDocumentWithEveryStep() {
        Cli.Result r = Cli.run("--store", dir.resolve("store").toString(), "--json", "quickstart", "--out",
                dir.resolve("out").toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("store", "tenant", "dataset", "validation", "stats", "appends",
                "versions_created", "versions", "split", "retrain_advice", "exports", "learning_path", "next");
        assertThat(doc.get("split").get("train").asLong() + doc.get("split").get("validation").asLong())
                .isEqualTo(70);
        assertThat(doc.get("retrain_advice").get("trained_on").asInt()).isEqualTo(1);
        assertThat(doc.get("validation").get("invalid").asLong()).isEqualTo(3);
        assertThat(doc.get("stats").get("examples").asLong()).isEqualTo(57);
        assertThat(doc.get("versions_created").asInt()).isEqualTo(2);
        assertThat(doc.get("exports")).hasSize(2);
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void quickstart_walksTheLearningPath_withLabelledPlaceholderModels() {
        Path store = dir.resolve("store");

        Cli.Result r = Cli.run("--store", store.toString(), "quickstart", "--out", dir.resolve("out").toString());
        Cli.Result versions = Cli.run("--store", store.toString(), "versions", "voice-parser", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("created assistant voice-parser (openai, base model gpt-4o-mini-2024-07-18)",
                "imported ft:gpt-4o-mini-2024-07-18:quickstart::v1-import as model v1",
                "imported ft:gpt-4o-mini-2024-07-18:quickstart::v2-import as model v2",
                "imported placeholders", "until training arrives with the fine-tune jobs issue",
                "activate v1  now: model v1, no prompt (revision 2)",
                "activate v2  now: model v2, no prompt (revision 3)",
                "rollback     now: model v1, no prompt (revision 4)",
                "voice-parser: 4 selection changes, oldest first");
        assertThat(versions.json().get("versions")).extracting(v -> v.get("provider_model_id").asText())
                .containsExactly("ft:gpt-4o-mini-2024-07-18:quickstart::v1-import",
                        "ft:gpt-4o-mini-2024-07-18:quickstart::v2-import");
        assertThat(versions.json().get("versions").get(0).get("active").asBoolean()).isTrue();
    }

    @Test
    void quickstart_secondRun_importsNothingAndLeavesTheSelectionAsItWas() {
        Path store = dir.resolve("store");
        Path out = dir.resolve("out");
        JsonNode first = Cli.run("--store", store.toString(), "quickstart", "--out", out.toString(), "--json")
                .json().get("learning_path");

        Cli.Result again = Cli.run("--store", store.toString(), "quickstart", "--out", out.toString());
        JsonNode third = Cli.run("--store", store.toString(), "quickstart", "--out", out.toString(), "--json")
                .json().get("learning_path");

        assertThat(Cli.fieldNames(first)).containsExactly("assistant", "assistant_created", "versions_imported",
                "note", "steps", "selection", "versions", "timeline");
        assertThat(first.get("assistant_created").asBoolean()).isTrue();
        assertThat(first.get("versions_imported").asInt()).isEqualTo(2);
        assertThat(first.get("steps")).extracting(s -> s.get("action").asText())
                .containsExactly("activate", "activate", "rollback");
        assertThat(first.get("selection").get("active_model_version").asInt()).isEqualTo(1);
        assertThat(first.get("timeline")).hasSize(4);

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stdout()).contains("assistant voice-parser already existed",
                "ft:gpt-4o-mini-2024-07-18:quickstart::v1-import is already model v1: no new version",
                "the selection is already where this walk ends (model v1, no prompt): no change made");
        assertThat(third.get("assistant_created").asBoolean()).isFalse();
        assertThat(third.get("versions_imported").asInt()).isZero();
        assertThat(third.get("steps")).isEmpty();
        assertThat(third.get("selection")).isEqualTo(first.get("selection"));
        assertThat(third.get("versions")).hasSize(2);
        assertThat(third.get("timeline")).isEqualTo(first.get("timeline"));
    }

    @Test
    void quickstart_afterTheSelectionWasChanged_walksAgainAndEndsOnV1() {
        Path store = dir.resolve("store");
        Path out = dir.resolve("out");
        Cli.run("--store", store.toString(), "quickstart", "--out", out.toString());
        Cli.run("--store", store.toString(), "activate", "voice-parser", "2");

        JsonNode path = Cli.run("--store", store.toString(), "quickstart", "--out", out.toString(), "--actor", "dana",
                "--json").json().get("learning_path");

        assertThat(path.get("versions_imported").asInt()).isZero();
        assertThat(path.get("steps")).extracting(s -> s.get("changed").asBoolean()).containsExactly(true, true, true);
        assertThat(path.get("selection").get("active_model_version").asInt()).isEqualTo(1);
        assertThat(path.get("timeline").get(path.get("timeline").size() - 1).get("actor").asText()).isEqualTo("dana");
    }
}
