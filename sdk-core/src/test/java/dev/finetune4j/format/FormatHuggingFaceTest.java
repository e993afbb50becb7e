package dev.finetune4j.format;

import static dev.finetune4j.format.ConversionFixtures.assertJson;
import static dev.finetune4j.format.ConversionFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import org.junit.jupiter.api.Test;

class FormatHuggingFaceTest {

    /** With the arguments as an object, as Transformers chat templates want them (the default). */
    private static final String TOOL_MESSAGES = "["
            + "{\"role\":\"system\",\"content\":\"You can look up the weather.\"},"
            + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
            + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}}]},"
            + "{\"role\":\"tool\",\"content\":\"18°C, sunny\",\"tool_call_id\":\"call_1\"}";
    private static final WriterOptions STRINGS =
            WriterOptions.builder().toolArguments(WriterOptions.ToolArguments.STRING).build();
    private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"description\":\"Get the weather\",\"parameters\":" + ConversionFixtures.WEATHER_SCHEMA + "}}]";

    // ---- hf-messages ----

    @Test
    void messages_typicalExample() {
        ConversionFixtures.Converted c = convert(DatasetFormat.HF_MESSAGES, ConversionFixtures.typical());

        assertJson(c.line(0), "{\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You parse workout commands.\"},"
                + "{\"role\":\"user\",\"content\":\"3 sets of 10 squats\"},"
                + "{\"role\":\"assistant\",\"content\":\"{\\\"sets\\\":3,\\\"reps\\\":10}\"}]}");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void messages_weight0_isDroppedAndReportedOnce_weight1IsNotALoss() {
        ConversionFixtures.Converted c = convert(DatasetFormat.HF_MESSAGES, ConversionFixtures.weighted());

        assertJson(c.line(0), "{\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello there, how can I help you today?\"},"
                + "{\"role\":\"user\",\"content\":\"Bye\"},"
                + "{\"role\":\"assistant\",\"content\":\"Goodbye!\"}]}");
        assertThat(c.report().losses()).containsExactly(entry(ConversionLoss.WEIGHT_DROPPED, 1L));
        assertThat(c.report().notes()).containsExactly("example 1 (id " + ConversionFixtures.weighted().id()
                + "): weight 0 on messages[2] cannot be expressed in hf-messages; the turn is kept as trained");
        assertThat(c.report().examplesWritten()).isEqualTo(1);
    }

    @Test
    void messages_toolCallsToolMessagesAndTools_keepTheOpenAiShape_withArgumentsAsAnObject() {
        ConversionFixtures.Converted c = convert(DatasetFormat.HF_MESSAGES, ConversionFixtures.withTools());

        assertJson(c.line(0), "{\"messages\":" + TOOL_MESSAGES + ","
                + "{\"role\":\"assistant\",\"content\":\"It is 18°C and sunny in Paris.\"}],"
                + "\"tools\":" + TOOLS + "}");
        assertThat(c.tree(0).get("messages").get(2).get("tool_calls").get(0).get("function").get("arguments").isObject())
                .isTrue();
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void messages_toolArgumentsAsStrings_keepTheOpenAiString() {
        ConversionFixtures.Converted c = ConversionFixtures.convert(DatasetFormat.HF_MESSAGES, STRINGS,
                ConversionFixtures.withTools());

        assertThat(c.line(0)).isEqualTo(ConversionFixtures.withTools().toJson());
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void messages_argumentsThatAreNotAnObject_skipTheExample_unlessWrittenAsStrings() {
        Example doubleEncoded = Example.builder()
                .message(Message.user("Up"))
                .message(Message.assistantToolCalls(null, java.util.List.of(new dev.finetune4j.dataset.ToolCall(
                        "call_id", "takeoff_drone", "\"{\\\"altitude\\\": 100}\""))))
                .build();

        ConversionFixtures.Converted objects = convert(DatasetFormat.HF_MESSAGES, doubleEncoded,
                ConversionFixtures.typical());
        ConversionFixtures.Converted strings = ConversionFixtures.convert(DatasetFormat.HF_MESSAGES, STRINGS,
                doubleEncoded);

        assertThat(objects.report().examplesWritten()).isEqualTo(1);
        assertThat(objects.report().losses()).containsExactly(entry(ConversionLoss.TOOL_ARGUMENTS_NOT_OBJECT, 1L));
        assertThat(objects.report().notes()).containsExactly("example 1 (id " + doubleEncoded.id() + "): skipped: "
                + "messages[1].tool_calls[0] (takeoff_drone) arguments '\"{\\\"altitude\\\": 100}\"' are not a JSON "
                + "object; hf-messages writes arguments as an object, as chat templates expect (tool arguments as "
                + "strings keep it)");
        assertThat(strings.line(0)).isEqualTo(doubleEncoded.toJson());
    }

    @Test
    void messages_multiTurn_isWrittenWhole() {
        ConversionFixtures.Converted c = convert(DatasetFormat.HF_MESSAGES, ConversionFixtures.multiTurn());

        assertThat(c.line(0)).isEqualTo(ConversionFixtures.multiTurn().toJson());
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void messages_namesAndParallelFlag_areDroppedAndCountedPerExample() {
        Example named = Example.builder()
                .message(Message.user("Hi").withName("ana"))
                .message(Message.assistant("Hello").withName("bot"))
                .parallelToolCalls(false)
                .build();

        ConversionFixtures.Converted c = convert(DatasetFormat.HF_MESSAGES, named, named, ConversionFixtures.typical());

        assertJson(c.line(0), "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello\"}]}");
        assertThat(c.report().losses()).containsExactly(
                entry(ConversionLoss.NAME_DROPPED, 2L), entry(ConversionLoss.PARALLEL_TOOL_CALLS_DROPPED, 2L));
        assertThat(c.report().notes()).hasSize(4);
    }

    // ---- hf-prompt-completion ----

    @Test
    void promptCompletion_typicalExample() {
        ConversionFixtures.Converted c = convert(DatasetFormat.HF_PROMPT_COMPLETION, ConversionFixtures.typical());

        assertJson(c.line(0), "{\"prompt\":["
                + "{\"role\":\"system\",\"content\":\"You parse workout commands.\"},"
                + "{\"role\":\"user\",\"content\":\"3 sets of 10 squats\"}],"
                + "\"completion\":[{\"role\":\"assistant\",\"content\":\"{\\\"sets\\\":3,\\\"reps\\\":10}\"}]}");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void promptCompletion_weight0OnEarlierTurn_isExactlyWhatThePromptMeans() {
        ConversionFixtures.Converted c = convert(DatasetFormat.HF_PROMPT_COMPLETION, ConversionFixtures.weighted());

        assertJson(c.line(0), "{\"prompt\":["
                + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello there, how can I help you today?\"},"
                + "{\"role\":\"user\",\"content\":\"Bye\"}],"
                + "\"completion\":[{\"role\":\"assistant\",\"content\":\"Goodbye!\"}]}");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void promptCompletion_multiTurn_isWrittenButEarlierTrainedTurnsAreReported() {
        ConversionFixtures.Converted c = convert(DatasetFormat.HF_PROMPT_COMPLETION, ConversionFixtures.multiTurn());

        assertJson(c.line(0), "{\"prompt\":["
                + "{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello\"},"
                + "{\"role\":\"user\",\"content\":\"How are you?\"}],"
                + "\"completion\":[{\"role\":\"assistant\",\"content\":\"Fine\"}]}");
        assertThat(c.report().losses())
                .containsExactly(entry(ConversionLoss.EARLIER_ASSISTANT_TURNS_UNTRAINED, 1L));
        assertThat(c.report().notes()).containsExactly("example 1 (id " + ConversionFixtures.multiTurn().id()
                + "): assistant messages[1] goes into the prompt and will not be trained; only the completion "
                + "messages[3] is");
        assertThat(c.report().examplesSkipped()).isZero();
    }

    @Test
    void promptCompletion_toolCalls_goIntoThePrompt_toolsAtTopLevel() {
        ConversionFixtures.Converted c = convert(DatasetFormat.HF_PROMPT_COMPLETION, ConversionFixtures.withTools());

        assertJson(c.line(0), "{\"prompt\":" + TOOL_MESSAGES + "],"
                + "\"completion\":[{\"role\":\"assistant\",\"content\":\"It is 18°C and sunny in Paris.\"}],"
                + "\"tools\":" + TOOLS + "}");
        assertThat(c.report().losses())
                .containsExactly(entry(ConversionLoss.EARLIER_ASSISTANT_TURNS_UNTRAINED, 1L));
        ConversionFixtures.Converted strings = ConversionFixtures.convert(DatasetFormat.HF_PROMPT_COMPLETION, STRINGS,
                ConversionFixtures.withTools());
        assertThat(strings.tree(0).get("prompt").get(2).get("tool_calls").get(0).get("function").get("arguments")
                .asText()).isEqualTo("{\"city\":\"Paris\"}");
    }

    @Test
    void promptCompletion_trailingMessagesAndWeight0Completion_areReported() {
        Example e = Example.of(Message.user("Hi"), Message.assistant("Hello").withWeight(0),
                Message.user("Anyone there?"));

        ConversionFixtures.Converted c = convert(DatasetFormat.HF_PROMPT_COMPLETION, e);

        assertJson(c.line(0), "{\"prompt\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"completion\":[{\"role\":\"assistant\",\"content\":\"Hello\"}]}");
        assertThat(c.report().losses()).containsExactly(
                entry(ConversionLoss.WEIGHT_DROPPED, 1L), entry(ConversionLoss.TRAILING_MESSAGES_DROPPED, 1L));
        assertThat(c.report().notes()).containsExactly(
                "example 1 (id " + e.id() + "): weight 0 on messages[1] cannot be expressed in "
                        + "hf-prompt-completion; the turn is kept as trained",
                "example 1 (id " + e.id() + "): messages[2] after the last assistant message dropped; "
                        + "they were not trained on");
    }

    @Test
    void promptCompletion_withoutAssistantOrPrompt_isSkipped() {
        Example noAssistant = Example.of(Message.user("Hi"));
        Example noPrompt = Example.of(Message.assistant("Welcome!"), Message.user("Thanks"));

        ConversionFixtures.Converted c = convert(DatasetFormat.HF_PROMPT_COMPLETION,
                noAssistant, ConversionFixtures.typical(), noPrompt);

        ConversionReport r = c.report();
        assertThat(r.examplesRead()).isEqualTo(3);
        assertThat(r.examplesWritten()).isEqualTo(1);
        assertThat(r.examplesSkipped()).isEqualTo(2);
        assertThat(r.losses()).containsExactly(
                entry(ConversionLoss.NO_USER_MESSAGE, 1L), entry(ConversionLoss.NO_ASSISTANT_MESSAGE, 1L));
        assertThat(r.notes()).containsExactly(
                "example 1 (id " + noAssistant.id() + "): skipped: no assistant message; hf-prompt-completion "
                        + "needs one as the completion",
                "example 3 (id " + noPrompt.id() + "): skipped: the last assistant message is messages[0], so "
                        + "the prompt would be empty; hf-prompt-completion needs a prompt before the completion");
    }
}
