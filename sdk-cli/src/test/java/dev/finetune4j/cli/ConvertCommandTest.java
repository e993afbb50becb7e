package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {

    @TempDir
    Path dir;

    @Test
    void convert_toFile_json_reportsInputAndConversion() throws Exception {
        Path file = Cli.sample(dir, Samples.FIRST_BATCH);
        Path out = dir.resolve("alpaca.jsonl");

        Cli.Result r = Cli.run("convert", file.toString(), "--to", "alpaca", "-o", out.toString(), "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(Cli.fieldNames(doc)).containsExactly("file", "from", "to", "output", "lines", "invalid",
                "duplicates", "examples_read", "examples_written", "examples_skipped", "losses", "notes", "errors");
        assertThat(doc.get("lines").asLong()).isEqualTo(60);
        assertThat(doc.get("invalid").asLong()).isEqualTo(3);
        assertThat(doc.get("examples_written").asLong()).isEqualTo(57);
        assertThat(Files.readAllLines(out)).hasSize(57);
        assertThat(Cli.fieldNames(new ObjectMapper().readTree(Files.readAllLines(out).get(0))))
                .containsExactly("instruction", "input", "output");
    }

    @Test
    void convert_toStdout_writesOnlyDataThere_andTheReportOnStderr() {
        Path file = Cli.sample(dir, Samples.SECOND_BATCH);

        Cli.Result r = Cli.run("convert", file.toString(), "--to", "vertex-gemini");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdoutLines()).hasSize(15).allMatch(l -> l.startsWith("{\"systemInstruction\""));
        assertThat(r.stdout()).contains("卧推");
        assertThat(r.stderr()).contains("15 examples written");
    }

    @Test
    void convert_backFromAlpaca_readsTheOtherFormat() {
        Path file = Cli.sample(dir, Samples.SECOND_BATCH);
        Path alpaca = dir.resolve("a.jsonl");
        Cli.run("convert", file.toString(), "--to", "alpaca", "-o", alpaca.toString());

        Cli.Result r = Cli.run("convert", alpaca.toString(), "--from", "alpaca", "--to", "openai");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdoutLines()).hasSize(15);
    }

    @Test
    void convert_json_withoutOutputFile_isAUsageError() {
        Path file = Cli.sample(dir, Samples.SECOND_BATCH);

        Cli.Result r = Cli.run("convert", file.toString(), "--to", "mistral", "--json");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--json needs -o OUT");
    }

    @Test
    void convert_unknownFormat_isAUsageErrorNamingTheKnownOnes() {
        Path file = Cli.sample(dir, Samples.SECOND_BATCH);

        Cli.Result r = Cli.run("convert", file.toString(), "--to", "parquet");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("unknown format 'parquet'", "hf-messages");
    }
}
