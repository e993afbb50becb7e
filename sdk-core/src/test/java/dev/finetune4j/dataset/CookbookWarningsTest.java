package dev.finetune4j.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The data warnings of OpenAI's cookbook notebook "Data preparation and analysis for chat model
 * fine-tuning" (examples missing a system or a user message), and tool-call arguments encoded twice:
 * warnings with stable codes, counted exactly, that keep the example.
 */
class CookbookWarningsTest {

    private static final String SYSTEM = "{\"role\":\"system\",\"content\":\"Be brief.\"}";
    private static final String ASSISTANT = "{\"role\":\"assistant\",\"content\":\"Hello\"}";

    private final List<ReadExample> accepted = new ArrayList<>();

    @Test
    void read_examplesWithoutSystemOrUserMessage_areKeptAndCountedUnderTheCookbooksNames() {
        String input = String.join("\n",
                "{\"messages\":[" + SYSTEM + ",{\"role\":\"user\",\"content\":\"Hi\"}," + ASSISTANT + "]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}," + ASSISTANT + "]}",
                "{\"messages\":[" + SYSTEM + "," + ASSISTANT + "]}",
                "{\"messages\":[" + ASSISTANT + "]}");

        ValidationReport report = read(input);

        assertThat(report.valid()).isEqualTo(4);
        assertThat(report.count(IssueCode.MISSING_SYSTEM_MESSAGE)).isEqualTo(2);
        assertThat(report.count(IssueCode.MISSING_USER_MESSAGE)).isEqualTo(2);
        assertThat(IssueCode.MISSING_SYSTEM_MESSAGE.code()).isEqualTo("missing_system_message");
        assertThat(IssueCode.MISSING_USER_MESSAGE.code()).isEqualTo("missing_user_message");
        assertThat(report.warnings()).extracting(ValidationIssue::line, ValidationIssue::code, ValidationIssue::message)
                .containsExactly(
                        tuple(2L, IssueCode.MISSING_SYSTEM_MESSAGE, "the example has no system message"),
                        tuple(3L, IssueCode.MISSING_USER_MESSAGE, "the example has no user message; alpaca, "
                                + "bedrock-claude and vertex-gemini skip such examples"),
                        tuple(4L, IssueCode.MISSING_SYSTEM_MESSAGE, "the example has no system message"),
                        tuple(4L, IssueCode.MISSING_USER_MESSAGE, "the example has no user message; alpaca, "
                                + "bedrock-claude and vertex-gemini skip such examples"));
    }

    @Test
    void read_aDatasetWithoutSystemMessages_listsTheFirstTenButCountsAll_andStillListsALaterError() {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            input.append("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi ").append(i).append("\"},").append(ASSISTANT)
                    .append("]}\n");
        }
        input.append("{\"messages\":[{\"role\":\"human\",\"content\":\"Hi\"}," + ASSISTANT + "]}\n");

        ValidationReport report = JsonlReader.read(new ByteArrayInputStream(input.toString().getBytes(StandardCharsets.UTF_8)),
                ImportOptions.builder().maxIssues(12).build(), e -> { });

        assertThat(report.count(IssueCode.MISSING_SYSTEM_MESSAGE)).isEqualTo(40);
        assertThat(report.warnings()).hasSize(10).allMatch(i -> i.code() == IssueCode.MISSING_SYSTEM_MESSAGE)
                .extracting(ValidationIssue::line).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(report.errors()).extracting(ValidationIssue::line, ValidationIssue::code)
                .containsExactly(tuple(41L, IssueCode.UNRECOGNIZED_ROLE));
        assertThat(report.issuesTruncated()).isFalse();
    }

    @Test
    void read_invalidAndDuplicateLines_getNoCompositionWarning() {
        String line = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}," + ASSISTANT + "]}";
        String input = String.join("\n", line, line, "{\"messages\":[{\"role\":\"user\",\"content\":null}," + ASSISTANT + "]}");

        ValidationReport report = read(input);

        assertThat(report.count(IssueCode.MISSING_SYSTEM_MESSAGE)).isEqualTo(1);
        assertThat(report.count(IssueCode.DUPLICATE)).isEqualTo(1);
        assertThat(report.count(IssueCode.MISSING_CONTENT)).isEqualTo(1);
    }

    @Test
    void read_doubleEncodedToolCallArguments_areAWarningNamingTheCall() {
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"takeoff_drone\"}}]";
        String call = "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_id\",\"type\":\"function\","
                + "\"function\":{\"name\":\"takeoff_drone\",\"arguments\":%s}}]}";
        String user = "{\"role\":\"user\",\"content\":\"Up to 100 m\"}";
        String input = String.join("\n",
                // {"altitude": 100} encoded once: fine
                "{\"messages\":[" + SYSTEM + "," + user + "," + String.format(call, "\"{\\\"altitude\\\": 100}\"") + "]" + tools + "}",
                // encoded twice: a JSON string whose text is a JSON string holding the object
                "{\"messages\":[" + SYSTEM + "," + user + "," + String.format(call, "\"\\\"{\\\\\\\"altitude\\\\\\\": 100}\\\"\"")
                        + "]" + tools + "}",
                // a JSON string that is only a string: odd, but not double encoding
                "{\"messages\":[" + SYSTEM + "," + user + "," + String.format(call, "\"\\\"up\\\"\"") + "]" + tools + "}");

        ValidationReport report = read(input);

        assertThat(report.valid()).isEqualTo(3);
        assertThat(report.warnings()).extracting(ValidationIssue::line, ValidationIssue::code, ValidationIssue::message)
                .containsExactly(tuple(2L, IssueCode.DOUBLE_ENCODED_ARGUMENTS, "messages[2].tool_calls[0] (takeoff_drone) "
                        + "arguments '\"{\\\"altitude\\\": 100}\"' are a JSON string holding '{\"altitude\": 100}': encoded "
                        + "twice, so the model learns to write an escaped string; write the inner JSON once"));
        assertThat(accepted.get(1).example().messages().get(2).toolCalls().get(0).arguments())
                .isEqualTo("\"{\\\"altitude\\\": 100}\"");
    }

    private ValidationReport read(String text) {
        accepted.clear();
        return JsonlReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ImportOptions.defaults(),
                accepted::add);
    }
}
