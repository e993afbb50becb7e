package dev.finetune4j.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune4j.policy.MinimumExamples;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each optional check of {@link DataRules}: off, the line is valid; on, it is one error with its code. */
class DataRulesTest {

    private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"log_set\"}}]";

    static Stream<Arguments> checks() {
        return Stream.of(
                Arguments.of(DataCheck.SINGLE_LEADING_SYSTEM_MESSAGE,
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"system\",\"content\":\"Be"
                                + " brief.\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]}",
                        IssueCode.SYSTEM_MESSAGE_POSITION,
                        "messages[1] is a system message; Acme allows one system message, and only first"),
                Arguments.of(DataCheck.ASSISTANT_MESSAGE_LAST,
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":"
                                + "\"Hello\"},{\"role\":\"user\",\"content\":\"and?\"}]}",
                        IssueCode.LAST_MESSAGE_NOT_ASSISTANT,
                        "the last message is user; Acme requires an assistant message last"),
                Arguments.of(DataCheck.TOOL_MESSAGE_HAS_CALL_ID,
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"log it\"},{\"role\":\"assistant\","
                                + "\"tool_calls\":[{\"id\":\"Ab3De6Gh9\",\"type\":\"function\",\"function\":{\"name\":"
                                + "\"log_set\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"content\":\"ok\"},"
                                + "{\"role\":\"assistant\",\"content\":\"Logged.\"}]," + TOOLS + "}",
                        IssueCode.MESSAGE_MISSING_KEY,
                        "messages[2] (tool) has no \"tool_call_id\"; Acme requires one"),
                Arguments.of(DataCheck.CALLED_TOOLS_DEFINED,
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"log it\"},{\"role\":\"assistant\","
                                + "\"tool_calls\":[{\"id\":\"Ab3De6Gh9\",\"type\":\"function\",\"function\":{\"name\":"
                                + "\"log_rep\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"content\":\"ok\","
                                + "\"tool_call_id\":\"Ab3De6Gh9\"},{\"role\":\"assistant\",\"content\":\"Logged.\"}],"
                                + TOOLS + "}",
                        IssueCode.UNDEFINED_TOOL,
                        "messages[1] calls 'log_rep' which \"tools\" does not define; Acme requires every called "
                                + "tool to be defined"),
                Arguments.of(DataCheck.NO_CONTENT_BESIDE_TOOL_CALLS,
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"log it\"},{\"role\":\"assistant\","
                                + "\"content\":\"Sure.\",\"tool_calls\":[{\"id\":\"Ab3De6Gh9\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"log_set\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\","
                                + "\"content\":\"ok\",\"tool_call_id\":\"Ab3De6Gh9\"},{\"role\":\"assistant\","
                                + "\"content\":\"Logged.\"}]," + TOOLS + "}",
                        IssueCode.INVALID_TOOL_CALL,
                        "messages[1] has both content and tool_calls; Acme requires no content beside tool calls"),
                Arguments.of(DataCheck.NO_WEIGHTS,
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":"
                                + "\"Hello\",\"weight\":0},{\"role\":\"user\",\"content\":\"and?\"},{\"role\":"
                                + "\"assistant\",\"content\":\"Bye\"}]}",
                        IssueCode.INVALID_WEIGHT,
                        "messages[1] has a weight; Acme trains on every assistant message and takes no weights"));
    }

