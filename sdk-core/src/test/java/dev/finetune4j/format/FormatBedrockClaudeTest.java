package dev.finetune4j.format;

import static dev.finetune4j.format.ConversionFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolDefinition;
import org.junit.jupiter.api.Test;

class FormatBedrockClaudeTest {

    @Test
    void typicalExample_systemIsATopLevelString() {
        ConversionFixtures.Converted c = convert(DatasetFormat.BEDROCK_CLAUDE, ConversionFixtures.typical());

        assertThat(c.line(0)).isEqualTo("{\"system\":\"You parse workout commands.\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"3 sets of 10 squats\"},"
                + "{\"role\":\"assistant\",\"content\":\"{\\\"sets\\\":3,\\\"reps\\\":10}\"}]}");
        assertThat(c.tree(0).fieldNames()).toIterable().containsExactly("system", "messages");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void multiTurnWithoutSystem_hasNoSystemKey() {
        ConversionFixtures.Converted c = convert(DatasetFormat.BEDROCK_CLAUDE, ConversionFixtures.multiTurn());

        assertThat(c.line(0)).isEqualTo("{\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"},"
                + "{\"role\":\"user\",\"content\":\"How are you?\"},{\"role\":\"assistant\",\"content\":\"Fine\"}]}");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void weight0_isDroppedAndReported() {
        ConversionFixtures.Converted c = convert(DatasetFormat.BEDROCK_CLAUDE, ConversionFixtures.weighted());

        assertThat(c.line(0)).isEqualTo("{\"system\":\"Be brief.\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello there, how can I help you today?\"},"
                + "{\"role\":\"user\",\"content\":\"Bye\"},{\"role\":\"assistant\",\"content\":\"Goodbye!\"}]}");
        assertThat(c.report().losses()).containsExactly(entry(ConversionLoss.WEIGHT_DROPPED, 1L));
    }

    @Test
    void trailingUserMessage_namesAndToolDefinitions_areDroppedAndReported() {
        Example e = Example.builder()
                .message(Message.user("Hi").withName("ana"))
                .message(Message.assistant("Hello"))
                .message(Message.user("Still there?"))
                .tool(ToolDefinition.of("get_weather", null, null))
                .parallelToolCalls(false)
                .build();

        ConversionFixtures.Converted c = convert(DatasetFormat.BEDROCK_CLAUDE, e);

        assertThat(c.line(0)).isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello\"}]}");
        assertThat(c.report().losses()).containsExactly(
                entry(ConversionLoss.NAME_DROPPED, 1L),
                entry(ConversionLoss.PARALLEL_TOOL_CALLS_DROPPED, 1L),
                entry(ConversionLoss.TOOLS_DROPPED, 1L),
                entry(ConversionLoss.TRAILING_MESSAGES_DROPPED, 1L));
        assertThat(c.report().examplesSkipped()).isZero();
    }

    @Test
    void toolsRolesAndSystemPosition_skipTheExampleWithOneReasonEach() {
        Example toolMessageOnly = Example.of(Message.user("Hi"), Message.tool("c1", "x"), Message.assistant("Ok"));
        Example twoUsers = Example.of(Message.user("Hi"), Message.user("Hello?"), Message.assistant("Yes"));
        Example assistantFirst = Example.of(Message.assistant("Welcome"), Message.user("Hi"),
                Message.assistant("Hello"));
        Example noUser = Example.of(Message.system("Greet."), Message.assistant("Hello!"));
        Example noAssistant = Example.of(Message.user("Hi"));
        Example lateSystem = Example.of(Message.user("Hi"), Message.system("Be nice."), Message.assistant("Hello"));

        ConversionFixtures.Converted c = convert(DatasetFormat.BEDROCK_CLAUDE, ConversionFixtures.withTools(),
                toolMessageOnly, twoUsers, assistantFirst, noUser, noAssistant, lateSystem);

        ConversionReport r = c.report();
        assertThat(c.lines()).isEmpty();
        assertThat(r.examplesRead()).isEqualTo(7);
        assertThat(r.examplesSkipped()).isEqualTo(7);
        assertThat(r.losses()).containsExactly(
                entry(ConversionLoss.TOOL_CALLS_NOT_SUPPORTED, 1L),
                entry(ConversionLoss.TOOL_MESSAGES_NOT_SUPPORTED, 1L),
                entry(ConversionLoss.NO_USER_MESSAGE, 1L),
                entry(ConversionLoss.NO_ASSISTANT_MESSAGE, 1L),
                entry(ConversionLoss.ROLES_NOT_ALTERNATING, 2L),
                entry(ConversionLoss.SYSTEM_NOT_LEADING, 1L));
        assertThat(r.notes()).containsExactly(
                "example 1 (id " + ConversionFixtures.withTools().id() + "): skipped: messages[2] calls tools; "
                        + "bedrock-claude cannot express tool calls",
                "example 2 (id " + toolMessageOnly.id() + "): skipped: messages[1] is a tool message; bedrock-claude "
                        + "cannot express tool results",
                "example 3 (id " + twoUsers.id() + "): skipped: messages[0] and messages[1] are both user; "
                        + "bedrock-claude needs user and assistant messages to alternate",
                "example 4 (id " + assistantFirst.id() + "): skipped: the conversation starts with messages[0] "
                        + "(assistant); bedrock-claude needs a user message first",
                "example 5 (id " + noUser.id() + "): skipped: no user message; bedrock-claude needs one first",
                "example 6 (id " + noAssistant.id() + "): skipped: no assistant message; bedrock-claude needs one "
                        + "last",
                "example 7 (id " + lateSystem.id() + "): skipped: messages[1] is a system message; bedrock-claude "
                        + "takes a system message only as the first message");
    }
}
