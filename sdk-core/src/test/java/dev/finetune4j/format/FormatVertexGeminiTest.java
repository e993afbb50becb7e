package dev.finetune4j.format;

import static dev.finetune4j.format.ConversionFixtures.assertJson;
import static dev.finetune4j.format.ConversionFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatVertexGeminiTest {

    @Test
    void typicalExample_systemBecomesSystemInstruction_assistantBecomesModel() {
        ConversionFixtures.Converted c = convert(DatasetFormat.VERTEX_GEMINI, ConversionFixtures.typical());

        assertJson(c.line(0), "{\"systemInstruction\":{\"parts\":[{\"text\":\"You parse workout commands.\"}]},"
                + "\"contents\":["
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"3 sets of 10 squats\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"{\\\"sets\\\":3,\\\"reps\\\":10}\"}]}]}");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void multiTurnWithoutSystem_hasNoSystemInstruction() {
        ConversionFixtures.Converted c = convert(DatasetFormat.VERTEX_GEMINI, ConversionFixtures.multiTurn());

        assertJson(c.line(0), "{\"contents\":["
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Hello\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"How are you?\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Fine\"}]}]}");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void weights_areDroppedAndOnlyWeight0IsReported() {
        ConversionFixtures.Converted c = convert(DatasetFormat.VERTEX_GEMINI, ConversionFixtures.weighted());

        assertThat(c.line(0)).doesNotContain("weight");
        assertThat(c.tree(0).get("contents")).hasSize(4);
        assertThat(c.report().losses()).containsExactly(entry(ConversionLoss.WEIGHT_DROPPED, 1L));
        assertThat(c.report().notes()).containsExactly("example 1 (id " + ConversionFixtures.weighted().id()
                + "): weight 0 on messages[2] cannot be expressed in vertex-gemini; the turn is kept as trained");
    }

    @Test
    void toolCalls_becomeFunctionCallAndFunctionResponseParts_toolsBecomeFunctionDeclarations() {
        ConversionFixtures.Converted c = convert(DatasetFormat.VERTEX_GEMINI, ConversionFixtures.withTools());

        assertJson(c.line(0), "{\"systemInstruction\":{\"parts\":[{\"text\":\"You can look up the weather.\"}]},"
                + "\"contents\":["
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"Weather in Paris?\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
                + "\"args\":{\"city\":\"Paris\"}}}]},"
                + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\","
                + "\"response\":{\"content\":\"18°C, sunny\"}}}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"It is 18°C and sunny in Paris.\"}]}],"
                + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"description\":\"Get the weather\","
                + "\"parameters\":" + ConversionFixtures.WEATHER_SCHEMA + "}]}]}");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void parallelCalls_textBesideCalls_andTheirResultsShareOneTurn() {
        Example e = Example.builder()
                .message(Message.user("Weather in Paris and Rome?"))
                .message(Message.assistantToolCalls("Checking both.", List.of(
                        new ToolCall("a", "get_weather", "{\"city\":\"Paris\"}"),
                        new ToolCall("b", "get_time", "{\"city\":\"Rome\",\"utc\":true}"))))
                .message(Message.tool("b", "14:00"))
                .message(Message.tool("a", "18°C"))
                .message(Message.assistant("Paris 18°C; Rome 14:00."))
                .parallelToolCalls(true)
                .build();

        ConversionFixtures.Converted c = convert(DatasetFormat.VERTEX_GEMINI, e);

        assertJson(c.line(0), "{\"contents\":["
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"Weather in Paris and Rome?\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Checking both.\"},"
                + "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}},"
                + "{\"functionCall\":{\"name\":\"get_time\",\"args\":{\"city\":\"Rome\",\"utc\":true}}}]},"
                + "{\"role\":\"user\",\"parts\":["
                + "{\"functionResponse\":{\"name\":\"get_time\",\"response\":{\"content\":\"14:00\"}}},"
                + "{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"content\":\"18°C\"}}}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Paris 18°C; Rome 14:00.\"}]}]}");
        assertThat(c.report().losses()).containsExactly(entry(ConversionLoss.PARALLEL_TOOL_CALLS_DROPPED, 1L));
    }

    @Test
    void systemNotLeading_argumentsNotAnObject_unmatchedToolMessage_areSkipped() {
        Example lateSystem = Example.of(Message.user("Hi"), Message.system("Be nice."), Message.assistant("Hello"));
        Example badArgs = Example.of(Message.user("Hi"),
                Message.assistantToolCalls(null, List.of(new ToolCall("c1", "ping", "[1,2]"))),
                Message.tool("c1", "pong"), Message.assistant("Done"));
        Example unmatched = Example.of(Message.user("Hi"), Message.tool("zz", "pong"), Message.assistant("Done"));

        ConversionFixtures.Converted c = convert(DatasetFormat.VERTEX_GEMINI, lateSystem, badArgs, unmatched,
                ConversionFixtures.typical());

        ConversionReport r = c.report();
        assertThat(r.examplesWritten()).isEqualTo(1);
        assertThat(r.examplesSkipped()).isEqualTo(3);
        assertThat(r.losses()).containsExactly(
                entry(ConversionLoss.SYSTEM_NOT_LEADING, 1L),
                entry(ConversionLoss.TOOL_ARGUMENTS_NOT_OBJECT, 1L),
                entry(ConversionLoss.TOOL_MESSAGE_UNMATCHED, 1L));
        assertThat(r.notes()).containsExactly(
                "example 1 (id " + lateSystem.id() + "): skipped: messages[1] is a system message; vertex-gemini "
                        + "takes a system message only as the first message",
                "example 2 (id " + badArgs.id() + "): skipped: messages[1].tool_calls[0] (ping) arguments '[1,2]' "
                        + "are not a JSON object; vertex-gemini needs args as an object",
                "example 3 (id " + unmatched.id() + "): skipped: messages[1] answers tool_call_id 'zz', which no "
                        + "earlier tool call has; vertex-gemini needs the name of the function it answers");
    }

    @Test
    void names_areDroppedAndReported() {
        Example e = Example.of(Message.user("Hi").withName("ana"), Message.assistant("Hello"));

        ConversionFixtures.Converted c = convert(DatasetFormat.VERTEX_GEMINI, e);

        assertJson(c.line(0), "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"Hello\"}]}]}");
        assertThat(c.report().losses()).containsExactly(entry(ConversionLoss.NAME_DROPPED, 1L));
    }

    @Test
    void systemAndAssistantOnly_isSkippedAsNoUserMessage_likeAlpacaAndBedrock() {
        Example greeting = Example.of(Message.system("Greet the user."), Message.assistant("Hello! How can I help?"));

        for (DatasetFormat f : List.of(DatasetFormat.VERTEX_GEMINI, DatasetFormat.ALPACA, DatasetFormat.BEDROCK_CLAUDE)) {
            ConversionFixtures.Converted c = convert(f, greeting);

            assertThat(c.lines()).as(f.id()).isEmpty();
            assertThat(c.report().losses()).as(f.id()).containsExactly(entry(ConversionLoss.NO_USER_MESSAGE, 1L));
            assertThat(c.report().isLossless()).isFalse();
        }
        assertThat(convert(DatasetFormat.VERTEX_GEMINI, greeting).report().notes()).containsExactly("example 1 (id "
                + greeting.id() + "): skipped: no user message; vertex-gemini needs the contents to start with a user turn");
    }

    @Test
    void contentsThatWouldNotStartWithUserOrNotAlternate_areSkipped() {
        Example modelFirst = Example.of(Message.system("s"), Message.assistant("Hi there"), Message.user("Hi"),
                Message.assistant("Hello"));
        Example twoUsers = Example.of(Message.user("Hi"), Message.user("Are you there?"), Message.assistant("Yes"));
        Example userAfterToolResult = Example.builder()
                .message(Message.user("Weather?"))
                .message(Message.assistantToolCalls(null, List.of(new ToolCall("c1", "w", "{}"))))
                .message(Message.tool("c1", "18"))
                .message(Message.user("In Celsius please"))
                .message(Message.assistant("18 degrees"))
                .build();

        ConversionFixtures.Converted c = convert(DatasetFormat.VERTEX_GEMINI, modelFirst, twoUsers, userAfterToolResult,
                ConversionFixtures.withTools());

        assertThat(c.report().examplesWritten()).isEqualTo(1);
        assertThat(c.report().losses()).containsExactly(entry(ConversionLoss.ROLES_NOT_ALTERNATING, 3L));
        assertThat(c.report().notes()).containsExactly(
                "example 1 (id " + modelFirst.id() + "): skipped: the contents would start with a model turn "
                        + "(messages[1]); vertex-gemini needs a user turn first",
                "example 2 (id " + twoUsers.id() + "): skipped: messages[0] and messages[1] would be two user turns "
                        + "in a row; vertex-gemini needs user and model turns to alternate",
                "example 3 (id " + userAfterToolResult.id() + "): skipped: messages[2] and messages[3] would be two "
                        + "user turns in a row; vertex-gemini needs user and model turns to alternate");
    }
}
