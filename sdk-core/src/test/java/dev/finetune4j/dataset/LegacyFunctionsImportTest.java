package dev.finetune4j.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.DatasetWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's legacy function calling ({@code functions}, {@code function_call}, {@code role:
 * "function"}), as Azure's fine-tuning samples still write it, is imported as tools, with
 * deterministic call ids and a warning per converted line.
 */
class LegacyFunctionsImportTest {

    private static final String WEATHER_SCHEMA = "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\","
            + "\"description\":\"The city and country, eg. San Francisco, USA\"},\"format\":{\"type\":\"string\","
            + "\"enum\":[\"celsius\",\"fahrenheit\"]}},\"required\":[\"location\",\"format\"]}";
    private static final ToolDefinition WEATHER = ToolDefinition.of("get_current_weather", "Get the current weather",
            WEATHER_SCHEMA);
    private static final String ARGS = "{\"location\": \"San Francisco, USA\", \"format\": \"celsius\"}";

    private final List<ReadExample> accepted = new ArrayList<>();

    @Test
    void import_azureLegacySample_becomesToolsToolCallsAndToolMessages() throws IOException {
        ValidationReport report = read(fixture(), ImportOptions.defaults());

        assertThat(report.valid()).isEqualTo(3);
        assertThat(report.invalid()).isZero();
        assertThat(report.count(IssueCode.LEGACY_FUNCTIONS_CONVERTED)).isEqualTo(3);
        assertThat(report.count(IssueCode.EXAMPLE_UNRECOGNIZED_KEY)).isZero();
        assertThat(accepted.get(0).example()).isEqualTo(Example.builder()
                .message(Message.user("What is the weather in San Francisco?"))
                .message(Message.assistantToolCalls(null, List.of(new ToolCall("call00001", "get_current_weather", ARGS))))
                .tool(WEATHER)
                .build());
        assertThat(accepted.get(1).example()).isEqualTo(Example.builder()
                .message(Message.user("What is the weather in San Francisco?"))
                .message(Message.assistantToolCalls(null, List.of(new ToolCall("call00001", "get_current_weather", ARGS))))
                .message(Message.tool("call00001", "21.0"))
                .message(Message.assistant("It is 21 degrees celsius in San Francisco, CA"))
                .tool(WEATHER)
                .build());
        assertThat(accepted.get(2).example().tools()).containsExactly(WEATHER);
        assertThat(report.warnings()).filteredOn(i -> i.code() == IssueCode.LEGACY_FUNCTIONS_CONVERTED)
                .extracting(ValidationIssue::line, ValidationIssue::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, "legacy function calling converted to tools: functions (1) "
                                + "-> tools; messages[1].function_call -> tool_calls id 'call00001'"),
                        org.assertj.core.groups.Tuple.tuple(2L, "legacy function calling converted to tools: functions (1) "
                                + "-> tools; messages[1].function_call -> tool_calls id 'call00001'; messages[2] role "
                                + "function -> tool answering 'call00001'"),
                        org.assertj.core.groups.Tuple.tuple(3L, "legacy function calling converted to tools: functions (1) "
                                + "-> tools"));
    }

    @Test
    void import_sameLegacyLineTwice_givesTheSameIdsAndIsADuplicate() throws IOException {
        String line = fixture().lines().toList().get(1);

        ValidationReport report = read(line + "\n" + line + "\n", ImportOptions.defaults());

        assertThat(report.valid()).isEqualTo(1);
        assertThat(report.duplicates()).isEqualTo(1);
    }

    @Test
    void import_legacyLine_exportsAsTheModernOpenAiLine_andPassesMistralIdRules() throws IOException {
        read(fixture(), ImportOptions.defaults());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DatasetWriter writer = DatasetWriter.open(DatasetFormat.OPENAI, out)) {
            accepted.forEach(e -> writer.write(e.example()));
        }
        String exported = out.toString(StandardCharsets.UTF_8);

        assertThat(exported.lines().toList().get(1)).isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":\"What is "
                + "the weather in San Francisco?\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call00001\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\",\"arguments\":\"{\\\"location\\\": "
                + "\\\"San Francisco, USA\\\", \\\"format\\\": \\\"celsius\\\"}\"}}]},{\"role\":\"tool\",\"content\":\"21.0\","
                + "\"tool_call_id\":\"call00001\"},{\"role\":\"assistant\",\"content\":\"It is 21 degrees celsius in San "
                + "Francisco, CA\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\","
                + "\"description\":\"Get the current weather\",\"parameters\":" + WEATHER_SCHEMA + "}}]}");
        assertThat(exported).doesNotContain("function_call", "\"functions\"", "\"role\":\"function\"");
        ValidationReport asMistral = read(exported, ImportOptions.builder().format(DatasetFormat.MISTRAL).build());
        assertThat(asMistral.count(IssueCode.TOOL_CALL_ID_MISMATCH)).isZero();
        assertThat(asMistral.valid()).isEqualTo(3);
    }

    @Test
    void import_twoCallsOfOneFunction_resultsAnswerThemInOrder() {
        String line = "{\"messages\":[{\"role\":\"user\",\"content\":\"Paris and Rome?\"},"
                + "{\"role\":\"assistant\",\"function_call\":{\"name\":\"w\",\"arguments\":\"{\\\"c\\\":\\\"Paris\\\"}\"}},"
                + "{\"role\":\"function\",\"name\":\"w\",\"content\":\"18\"},"
                + "{\"role\":\"assistant\",\"function_call\":{\"name\":\"w\",\"arguments\":\"{\\\"c\\\":\\\"Rome\\\"}\"}},"
                + "{\"role\":\"function\",\"name\":\"w\",\"content\":\"24\"},"
                + "{\"role\":\"assistant\",\"content\":\"18 and 24\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"w\"}}],"
                + "\"functions\":[{\"name\":\"w\"},{\"name\":\"x\"}]}";

        ValidationReport report = read(line, ImportOptions.defaults());

        assertThat(report.valid()).isEqualTo(1);
        Example e = accepted.get(0).example();
        assertThat(e.messages().get(1).toolCalls()).extracting(ToolCall::id).containsExactly("call00001");
        assertThat(e.messages().get(2)).isEqualTo(Message.tool("call00001", "18"));
        assertThat(e.messages().get(3).toolCalls()).extracting(ToolCall::id).containsExactly("call00003");
        assertThat(e.messages().get(4)).isEqualTo(Message.tool("call00003", "24"));
        assertThat(e.tools()).extracting(ToolDefinition::name).containsExactly("w", "x");
        assertThat(report.warnings().get(0).message()).startsWith("legacy function calling converted to tools: "
                + "functions (1) -> tools (w already in tools, kept from there); ");
    }

    @Test
    void import_legacyPartsThatCannotBeConverted_rejectTheLineWithAPreciseError() {
        String user = "{\"role\":\"user\",\"content\":\"Hi\"}";
        String call = "{\"role\":\"assistant\",\"function_call\":{\"name\":\"w\",\"arguments\":\"{}\"}}";
        String input = String.join("\n",
                "{\"messages\":[" + user + ",{\"role\":\"function\",\"name\":\"w\",\"content\":\"1\"},"
                        + "{\"role\":\"assistant\",\"content\":\"ok\"}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\",\"function_call\":{\"name\":\"w\",\"arguments\":\"{}\"}},"
                        + "{\"role\":\"assistant\",\"content\":\"ok\"}]}",
                "{\"messages\":[" + user + ",{\"role\":\"assistant\",\"function_call\":{\"name\":\"w\",\"arguments\":\"{}\"},"
                        + "\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}}]}]}",
                "{\"messages\":[" + user + ",{\"role\":\"assistant\",\"function_call\":{\"name\":\"w\",\"arguments\":{}}}]}",
                "{\"messages\":[" + user + "," + call + "],\"functions\":{\"name\":\"w\"}}",
                "{\"messages\":[" + user + "," + call + ",{\"role\":\"function\",\"content\":\"1\"}]}");

        ValidationReport report = read(input, ImportOptions.defaults());

        assertThat(report.valid()).isZero();
        assertThat(report.errors()).extracting(ValidationIssue::line, ValidationIssue::code, ValidationIssue::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, IssueCode.TOOL_CALL_ID_MISMATCH, "messages[1] (role function, "
                                + "legacy) is the result of 'w', which no earlier function_call calls (or whose calls all "
                                + "have a result already)"),
                        org.assertj.core.groups.Tuple.tuple(2L, IssueCode.INVALID_TOOL_CALL, "messages[0] (user) has "
                                + "function_call; only assistant messages may call functions"),
                        org.assertj.core.groups.Tuple.tuple(3L, IssueCode.INVALID_TOOL_CALL, "messages[1] has both "
                                + "function_call (legacy) and tool_calls; keep one"),
                        org.assertj.core.groups.Tuple.tuple(4L, IssueCode.INVALID_TOOL_CALL, "messages[1] function_call "
                                + "(legacy) must be {\"name\": string, \"arguments\": JSON string}, found an object without them"),
                        org.assertj.core.groups.Tuple.tuple(5L, IssueCode.INVALID_TOOLS, "\"functions\" (legacy) must be an "
                                + "array, found an object"),
                        org.assertj.core.groups.Tuple.tuple(6L, IssueCode.MESSAGE_MISSING_KEY, "messages[2] (role function, "
                                + "legacy) needs the \"name\" of the function whose result it is"));
    }

    private ValidationReport read(String text, ImportOptions options) {
        accepted.clear();
        return JsonlReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), options, accepted::add);
    }

    private static String fixture() throws IOException {
        try (InputStream in = LegacyFunctionsImportTest.class.getResourceAsStream("/fixtures/azure-legacy-functions.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
