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
                "versions_created", "versions", "split", "retrain_advice", "exports", "next");
        assertThat(doc.get("split").get("train").asLong() + doc.get("split").get("validation").asLong())
                .isEqualTo(70);
        assertThat(doc.get("retrain_advice").get("trained_on").asInt()).isEqualTo(1);
        assertThat(doc.get("validation").get("invalid").asLong()).isEqualTo(3);
        assertThat(doc.get("stats").get("examples").asLong()).isEqualTo(57);
        assertThat(doc.get("versions_created").asInt()).isEqualTo(2);
        assertThat(doc.get("exports")).hasSize(2);
        assertThat(r.stderr()).isEmpty();
    }
}
