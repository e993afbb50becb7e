package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.tokens.TokenCounter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Files built to break the reader: each command keeps the good lines and names the bad ones. */
class HostileInputTest {

    static final String GOOD1 = "{\"messages\":[{\"role\":\"user\",\"content\":\"bench 225 for 8\"},"
            + "{\"role\":\"assistant\",\"content\":\"{\\\"reps\\\":8}\"}]}";
    static final String GOOD4 = GOOD1.replace("225", "315");
    static final String DEEP = "[".repeat(100_000);
    static final String LONG_NUMBER = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
            + "{\"role\":\"assistant\",\"content\":\"y\",\"weight\":" + "7".repeat(1_000_000) + "}]}";

    @TempDir
    Path dir;

    private Path hostileFile() throws IOException {
        return Files.writeString(dir.resolve("hostile.jsonl"), String.join("\n", GOOD1, DEEP, LONG_NUMBER, GOOD4) + "\n");
    }

    private static void assertBadLinesNamed(JsonNode errors) {
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("line").asLong()).isEqualTo(2);
        assertThat(errors.get(0).get("code").asText()).isEqualTo("nesting_too_deep");
        assertThat(errors.get(1).get("line").asLong()).isEqualTo(3);
        assertThat(errors.get(1).get("code").asText()).isEqualTo("number_too_long");
    }

    @Test
    void validate_hundredThousandDeepLineAndMillionDigitNumber_areTwoLinesWithCodes() throws IOException {
        Cli.Result r = Cli.run("validate", hostileFile().toString(), "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.json().get("valid").asLong()).isEqualTo(2);
        assertBadLinesNamed(r.json().get("errors"));
    }

    @Test
    void stats_countsTheGoodLines() throws IOException {
        Cli.Result r = Cli.run("stats", hostileFile().toString(), "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("examples").asLong()).isEqualTo(2);
        assertThat(r.json().get("invalid").asLong()).isEqualTo(2);
    }

    @Test
    void convert_writesTheGoodLines() throws IOException {
        Path out = dir.resolve("out.jsonl");

        Cli.Result r = Cli.run("convert", hostileFile().toString(), "--to", "mistral", "-o", out.toString(), "--json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readAllLines(out)).containsExactly(GOOD1, GOOD4);
        assertBadLinesNamed(r.json().get("errors"));
    }

    @Test
    void datasetAppend_importsTheGoodLines() throws IOException {
        String store = dir.resolve("store").toString();

        Cli.Result r = Cli.run("--store", store, "dataset", "append", "p/main", hostileFile().toString(), "--json");
        Cli.Result export = Cli.run("--store", store, "dataset", "export", "p/main", "--to", "openai");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("added").asLong()).isEqualTo(2);
        assertBadLinesNamed(r.json().get("errors"));
        assertThat(export.stdoutLines()).containsExactly(GOOD1, GOOD4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"})
    void utf16Or32File_isOneErrorNamingTheEncoding(String encoding) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(("\uFEFF" + GOOD1 + "\n" + GOOD4 + "\n").getBytes(java.nio.charset.Charset.forName(encoding)));
        Path file = Files.write(dir.resolve("wide.jsonl"), bytes.toByteArray());

        Cli.Result human = Cli.run("validate", file.toString());
        Cli.Result json = Cli.run("validate", file.toString(), "--json");

        assertThat(human.exitCode()).as(human.toString()).isEqualTo(1);
        assertThat(human.stdoutLines()).contains("line 1: unsupported_encoding: this file is " + encoding
                + ", not UTF-8 (it starts with a " + encoding + " byte-order mark), so none of it was read; convert "
                + "it to UTF-8 first, e.g. iconv -f " + encoding + " -t UTF-8 IN.jsonl > OUT.jsonl");
        assertThat(human.stdout()).doesNotContain("invalid_json");
        assertThat(json.json().get("errors")).hasSize(1);
        assertThat(json.json().get("valid").asLong()).isZero();
    }

    @Test
    void convert_withNoExampleWritten_exits1_andSaysSoInsteadOfLossless() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), DEEP + "\n{\"messages\":5}\n");
        Path out = Files.writeString(dir.resolve("out.jsonl"), "kept\n");

        Cli.Result toFile = Cli.run("convert", file.toString(), "--to", "alpaca", "-o", out.toString());
        Cli.Result toStdout = Cli.run("convert", file.toString(), "--to", "alpaca");
        Cli.Result json = Cli.run("convert", file.toString(), "--to", "alpaca", "-o", out.toString(), "--json");

        assertThat(toFile.exitCode()).as(toFile.toString()).isEqualTo(1);
        assertThat(toFile.stderr()).startsWith("finetune4j: nothing converted: " + file + " has no example to write "
                + "as alpaca (2 lines: 0 valid, 2 invalid, 0 duplicates); " + out + " was not written")
                .doesNotContain("lossless");
        assertThat(Files.readString(out)).isEqualTo("kept\n");
        assertThat(toStdout.exitCode()).isEqualTo(1);
        assertThat(toStdout.stdout()).isEmpty();
        assertThat(toStdout.stderr()).doesNotContain("lossless");
        assertThat(json.json().get("error").get("exit_code").asInt()).isEqualTo(1);
    }

    @Test
    void convert_whereTheFormatCanHoldNoValidExample_exits1() throws IOException {
        // alpaca holds one user and one assistant message; a tool conversation cannot be written
        String tools = "{\"messages\":[{\"role\":\"user\",\"content\":\"w\"},{\"role\":\"assistant\",\"tool_calls\":"
                + "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"r\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}";
        Path file = Files.writeString(dir.resolve("tools.jsonl"), tools + "\n");

        Cli.Result r = Cli.run("convert", file.toString(), "--to", "alpaca");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains("nothing converted", "1 valid but not expressible").doesNotContain("lossless");
    }

    /**
     * The case: a 30 MB word (under the 32 MiB line limit) among good lines. {@code stats}
     * ran it at 6.25 GB; here a child JVM with a 256 MB heap prints the same document as this one.
     */
    @Test
    void stats_thirtyMegabyteWord_runsIn256MbHeap_withTheSameTotals() throws Exception {
        Path file = dir.resolve("word.jsonl");
        String word = "a".repeat(30_000_000);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write((GOOD1 + "\n{\"messages\":[{\"role\":\"user\",\"content\":\"").getBytes(StandardCharsets.UTF_8));
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.write(("\"},{\"role\":\"assistant\",\"content\":\"ok\"}]}\n" + GOOD4 + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        TokenCounter counter = TokenCounter.forModel(Providers.defaultModel(Providers.DEFAULT_PROVIDER));
        int wordExample = counter.count(Example.of(Message.user(word), Message.assistant("ok")));
        String inProcess = Cli.run("stats", file.toString(), "--json").stdout();

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), FinetuneCli.class.getName(),
                "stats", file.toString(), "--json")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(child.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        JsonNode doc = new ObjectMapper().readTree(out);
        assertThat(doc).isEqualTo(new ObjectMapper().readTree(inProcess));
        assertThat(doc.get("examples").asLong()).isEqualTo(3);
        // a run of 'a' is one token per 8 letters (jtokkit's count, checked at 1M letters in LongTextCounterTest)
        assertThat(counter.countText(word)).isEqualTo(3_750_000);
        assertThat(doc.get("tokens").get("max").asLong()).isEqualTo(wordExample);
        assertThat(doc.get("tokens").get("total").asLong()).isEqualTo(wordExample
                + counter.count(Example.of(Message.user("bench 225 for 8"), Message.assistant("{\"reps\":8}")))
                + counter.count(Example.of(Message.user("bench 315 for 8"), Message.assistant("{\"reps\":8}"))));
    }
}
