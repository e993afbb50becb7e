package dev.finetune4j.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Examples and helpers shared by the format tests. */
final class ConversionFixtures {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static final String WEATHER_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";

    private ConversionFixtures() {}

    /** system + user + assistant. */
    static Example typical() {
        return Example.of(
                Message.system("You parse workout commands."),
                Message.user("3 sets of 10 squats"),
                Message.assistant("{\"sets\":3,\"reps\":10}"));
    }

    /** Two exchanges, the first assistant turn with weight 0, the second with weight 1. */
    static Example weighted() {
        return Example.of(
                Message.system("Be brief."),
                Message.user("Hi"),
                Message.assistant("Hello there, how can I help you today?").withWeight(0),
                Message.user("Bye"),
                Message.assistant("Goodbye!").withWeight(1));
    }

    /** Two exchanges without weights. */
    static Example multiTurn() {
        return Example.of(
                Message.user("Hi"),
                Message.assistant("Hello"),
                Message.user("How are you?"),
                Message.assistant("Fine"));
    }

    /** A tool call, its result and the final answer, with the tool defined. */
    static Example withTools() {
        return Example.builder()
                .message(Message.system("You can look up the weather."))
                .message(Message.user("Weather in Paris?"))
                .message(Message.assistantToolCalls(null,
                        List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))))
                .message(Message.tool("call_1", "18°C, sunny"))
                .message(Message.assistant("It is 18°C and sunny in Paris."))
                .tool(ToolDefinition.of("get_weather", "Get the weather", WEATHER_SCHEMA))
                .build();
    }

    /** The outcome of converting some examples. */
    record Converted(String text, List<String> lines, ConversionReport report) {
        String line(int i) {
            return lines.get(i);
        }

        JsonNode tree(int i) {
            return parse(lines.get(i));
        }
    }

    static Converted convert(DatasetFormat format, Example... examples) {
        return convert(format, WriterOptions.defaults(), examples);
    }

    static Converted convert(DatasetFormat format, WriterOptions options, Example... examples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConversionReport report;
        try (DatasetWriter writer = DatasetWriter.open(format, out, options)) {
            for (Example e : examples) {
                writer.write(e);
            }
            report = writer.report();
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.isEmpty() || text.endsWith("\n")).as("every line ends with \\n").isTrue();
        List<String> lines = text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1)).subList(0,
                (int) text.chars().filter(c -> c == '\n').count());
        assertThat(lines).hasSize((int) report.examplesWritten());
        return new Converted(text, lines, report);
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Asserts a line is the given JSON, ignoring key order and whitespace. */
    static void assertJson(String line, String expected) {
        assertThat(parse(line)).isEqualTo(parse(expected));
    }
}
