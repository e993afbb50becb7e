package dev.finetune4j.format;

import static dev.finetune4j.format.ConversionFixtures.convert;
import static dev.finetune4j.format.ConversionFixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.dataset.ValidationIssue.Severity;
import dev.finetune4j.internal.format.LineDecoders;
import dev.finetune4j.internal.validate.LineDecoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatAlpacaTest {

    private final LineDecoder decoder = LineDecoders.forFormat(DatasetFormat.ALPACA, DataRules.standard());

    // ---- export ----

    @Test
    void export_systemUserAssistant_userIsTheInstruction_andSystemGoesToTheSystemColumn() {
        ConversionFixtures.Converted c = convert(DatasetFormat.ALPACA, ConversionFixtures.typical());

        // LLaMA-Factory's extended alpaca form: instruction = the user's request, system = the system prompt
        assertThat(c.line(0)).isEqualTo("{\"instruction\":\"3 sets of 10 squats\",\"input\":\"\","
                + "\"output\":\"{\\\"sets\\\":3,\\\"reps\\\":10}\",\"system\":\"You parse workout commands.\"}");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void export_withoutSystem_userIsTheInstructionAndInputIsEmpty() {
        ConversionFixtures.Converted c = convert(DatasetFormat.ALPACA,
                Example.of(Message.user("Name three colours."), Message.assistant("Red, green, blue.")));

        assertThat(c.line(0)).isEqualTo(
                "{\"instruction\":\"Name three colours.\",\"input\":\"\",\"output\":\"Red, green, blue.\"}");
    }

    @Test
    void export_weight0_isKeptAsTrainedAndReported() {
        Example e = Example.of(Message.user("Hi"), Message.assistant("Hello").withWeight(0));

        ConversionFixtures.Converted c = convert(DatasetFormat.ALPACA, e);

        assertThat(c.line(0)).isEqualTo("{\"instruction\":\"Hi\",\"input\":\"\",\"output\":\"Hello\"}");
        assertThat(c.report().losses()).containsExactly(entry(ConversionLoss.WEIGHT_DROPPED, 1L));
        assertThat(c.report().notes()).containsExactly("example 1 (id " + e.id()
                + "): weight 0 on messages[1] cannot be expressed in alpaca; the turn is kept as trained");
    }

    @Test
    void export_namesAndUnusedToolDefinitions_areDroppedAndReported() {
        Example e = Example.builder()
                .message(Message.user("Hi").withName("ana"))
                .message(Message.assistant("Hello"))
                .tool(ToolDefinition.of("get_weather", null, null))
                .build();

        ConversionFixtures.Converted c = convert(DatasetFormat.ALPACA, e);

        assertThat(c.line(0)).isEqualTo("{\"instruction\":\"Hi\",\"input\":\"\",\"output\":\"Hello\"}");
        assertThat(c.report().losses()).containsExactly(
                entry(ConversionLoss.NAME_DROPPED, 1L), entry(ConversionLoss.TOOLS_DROPPED, 1L));
        assertThat(c.report().notes()).containsExactly(
                "example 1 (id " + e.id() + "): name on messages[0] dropped; alpaca has no participant names",
                "example 1 (id " + e.id() + "): 1 tool definition (get_weather) dropped; alpaca has no tools");
    }

    @Test
    void export_inexpressibleExamples_areSkippedWithOneReasonEach() {
        Example noUser = Example.of(Message.system("Greet."), Message.assistant("Hello!"));
        Example noAssistant = Example.of(Message.user("Hi"));
        Example lateSystem = Example.of(Message.user("Hi"), Message.system("Be nice."), Message.assistant("Hello"));
        Example reversed = Example.of(Message.assistant("Hello"), Message.user("Hi"));

        ConversionFixtures.Converted c = convert(DatasetFormat.ALPACA, ConversionFixtures.multiTurn(),
                ConversionFixtures.withTools(), ConversionFixtures.weighted(), noUser, noAssistant, lateSystem,
                reversed, ConversionFixtures.typical());

        ConversionReport r = c.report();
        assertThat(c.lines()).hasSize(1);
        assertThat(r.examplesRead()).isEqualTo(8);
        assertThat(r.examplesWritten()).isEqualTo(1);
        assertThat(r.examplesSkipped()).isEqualTo(7);
        assertThat(r.losses()).containsExactly(
                entry(ConversionLoss.MULTI_TURN_NOT_SUPPORTED, 2L),
                entry(ConversionLoss.TOOL_CALLS_NOT_SUPPORTED, 1L),
                entry(ConversionLoss.NO_USER_MESSAGE, 1L),
                entry(ConversionLoss.NO_ASSISTANT_MESSAGE, 1L),
                entry(ConversionLoss.ROLES_NOT_ALTERNATING, 1L),
                entry(ConversionLoss.SYSTEM_NOT_LEADING, 1L));
        assertThat(r.losses().entrySet().stream().filter(e -> e.getKey().skipsExample())
                .mapToLong(e -> e.getValue()).sum()).isEqualTo(r.examplesSkipped());
        assertThat(r.notes()).containsExactly(
                "example 1 (id " + ConversionFixtures.multiTurn().id() + "): skipped: 2 user and 2 assistant messages;"
                        + " alpaca holds one user message and one assistant reply",
                "example 2 (id " + ConversionFixtures.withTools().id() + "): skipped: messages[2] calls tools; alpaca"
                        + " cannot express tool calls",
                "example 3 (id " + ConversionFixtures.weighted().id() + "): skipped: 2 user and 2 assistant messages;"
                        + " alpaca holds one user message and one assistant reply",
                "example 4 (id " + noUser.id() + "): skipped: no user message; alpaca needs one",
                "example 5 (id " + noAssistant.id() + "): skipped: no assistant message; alpaca needs one as the "
                        + "output",
                "example 6 (id " + lateSystem.id() + "): skipped: messages[1] is a system message; alpaca takes a "
                        + "system message only as the first message",
                "example 7 (id " + reversed.id() + "): skipped: the assistant message messages[0] comes before the "
                        + "user message messages[1]; alpaca needs the user message first");
    }

    @Test
    void export_toolMessageWithoutCall_isSkippedAsToolMessage() {
        Example e = Example.of(Message.user("Hi"), Message.tool("call_1", "{}"), Message.assistant("Hello"));

        ConversionFixtures.Converted c = convert(DatasetFormat.ALPACA, e);

        assertThat(c.report().losses()).containsExactly(entry(ConversionLoss.TOOL_MESSAGES_NOT_SUPPORTED, 1L));
    }

    // ---- import ----

    @Test
    void import_emptyInput_userIsTheInstruction() {
        List<ValidationIssue> issues = new ArrayList<>();

        Example e = decoder.read(parse("{\"instruction\":\"Name three colours.\",\"input\":\"\","
                + "\"output\":\"Red, green, blue.\"}"), 1, issues);

        assertThat(issues).isEmpty();
        assertThat(e).isEqualTo(Example.of(Message.user("Name three colours."), Message.assistant("Red, green, blue.")));
    }

    @Test
    void import_absentOrNullInput_isTreatedAsEmpty() {
        List<ValidationIssue> issues = new ArrayList<>();

        Example absent = decoder.read(parse("{\"instruction\":\"Hi\",\"output\":\"Hello\"}"), 1, issues);
        Example nullInput = decoder.read(parse("{\"instruction\":\"Hi\",\"input\":null,\"output\":\"Hello\"}"), 2,
                issues);

        assertThat(issues).isEmpty();
        assertThat(absent).isEqualTo(Example.of(Message.user("Hi"), Message.assistant("Hello")));
        assertThat(nullInput).isEqualTo(absent);
    }

    @Test
    void import_withInput_userIsInstructionNewlineInput() {
        List<ValidationIssue> issues = new ArrayList<>();

        Example e = decoder.read(parse("{\"instruction\":\"Translate to French.\",\"input\":\"Good morning\","
                + "\"output\":\"Bonjour\"}"), 1, issues);

        assertThat(issues).isEmpty();
        // LLaMA-Factory: the human prompt is instruction\ninput
        assertThat(e).isEqualTo(Example.of(Message.user("Translate to French.\nGood morning"),
                Message.assistant("Bonjour")));
    }

    @Test
    void import_llamaFactoryExtendedForm_systemAndHistoryBecomeMessages() {
        List<ValidationIssue> issues = new ArrayList<>();

        Example e = decoder.read(parse("{\"instruction\":\"And in Rome?\",\"input\":\"\",\"output\":\"24 degrees.\","
                + "\"system\":\"You report the weather.\",\"history\":[[\"Weather in Paris?\",\"18 degrees.\"],"
                + "[\"And in Oslo?\",\"9 degrees.\"]]}"), 1, issues);

        assertThat(issues).isEmpty();
        assertThat(e).isEqualTo(Example.of(Message.system("You report the weather."),
                Message.user("Weather in Paris?"), Message.assistant("18 degrees."),
                Message.user("And in Oslo?"), Message.assistant("9 degrees."),
                Message.user("And in Rome?"), Message.assistant("24 degrees.")));
    }

    @Test
    void import_emptySystemColumn_meansNoSystemMessage() {
        List<ValidationIssue> issues = new ArrayList<>();

        Example e = decoder.read(parse("{\"instruction\":\"Hi\",\"output\":\"Hello\",\"system\":\"\"}"), 1, issues);

        assertThat(issues).isEmpty();
        assertThat(e).isEqualTo(Example.of(Message.user("Hi"), Message.assistant("Hello")));
    }

    @Test
    void import_unknownKey_isAWarningAndTheLineIsKept() {
        List<ValidationIssue> issues = new ArrayList<>();

        Example e = decoder.read(parse("{\"instruction\":\"Hi\",\"input\":\"\",\"output\":\"Hello\",\"text\":\"x\"}"),
                7, issues);

        assertThat(e).isNotNull();
        assertThat(issues).containsExactly(new ValidationIssue(7, IssueCode.EXAMPLE_UNRECOGNIZED_KEY, Severity.WARNING,
                "unrecognized key 'text' is ignored; alpaca keys are instruction, input, output, system, history"));
    }

    @Test
    void import_badLines_reportPreciseErrors() {
        List<ValidationIssue> issues = new ArrayList<>();

        assertThat(decoder.read(parse("[1,2]"), 1, issues)).isNull();
        assertThat(decoder.read(parse("{\"input\":\"x\",\"output\":\"y\"}"), 2, issues)).isNull();
        assertThat(decoder.read(parse("{\"instruction\":\"x\",\"output\":null}"), 3, issues)).isNull();
        assertThat(decoder.read(parse("{\"instruction\":\"x\",\"input\":3,\"output\":\"y\"}"), 4, issues)).isNull();
        assertThat(decoder.read(parse("{\"instruction\":\"\",\"output\":\"y\"}"), 5, issues)).isNull();
        assertThat(decoder.read(parse("{\"instruction\":[\"x\"],\"output\":\"y\"}"), 6, issues)).isNull();
        assertThat(decoder.read(parse("{\"instruction\":\"x\",\"output\":\"y\",\"system\":1}"), 7, issues)).isNull();
        assertThat(decoder.read(parse("{\"instruction\":\"x\",\"output\":\"y\",\"history\":{}}"), 8, issues)).isNull();
        assertThat(decoder.read(parse("{\"instruction\":\"x\",\"output\":\"y\",\"history\":[[\"a\"]]}"), 9, issues))
                .isNull();

        assertThat(issues).containsExactly(
                error(1, IssueCode.DATA_TYPE, "each line must be a JSON object with \"instruction\" and \"output\", "
                        + "found an array"),
                error(2, IssueCode.MISSING_CONTENT, "no \"instruction\"; alpaca lines need string \"instruction\" "
                        + "and \"output\""),
                error(3, IssueCode.MISSING_CONTENT, "null \"output\"; alpaca lines need string \"instruction\" "
                        + "and \"output\""),
                error(4, IssueCode.MISSING_CONTENT, "\"input\" must be a string, found number 3"),
                error(5, IssueCode.MISSING_CONTENT, "\"instruction\" is empty; alpaca lines need a non-empty "
                        + "\"instruction\" and \"output\""),
                error(6, IssueCode.MISSING_CONTENT, "\"instruction\" must be a string, found an array"),
                error(7, IssueCode.MISSING_CONTENT, "\"system\" must be a string, found number 1"),
                error(8, IssueCode.MISSING_CONTENT, "\"history\" must be an array of [instruction, response] pairs, "
                        + "found an object"),
                error(9, IssueCode.MISSING_CONTENT, "history[0] must be [instruction, response], two non-empty strings, "
                        + "found an array"));
    }

    // ---- round trips ----

    @Test
    void roundTrip_importThenExport_isByteIdenticalForEmptyInputs() {
        String file = "{\"instruction\":\"Name three colours.\",\"input\":\"\",\"output\":\"Red, green, blue.\"}\n"
                + "{\"instruction\":\"用中文说你好\",\"input\":\"\",\"output\":\"你好 👋\"}\n";

        ConversionFixtures.Converted c = convert(DatasetFormat.ALPACA, importAll(file).toArray(Example[]::new));

        assertThat(c.text()).isEqualTo(file);
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void roundTrip_importThenExport_foldsAnInputIntoTheInstruction() {
        String line = "{\"instruction\":\"Translate to French.\",\"input\":\"Good morning\",\"output\":\"Bonjour\"}";

        ConversionFixtures.Converted c = convert(DatasetFormat.ALPACA, importAll(line).toArray(Example[]::new));

        assertThat(c.line(0)).isEqualTo("{\"instruction\":\"Translate to French.\\nGood morning\","
                + "\"input\":\"\",\"output\":\"Bonjour\"}");
    }

    @Test
    void roundTrip_systemColumn_staysTheSystem_neverFoldedIntoTheUserMessage() {
        String file = "{\"instruction\":\"3 sets of 10 squats\",\"input\":\"\",\"output\":\"{\\\"sets\\\":3}\","
                + "\"system\":\"You parse workout commands.\"}\n";

        List<Example> imported = importAll(file);
        ConversionFixtures.Converted c = convert(DatasetFormat.ALPACA, imported.toArray(Example[]::new));

        assertThat(imported.get(0).messages()).containsExactly(Message.system("You parse workout commands."),
                Message.user("3 sets of 10 squats"), Message.assistant("{\"sets\":3}"));
        assertThat(c.text()).isEqualTo(file);
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void roundTrip_chatExampleWithSystem_exportThenImport_givesTheSameExample() {
        Example chat = ConversionFixtures.typical();

        ConversionFixtures.Converted c = convert(DatasetFormat.ALPACA, chat);

        assertThat(importAll(c.text())).containsExactly(chat);
    }

    private List<Example> importAll(String file) {
        List<ValidationIssue> issues = new ArrayList<>();
        List<Example> examples = new ArrayList<>();
        long n = 0;
        for (String line : file.split("\n")) {
            examples.add(decoder.read(parse(line), ++n, issues));
        }
        assertThat(issues).isEmpty();
        return examples;
    }

    private static ValidationIssue error(long line, IssueCode code, String message) {
        return new ValidationIssue(line, code, Severity.ERROR, message);
    }
}