    @ParameterizedTest
    @MethodSource("checks")
    void eachOptionalCheck_appliesOnlyWhenEnabled(DataCheck check, String line, IssueCode code, String message) {
        DataRules on = DataRules.builder("Acme").enable(check).build();
        DataRules allButThis = DataRules.builder("Acme").enable(DataCheck.values()).disable(check).build();

        ValidationReport off = read(line, DataRules.standard());
        ValidationReport others = read(line, allButThis);
        ValidationReport enabled = read(line, on);

        assertThat(off.errors()).as("the shared checks accept it").isEmpty();
        assertThat(others.errors()).as("every other optional check accepts it").isEmpty();
        assertThat(enabled.invalid()).isEqualTo(1);
        assertThat(enabled.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo(code);
            assertThat(i.line()).isEqualTo(1);
            assertThat(i.message()).isEqualTo(message);
        });
        assertThat(on.applies(check)).isTrue();
        assertThat(allButThis.applies(check)).isFalse();
    }

    @Test
    void toolCallIdFormat_appliesOnlyWhenSet_andQuotesTheFormInWords() {
        String line = "{\"messages\":[{\"role\":\"user\",\"content\":\"log it\"},{\"role\":\"assistant\","
                + "\"tool_calls\":[{\"id\":\"call_abcd\",\"type\":\"function\",\"function\":{\"name\":\"log_set\","
                + "\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"content\":\"ok\",\"tool_call_id\":\"call_abcd\"},"
                + "{\"role\":\"assistant\",\"content\":\"Logged.\"}]," + TOOLS + "}";
        DataRules nine = DataRules.builder("Acme")
                .toolCallIdFormat("[a-zA-Z0-9]{9}", "exactly 9 characters, each a-z, A-Z or 0-9").build();

        assertThat(read(line, DataRules.standard()).errors()).isEmpty();
        assertThat(read(line, nine.toBuilder().anyToolCallId().build()).errors()).isEmpty();
        assertThat(read(line, nine).issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo(IssueCode.TOOL_CALL_ID_MISMATCH);
            assertThat(i.message()).isEqualTo("messages[1].tool_calls[0] id 'call_abcd' has 9 characters; Acme "
                    + "requires exactly 9 characters, each a-z, A-Z or 0-9");
        });
        assertThat(read(line.replace("call_abcd", "Ab3De6Gh9"), nine).errors()).isEmpty();
        assertThat(nine.toolCallIdFormat()).contains("exactly 9 characters, each a-z, A-Z or 0-9");
        assertThatThrownBy(() -> DataRules.builder("Acme").toolCallIdFormat("[a-z", "broken"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'[a-z' is not a regular expression");
    }

    @Test
    void theMistralFormat_hasMistralsRules_andTheOthersTheSharedOnes() {
        DataRules mistral = dev.finetune4j.format.DatasetFormat.MISTRAL.rules();

        assertThat(mistral.owner()).isEqualTo("Mistral");
        assertThat(mistral.checks()).containsExactly(DataCheck.SINGLE_LEADING_SYSTEM_MESSAGE,
                DataCheck.ASSISTANT_MESSAGE_LAST, DataCheck.TOOL_MESSAGE_HAS_CALL_ID, DataCheck.CALLED_TOOLS_DEFINED,
                DataCheck.NO_CONTENT_BESIDE_TOOL_CALLS);
        assertThat(mistral.acceptsToolCallId("Ab3De6Gh9")).isTrue();
        assertThat(mistral.acceptsToolCallId("call_1")).isFalse();
        assertThat(dev.finetune4j.format.DatasetFormat.OPENAI.rules()).isEqualTo(DataRules.standard());
        assertThat(DataRules.standard().checks()).isEmpty();
    }

    @Test
    void minimumsAndTokenLimits_matchByLongestPrefix_andFineTunedIdsByTheirBase() {
        DataRules rules = DataRules.builder("Acme")
                .minimumExamples(new MinimumExamples(5, 50, "acme docs"))
                .minimumExamples("acme-large", new MinimumExamples(20, 100, "acme docs, large"))
                .maxTokensPerExample("acme", 8_192)
                .maxTokensPerExample("acme-large", 32_768)
                .unknownMaxTokensPerExample("acme-large-preview")
                .build();

        assertThat(rules.minimumExamples("acme-small-2025").orElseThrow().hard()).isEqualTo(5);
        assertThat(rules.minimumExamples("ACME-Large-2025").orElseThrow().hard()).isEqualTo(20);
        assertThat(rules.minimumExamples("ft:acme-large-2025:org::x").orElseThrow().hard()).isEqualTo(20);
        assertThat(rules.maxTokensPerExample("acme-small")).hasValue(8_192);
        assertThat(rules.maxTokensPerExample("acme-large-2025")).hasValue(32_768);
        assertThat(rules.maxTokensPerExample("acme-large-preview-1")).isEmpty();
        assertThat(rules.maxTokensPerExample("other")).isEmpty();
        assertThat(DataRules.standard().minimumExamples("acme")).isEmpty();
        assertThatThrownBy(() -> DataRules.builder("Acme").maxTokensPerExample("", 0))
                .hasMessage("maxTokens must be at least 1, was 0");
    }

    @Test
    void toBuilder_keepsEverything_andRulesAreValues() {
        DataRules rules = DataRules.builder("Acme").enable(DataCheck.ASSISTANT_MESSAGE_LAST)
                .toolCallIdFormat("[0-9]+", "digits").minimumExamples(new MinimumExamples(2, 3, "s"))
                .maxTokensPerExample("m", 10).build();

        assertThat(rules.toBuilder().build()).isEqualTo(rules).hasSameHashCodeAs(rules);
        assertThat(rules.toBuilder().disable(DataCheck.ASSISTANT_MESSAGE_LAST).build()).isNotEqualTo(rules);
        assertThat(rules.toString()).contains("Acme", "ASSISTANT_MESSAGE_LAST", "digits");
        assertThatThrownBy(() -> DataRules.builder(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    private static ValidationReport read(String line, DataRules rules) {
        List<ReadExample> read = new ArrayList<>();
        return JsonlReader.read(new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)),
                ImportOptions.builder().rules(rules).parallelism(1).build(), read::add);
    }
}
