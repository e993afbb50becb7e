package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandTest {

    @TempDir
    Path dir;

    Path store;
    Path sample;
    Path batch2;

    @BeforeEach
    void setUp() {
        store = dir.resolve("store");
        sample = Cli.sample(dir, Samples.FIRST_BATCH);
        batch2 = Cli.sample(dir, Samples.SECOND_BATCH);
    }

    private Cli.Result cli(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(all);
    }

    @Test
    void append_json_createsFirstVersionSkippingInvalidLines() {
        Cli.Result r = cli("dataset", "append", "voice-parser/main", sample.toString(), "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("dataset", "file", "created", "version", "number", "parent",
                "parent_number", "added", "duplicates", "invalid", "examples", "errors", "warnings");
        assertThat(doc.get("dataset").asText()).isEqualTo("voice-parser/main");
        assertThat(doc.get("created").asBoolean()).isTrue();
        assertThat(doc.get("version").asText()).startsWith("dv-");
        assertThat(doc.get("number").asInt()).isEqualTo(1);
        assertThat(doc.get("parent").isNull()).isTrue();
        assertThat(doc.get("parent_number").isNull()).isTrue();
        assertThat(doc.get("added").asLong()).isEqualTo(57);
        assertThat(doc.get("duplicates").asLong()).isZero();
        assertThat(doc.get("invalid").asLong()).isEqualTo(3);
        assertThat(doc.get("examples").asLong()).isEqualTo(57);
        assertThat(doc.get("errors")).hasSize(3);
    }

    @Test
    void append_secondBatch_makesV2AsV1PlusNewExamples() {
        JsonNode v1 = cli("dataset", "append", "voice-parser/main", sample.toString(), "--json").json();

        Cli.Result r = cli("dataset", "append", "voice-parser/main", batch2.toString(), "--note", "+13 ms/zh", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("created").asBoolean()).isTrue();
        assertThat(doc.get("number").asInt()).isEqualTo(2);
        assertThat(doc.get("parent").asText()).isEqualTo(v1.get("version").asText());
        assertThat(doc.get("parent_number").asInt()).isEqualTo(1);
        assertThat(doc.get("added").asLong()).isEqualTo(13);
        assertThat(doc.get("duplicates").asLong()).isEqualTo(2);
        assertThat(doc.get("examples").asLong()).isEqualTo(70);
        assertThat(doc.get("warnings").findValues("code")).extracting(JsonNode::asText).containsOnly("duplicate");
    }

    @Test
    void append_onlyKnownExamples_createsNoVersionAndSaysSo() {
        cli("dataset", "append", "voice-parser/main", sample.toString());

        Cli.Result json = cli("dataset", "append", "voice-parser/main", sample.toString(), "--json");
        Cli.Result human = cli("dataset", "append", "voice-parser/main", sample.toString());

        assertThat(json.exitCode()).isZero();
        assertThat(json.json().get("created").asBoolean()).isFalse();
        assertThat(json.json().get("number").asInt()).isEqualTo(1);
        assertThat(json.json().get("added").asLong()).isZero();
        assertThat(json.json().get("duplicates").asLong()).isEqualTo(57);
        assertThat(human.exitCode()).isZero();
        assertThat(human.stdoutLines().get(0)).startsWith("no new version: every valid example of ")
                .endsWith("is already in voice-parser/main v1 (57 examples)");
        assertThat(cli("dataset", "log", "voice-parser/main", "--json").json().get("versions")).hasSize(1);
    }

    @Test
    void append_strict_rejectsTheWholeFileAndStoresNothing() {
        Cli.Result r = cli("dataset", "append", "voice-parser/main", sample.toString(), "--strict", "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.json().get("created").asBoolean()).isFalse();
        assertThat(r.json().get("errors")).hasSize(3);
        assertThat(cli("dataset", "log", "voice-parser/main").exitCode()).isEqualTo(1);
    }

    @Test
    void append_tags_areStoredWithTheExamples() throws Exception {
        cli("dataset", "append", "voice-parser/main", batch2.toString(), "--tag", "source=gym-app", "--tag",
                "language=mixed");

        Cli.Result r = cli("dataset", "export", "voice-parser/main", "--to", "openai");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        // tags are library metadata: never written into a provider format
        assertThat(r.stdout()).doesNotContain("gym-app");
    }

    @Test
    void log_json_listsVersionsOldestFirstWithStableFields() {
        cli("dataset", "append", "voice-parser/main", sample.toString(), "--note", "first batch");
        cli("dataset", "append", "voice-parser/main", batch2.toString(), "--note", "second batch");

        Cli.Result r = cli("dataset", "log", "voice-parser/main", "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("dataset", "versions");
        JsonNode versions = doc.get("versions");
        assertThat(versions).hasSize(2);
        assertThat(Cli.fieldNames(versions.get(0))).containsExactly("number", "id", "parent", "created_at",
                "examples", "added", "removed", "note");
        assertThat(versions.get(0).get("number").asInt()).isEqualTo(1);
        assertThat(versions.get(0).get("note").asText()).isEqualTo("first batch");
        assertThat(versions.get(1).get("parent").asText()).isEqualTo(versions.get(0).get("id").asText());
        assertThat(versions.get(1).get("examples").asLong()).isEqualTo(70);
        assertThat(versions.get(1).get("added").asLong()).isEqualTo(13);
        assertThat(versions.get(1).get("removed").asLong()).isZero();
        assertThat(versions.get(1).get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void log_human_printsATableWithOneRowPerVersion() {
        cli("dataset", "append", "voice-parser/main", sample.toString());

        Cli.Result r = cli("dataset", "log", "voice-parser/main");

        assertThat(r.stdoutLines()).hasSize(3);
        assertThat(r.stdoutLines().get(0)).isEqualTo("voice-parser/main: 1 version");
        assertThat(r.stdoutLines().get(2)).contains(" dv-", "+57", Samples.FIRST_BATCH);
    }

    @Test
    void log_unknownDataset_exits1() {
        Cli.Result r = cli("dataset", "log", "nobody/nothing");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("finetune4j: dataset 'nobody/nothing' has no versions");
    }

    @Test
    void export_toFile_writesOneLinePerExample_andJsonReport() throws Exception {
        cli("dataset", "append", "voice-parser/main", sample.toString());
        cli("dataset", "append", "voice-parser/main", batch2.toString());
        Path out = dir.resolve("v2.mistral.jsonl");

        Cli.Result r = cli("dataset", "export", "voice-parser/main@2", "--to", "mistral", "-o", out.toString(), "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).hasSize(70);
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("dataset", "version", "number", "split", "format", "output",
                "examples_read", "examples_written", "examples_skipped", "losses", "notes");
        assertThat(doc.get("number").asInt()).isEqualTo(2);
        assertThat(doc.get("format").asText()).isEqualTo("mistral");
        assertThat(doc.get("examples_written").asLong()).isEqualTo(70);
        assertThat(doc.get("losses").size()).isZero();
        assertThat(dir.toFile().list()).noneMatch(n -> n.endsWith(".tmp"));
    }

    @Test
    void export_olderVersionToStdout_writesItsLinesAndTheReportOnStderr() throws Exception {
        cli("dataset", "append", "voice-parser/main", sample.toString());
        cli("dataset", "append", "voice-parser/main", batch2.toString());

        Cli.Result r = cli("dataset", "export", "voice-parser/main@1", "--to", "hf-messages");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.stdoutLines();
        assertThat(lines).hasSize(57);
        ObjectMapper mapper = new ObjectMapper();
        assertThat(Cli.fieldNames(mapper.readTree(lines.get(0)))).containsExactly("messages");
        assertThat(r.stderr()).startsWith("exported voice-parser/main v1 as hf-messages: 57 examples written");
    }

    @Test
    void export_splits_partitionTheVersion() {
        cli("dataset", "append", "voice-parser/main", sample.toString());
        cli("dataset", "append", "voice-parser/main", batch2.toString());

        int train = cli("dataset", "export", "voice-parser/main", "--to", "openai", "--split", "train")
                .stdoutLines().size();
        int validation = cli("dataset", "export", "voice-parser/main", "--to", "openai", "--split", "validation")
                .stdoutLines().size();

        assertThat(train + validation).isEqualTo(70);
        assertThat(validation).isPositive();
    }

    @Test
    void export_unknownVersion_exits1() {
        cli("dataset", "append", "voice-parser/main", sample.toString());

        Cli.Result r = cli("dataset", "export", "voice-parser/main@7", "--to", "openai");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).startsWith("finetune4j: dataset 'voice-parser/main' has no version 7");
    }

    @Test
    void export_json_withoutOutputFile_isAUsageError() {
        Cli.Result r = cli("dataset", "export", "voice-parser/main", "--to", "openai", "--json");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("usage");
    }

    @Test
    void malformedDatasetReference_isAUsageError() {
        Cli.Result r = cli("dataset", "append", "no-slash", sample.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("must be ASSISTANT/DATASET");
    }

    @Test
    void tenants_doNotSeeEachOthersDatasets() {
        cli("--tenant", "acme", "dataset", "append", "voice-parser/main", sample.toString());

        assertThat(cli("--tenant", "acme", "dataset", "log", "voice-parser/main").exitCode()).isZero();
        assertThat(cli("dataset", "log", "voice-parser/main").exitCode()).isEqualTo(1);
    }
}
