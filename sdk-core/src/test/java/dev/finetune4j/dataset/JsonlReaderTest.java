package dev.finetune4j.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.ValidationException;
import dev.finetune4j.testing.TestRules;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonlReaderTest {

    private static final String GOOD = "{\"messages\":[{\"role\":\"system\",\"content\":\"parse\"},"
            + "{\"role\":\"user\",\"content\":\"bench 225 for 8\"},{\"role\":\"assistant\",\"content\":\"{\\\"reps\\\":8}\"}]}";

    private static List<ReadExample> accepted = new ArrayList<>();

    private static ValidationReport read(String text, ImportOptions options) {
        return read(text.getBytes(StandardCharsets.UTF_8), options);
    }

    private static ValidationReport read(byte[] bytes, ImportOptions options) {
        accepted = new ArrayList<>();
        return JsonlReader.read(new ByteArrayInputStream(bytes), options, accepted::add);
    }

    private static String good(int n) {
        return GOOD.replace("225", String.valueOf(200 + n));
    }

    private static ValidationIssue only(ValidationReport report) {
        assertThat(report.issues()).hasSize(1);
        return report.issues().get(0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void read_goodLines_areAcceptedInOrderWithLineNumbers(int parallelism) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append(good(i)).append('\n');
        }
        ValidationReport report = read(sb.toString(), ImportOptions.builder().parallelism(parallelism).build());

        assertThat(report.lines()).isEqualTo(1000);
        assertThat(report.valid()).isEqualTo(1000);
        assertThat(report.issues()).isEmpty();
        assertThat(accepted).extracting(ReadExample::line).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 1000).boxed().toList());
        assertThat(accepted.get(999).example().messages().get(1).content()).contains("bench 1199 for 8");
    }

    @Test
    void read_badLinesAmongGood_reportsEachWithLineAndCode_andKeepsTheGoodOnes() {
        String input = String.join("\n",
                good(1),
                "{\"messages\": [",                                                       // 2 truncated
                "[1,2]",                                                                  // 3 data_type
                "{\"msgs\":[]}",                                                          // 4 missing_messages_list
                "{\"messages\":[{\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\"}]}", // 5 message_missing_key
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"mood\":\"ok\"},{\"role\":\"assistant\",\"content\":\"x\"}]}", // 6
                "{\"messages\":[{\"role\":\"human\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\"}]}", // 7
                "{\"messages\":[{\"role\":\"user\",\"content\":null},{\"role\":\"assistant\",\"content\":\"x\"}]}",   // 8
                "{\"messages\":[{\"role\":\"user\",\"content\":42},{\"role\":\"assistant\",\"content\":\"x\"}]}",     // 9
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",                // 10 no assistant
                "",                                                                       // 11 empty line
                good(1),                                                                  // 12 duplicate of 1
                good(2));                                                                 // 13

        ValidationReport report = read(input, ImportOptions.defaults());

        assertThat(report.issues()).extracting(ValidationIssue::line, i -> i.code().code()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, "invalid_json"),
                org.assertj.core.groups.Tuple.tuple(3L, "data_type"),
                org.assertj.core.groups.Tuple.tuple(4L, "example_unrecognized_key"),
                org.assertj.core.groups.Tuple.tuple(4L, "missing_messages_list"),
                org.assertj.core.groups.Tuple.tuple(5L, "message_missing_key"),
                org.assertj.core.groups.Tuple.tuple(6L, "message_unrecognized_key"),
                org.assertj.core.groups.Tuple.tuple(7L, "unrecognized_role"),
                org.assertj.core.groups.Tuple.tuple(8L, "missing_content"),
                org.assertj.core.groups.Tuple.tuple(9L, "missing_content"),
                org.assertj.core.groups.Tuple.tuple(10L, "example_missing_assistant_message"),
                org.assertj.core.groups.Tuple.tuple(11L, "empty_line"),
                org.assertj.core.groups.Tuple.tuple(12L, "duplicate"));
        assertThat(report.valid()).isEqualTo(2);
        assertThat(report.invalid()).isEqualTo(9);
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(report.lines()).isEqualTo(12);
        assertThat(accepted).extracting(ReadExample::line).containsExactly(1L, 13L);
        assertThat(report.issues().get(8).message()).isEqualTo("messages[0] (user) content must be a string, found number 42");
        assertThat(report.issues().get(11).message()).startsWith("same conversation as line 1 (example ");
    }

    @Test
    void read_bomAndCrlf_areStripped() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bom);
        out.writeBytes((good(1) + "\r\n" + good(2) + "\r\n").getBytes(StandardCharsets.UTF_8));

        ValidationReport report = read(out.toByteArray(), ImportOptions.defaults());

        assertThat(report.valid()).isEqualTo(2);
        assertThat(report.issues()).isEmpty();
    }

    @Test
    void read_invalidUtf8_isReportedWithItsByte() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("{\"messages\":[{\"role\":\"user\",\"content\":\"caf").getBytes(StandardCharsets.UTF_8));
        out.write(0xE9); // Latin-1 e-acute, invalid in UTF-8
        out.writeBytes(("\"},{\"role\":\"assistant\",\"content\":\"x\"}]}\n" + good(1)).getBytes(StandardCharsets.UTF_8));

        ValidationReport report = read(out.toByteArray(), ImportOptions.defaults());

        ValidationIssue issue = only(report);
        assertThat(issue.line()).isEqualTo(1);
        assertThat(issue.code()).isEqualTo(IssueCode.INVALID_UTF8);
        assertThat(issue.message()).contains("0xe9");
        assertThat(report.valid()).isEqualTo(1);
    }

    @Test
    void read_hugeLine_isSkippedWithoutBufferingIt_andLaterLinesSurvive() {
        StringBuilder huge = new StringBuilder("{\"messages\":[{\"role\":\"user\",\"content\":\"");
        huge.append("a".repeat(50 * 1024 * 1024));
        huge.append("\"},{\"role\":\"assistant\",\"content\":\"x\"}]}\n");
        String input = huge + good(1) + "\n";

        ValidationReport report = read(input, ImportOptions.builder().maxLineBytes(1024 * 1024).build());

        ValidationIssue issue = only(report);
        assertThat(issue.code()).isEqualTo(IssueCode.LINE_TOO_LONG);
        assertThat(issue.line()).isEqualTo(1);
        assertThat(issue.message()).contains("has " + (huge.length() - 1) + " bytes");
        assertThat(accepted).extracting(ReadExample::line).containsExactly(2L);
    }

    @Test
    void read_emptyInput_warnsEmptyFile() {
        ValidationReport report = read("", ImportOptions.defaults());

        assertThat(only(report).code()).isEqualTo(IssueCode.EMPTY_FILE);
        assertThat(report.lines()).isZero();
        assertThat(report.hasErrors()).isFalse();
    }

    @Test
    void read_truncatedLastLine_isInvalidJsonAndEarlierLinesAreKept() {
        String input = good(1) + "\n" + good(2).substring(0, 50);

        ValidationReport report = read(input, ImportOptions.defaults());

        assertThat(only(report).code()).isEqualTo(IssueCode.INVALID_JSON);
        assertThat(only(report).line()).isEqualTo(2);
        assertThat(report.valid()).isEqualTo(1);
    }

    @Test
    void read_strict_throwsWithTheReport() {
        String input = good(1) + "\n{\"messages\":5}\n";

        assertThatThrownBy(() -> read(input, ImportOptions.builder().strict(true).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("1 invalid line(s)")
                .hasMessageContaining("line 2: missing_messages_list")
                .satisfies(e -> assertThat(((ValidationException) e).report().valid()).isEqualTo(1));
    }

    @Test
    void read_weightsAndToolCalls_areParsed() {
        String line = "{\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_abc12\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_abc12\",\"content\":\"12C\"},"
                + "{\"role\":\"assistant\",\"content\":\"It is 12C\",\"weight\":0},"
                + "{\"role\":\"assistant\",\"content\":\"Anything else?\",\"weight\":1}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]}";

        ValidationReport report = read(line, ImportOptions.defaults());

        assertThat(report.issues()).extracting(ValidationIssue::code).containsExactly(IssueCode.MISSING_SYSTEM_MESSAGE);
        Example e = accepted.get(0).example();
        assertThat(e.messages().get(1).toolCalls()).containsExactly(new ToolCall("call_abc12", "get_weather", "{\"city\":\"Oslo\"}"));
        assertThat(e.messages().get(3).weight()).hasValue(0);
        assertThat(e.tools()).extracting(ToolDefinition::name).containsExactly("get_weather");
        assertThat(e.toJson()).isEqualTo(line.replace(",\"tool_call_id\":\"call_abc12\",\"content\":\"12C\"", ",\"content\":\"12C\",\"tool_call_id\":\"call_abc12\""));
    }

    @Test
    void read_invalidWeight_andToolAnsweringNoCall_areErrors() {
        String input = "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\",\"weight\":2}]}\n"
                + "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"tool\",\"tool_call_id\":\"zz\",\"content\":\"r\"},"
                + "{\"role\":\"assistant\",\"content\":\"b\"}]}\n";

        ValidationReport report = read(input, ImportOptions.defaults());

        assertThat(report.issues()).extracting(i -> i.code().code())
                .containsExactly("invalid_weight", "tool_call_id_mismatch");
        assertThat(report.issues().get(0).message()).isEqualTo("messages[1] weight must be 0 or 1, found number 2");
    }

    @Test
    void read_mistralRules_areStricterThanOpenAi() {
        String twoSystems = "{\"messages\":[{\"role\":\"system\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"b\"},"
                + "{\"role\":\"system\",\"content\":\"c\"},{\"role\":\"assistant\",\"content\":\"d\"}]}";
        String endsWithUser = "{\"messages\":[{\"role\":\"user\",\"content\":\"b\"},{\"role\":\"assistant\",\"content\":\"d\"},"
                + "{\"role\":\"user\",\"content\":\"e\"}]}";
        String shortCallId = "{\"messages\":[{\"role\":\"user\",\"content\":\"w\"},{\"role\":\"assistant\",\"tool_calls\":"
                + "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"r\"},{\"role\":\"assistant\",\"content\":\"ok\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}";
        String undefinedTool = shortCallId.replace("call_1", "call12345").replace(",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]", "");
        String input = String.join("\n", twoSystems, endsWithUser, shortCallId, undefinedTool);

        ValidationReport openai = read(input, ImportOptions.defaults());
        ValidationReport mistral = read(input, ImportOptions.builder().rules(TestRules.MISTRAL).build());

        assertThat(openai.valid()).isEqualTo(4);
        assertThat(mistral.issues()).extracting(ValidationIssue::line, i -> i.code().code()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, "system_message_position"),
                org.assertj.core.groups.Tuple.tuple(2L, "last_message_not_assistant"),
                org.assertj.core.groups.Tuple.tuple(3L, "tool_call_id_mismatch"),
                org.assertj.core.groups.Tuple.tuple(4L, "undefined_tool"));
        assertThat(mistral.issues().get(2).message()).contains("has 6 characters; Mistral requires exactly 9");
    }

    @Test
    void read_withModel_countsTokensAndRejectsTooLong() {
        String longOne = GOOD.replace("bench 225 for 8", "word ".repeat(300));
        ValidationReport report = read(GOOD + "\n" + longOne + "\n",
                ImportOptions.builder().model("gpt-4o-mini").maxTokensPerExample(100).build());

        assertThat(accepted).hasSize(1);
        assertThat(accepted.get(0).tokens()).isGreaterThan(10);
        ValidationIssue issue = only(report);
        assertThat(issue.code()).isEqualTo(IssueCode.TOO_LONG);
        assertThat(issue.line()).isEqualTo(2);
        assertThat(issue.message()).contains("o200k_base").contains("gpt-4o-mini trains on at most 100");
    }

    @Test
    void read_manyBadLines_keepsCountsExactButBoundsTheIssueList() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            sb.append("nope\n");
        }
        ValidationReport report = read(sb.toString(), ImportOptions.builder().maxIssues(10).build());

        assertThat(report.issues()).hasSize(10);
        assertThat(report.issuesTruncated()).isTrue();
        assertThat(report.count(IssueCode.INVALID_JSON)).isEqualTo(500);
        assertThat(report.invalid()).isEqualTo(500);
    }

    @Test
    void read_tags_fromLineAndOptions_mergeWithLineWinning() {
        String line = GOOD.replace("]}", "],\"tags\":{\"language\":\"ms\"}}");
        read(line + "\n" + good(5), ImportOptions.builder().tag("language", "en").tag("source", "import").build());

        assertThat(accepted.get(0).example().tags()).containsEntry("language", "ms").containsEntry("source", "import");
        assertThat(accepted.get(1).example().tags()).containsEntry("language", "en");
        assertThat(accepted.get(0).example().id()).isEqualTo(
                accepted.get(0).example().toBuilder().build().withTags(java.util.Map.of("x", "y")).id());
    }

    @Test
    void read_alpacaFormat_importsInstructionInputOutput() {
        String input = "{\"instruction\":\"Parse the command\",\"input\":\"squat 100kg x5\",\"output\":\"{\\\"reps\\\":5}\"}\n"
                + "{\"instruction\":\"no output\"}\n";

        ValidationReport report = read(input, ImportOptions.builder()
                .format(dev.finetune4j.format.DatasetFormat.ALPACA).build());

        assertThat(accepted).hasSize(1);
        assertThat(accepted.get(0).example().messages()).containsExactly(
                Message.user("Parse the command\nsquat 100kg x5"), Message.assistant("{\"reps\":5}"));
        assertThat(report.errors()).extracting(ValidationIssue::line, ValidationIssue::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, IssueCode.MISSING_CONTENT));
    }
}
