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
                "duplicates", "examples_read", "examples_written", "examples_skipped", "losses", "notes", "input_changes",
                "lossless", "errors");
        assertThat(doc.get("lines").asLong()).isEqualTo(60);
        assertThat(doc.get("invalid").asLong()).isEqualTo(3);
        assertThat(doc.get("examples_written").asLong()).isEqualTo(57);
        assertThat(Files.readAllLines(out)).hasSize(57);
        assertThat(Cli.fieldNames(new ObjectMapper().readTree(Files.readAllLines(out).get(0))))
                .containsExactly("instruction", "input", "output", "system");
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

    /** Azure's legacy sample shape: functions on every line, function_call and a function result. */
    static final String LEGACY = String.join("\n",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},{\"role\":\"assistant\","
                    + "\"function_call\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}],"
                    + "\"functions\":[{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Rome?\"},{\"role\":\"assistant\","
                    + "\"content\":null,\"function_call\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": "
                    + "\\\"Rome\\\"}\"}},{\"role\":\"function\",\"name\":\"get_weather\",\"content\":\"24\"},"
                    + "{\"role\":\"assistant\",\"content\":\"24 degrees.\"}],"
                    + "\"functions\":[{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}",
            "");

    @Test
    void convert_legacyFunctions_areConvertedToTools_andTheRunIsNotCalledLossless() throws Exception {
        Path file = dir.resolve("azure.jsonl");
        Files.writeString(file, LEGACY);
        Path out = dir.resolve("openai.jsonl");

        Cli.Result human = Cli.run("convert", file.toString(), "--to", "openai", "-o", out.toString());
        Cli.Result json = Cli.run("convert", file.toString(), "--to", "openai", "-o", out.toString(), "--json");

        assertThat(human.exitCode()).as(human.toString()).isZero();
        assertThat(human.stderr()).contains("2 examples written, 0 skipped",
                "legacy_functions_converted: 2 lines read with functions / function_call / role function converted "
                        + "to tools / tool_calls / tool")
                .doesNotContain("lossless");
        assertThat(json.json().get("lossless").asBoolean()).isFalse();
        assertThat(json.json().get("input_changes").get("legacy_functions_converted").asLong()).isEqualTo(2);
        String written = Files.readString(out);
        assertThat(written).contains("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"",
                "\"tool_calls\":[{\"id\":\"call00001\"", "{\"role\":\"tool\",\"content\":\"24\",\"tool_call_id\":\"call00001\"}")
                .doesNotContain("function_call", "\"functions\"");
    }

    @Test
    void convert_unknownTopLevelKeys_areNotCalledLossless() throws Exception {
        Path file = dir.resolve("extra.jsonl");
        Files.writeString(file, "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\","
                + "\"content\":\"Hello\"}],\"function_call\":\"auto\"}\n");

        Cli.Result r = Cli.run("convert", file.toString(), "--to", "openai");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("example_unrecognized_key: 1 line read without their unknown top-level keys")
                .doesNotContain("lossless");
    }

    /** The shape of OpenAI's drone function-calling example: the id call_id, parallel_tool_calls, tools. */
    static final String DRONE = String.join("\n",
            "{\"messages\":[{\"role\":\"system\",\"content\":\"You control a drone.\"},{\"role\":\"user\","
                    + "\"content\":\"Take off to 100 m\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_id\","
                    + "\"type\":\"function\",\"function\":{\"name\":\"takeoff_drone\",\"arguments\":"
                    + "\"{\\\"altitude\\\": 100}\"}}]}],\"parallel_tool_calls\":false,\"tools\":[{\"type\":\"function\","
                    + "\"function\":{\"name\":\"takeoff_drone\",\"parameters\":{\"type\":\"object\"}}}]}",
            "{\"messages\":[{\"role\":\"system\",\"content\":\"You control a drone.\"},{\"role\":\"user\","
                    + "\"content\":\"Land\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_id\","
                    + "\"type\":\"function\",\"function\":{\"name\":\"land_drone\",\"arguments\":\"{}\"}}]}],"
                    + "\"parallel_tool_calls\":false,\"tools\":[{\"type\":\"function\","
                    + "\"function\":{\"name\":\"land_drone\",\"parameters\":{\"type\":\"object\"}}}]}",
            "");

    @Test
    void convert_droneToMistral_rewritesTheIds_andValidateProviderMistralAcceptsTheResult() throws Exception {
        Path file = dir.resolve("drone.jsonl");
        Files.writeString(file, DRONE);
        Path out = dir.resolve("mistral.jsonl");

        Cli.Result before = Cli.run("validate", file.toString(), "--provider", "mistral");
        Cli.Result convert = Cli.run("convert", file.toString(), "--to", "mistral", "-o", out.toString());
        Cli.Result after = Cli.run("validate", out.toString(), "--provider", "mistral");

        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(convert.exitCode()).as(convert.toString()).isZero();
        assertThat(convert.stderr()).contains("tool_call_ids_rewritten: 2 examples written with it",
                "tool call id 'call_id' -> '");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.stdout()).contains("2 lines: 2 valid, 0 invalid");
    }

    @Test
    void convert_toHfMessages_writesToolArgumentsAsObjects_orAsStringsOnRequest() throws Exception {
        Path file = dir.resolve("drone.jsonl");
        Files.writeString(file, DRONE);

        Cli.Result objects = Cli.run("convert", file.toString(), "--to", "hf-messages");
        Cli.Result strings = Cli.run("convert", file.toString(), "--to", "hf-messages", "--tool-arguments", "string");
        Cli.Result wrong = Cli.run("convert", file.toString(), "--to", "hf-messages", "--tool-arguments", "dict");

        assertThat(objects.exitCode()).as(objects.toString()).isZero();
        JsonNode call = new ObjectMapper().readTree(objects.stdoutLines().get(0)).get("messages").get(2)
                .get("tool_calls").get(0).get("function");
        assertThat(call.get("arguments").isObject()).isTrue();
        assertThat(call.get("arguments").get("altitude").asInt()).isEqualTo(100);
        assertThat(strings.stdoutLines().get(0)).contains("\"arguments\":\"{\\\"altitude\\\": 100}\"");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("'dict' is not a form of tool arguments; use object or string");
    }
}
