package dev.finetune4j.format;

import static dev.finetune4j.format.ConversionFixtures.assertJson;
import static dev.finetune4j.format.ConversionFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.internal.validate.ExampleReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatOpenAiMistralTest {

    @Test
    void openai_typicalExample_isTheCanonicalLineInCanonicalKeyOrder() {
        ConversionFixtures.Converted c = convert(DatasetFormat.OPENAI, ConversionFixtures.typical());

        assertThat(c.text()).isEqualTo("{\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You parse workout commands.\"},"
                + "{\"role\":\"user\",\"content\":\"3 sets of 10 squats\"},"
                + "{\"role\":\"assistant\",\"content\":\"{\\\"sets\\\":3,\\\"reps\\\":10}\"}]}\n");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void openai_weightsToolsNamesAndParallelFlag_areKeptExactly() {
        Example e = ConversionFixtures.withTools().toBuilder()
                .message(Message.user("Thanks").withName("ana"))
                .message(Message.assistant("You're welcome").withWeight(0))
                .parallelToolCalls(false)
                .build();

        ConversionFixtures.Converted c = convert(DatasetFormat.OPENAI, e, ConversionFixtures.weighted());

        assertThat(c.line(0)).isEqualTo(e.toJson());
        assertThat(c.line(0)).isEqualTo("{\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You can look up the weather.\"},"
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"content\":\"18°C, sunny\",\"tool_call_id\":\"call_1\"},"
                + "{\"role\":\"assistant\",\"content\":\"It is 18°C and sunny in Paris.\"},"
                + "{\"role\":\"user\",\"name\":\"ana\",\"content\":\"Thanks\"},"
                + "{\"role\":\"assistant\",\"content\":\"You're welcome\",\"weight\":0}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"description\":\"Get the weather\",\"parameters\":" + ConversionFixtures.WEATHER_SCHEMA + "}}],"
                + "\"parallel_tool_calls\":false}");
        assertThat(c.line(1)).isEqualTo(ConversionFixtures.weighted().toJson());
        assertThat(c.report().isLossless()).isTrue();
        assertThat(c.report().examplesWritten()).isEqualTo(2);
    }

    @Test
    void openai_tags_areNotWrittenAndNotALoss() {
        Example tagged = ConversionFixtures.typical().withTags(java.util.Map.of(Example.TAG_LANGUAGE, "en"));

        ConversionFixtures.Converted c = convert(DatasetFormat.OPENAI, tagged);

        assertThat(c.line(0)).isEqualTo(ConversionFixtures.typical().toJson()).doesNotContain("tags");
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void openai_roundTripThroughTheReader_isByteIdentical() {
        List<Example> examples = List.of(ConversionFixtures.typical(), ConversionFixtures.weighted(),
                ConversionFixtures.withTools(), ConversionFixtures.multiTurn());
        ConversionFixtures.Converted first = convert(DatasetFormat.OPENAI, examples.toArray(Example[]::new));

        List<Example> read = new ArrayList<>();
        List<ValidationIssue> issues = new ArrayList<>();
        ExampleReader reader = new ExampleReader(DataRules.standard());
        for (int i = 0; i < first.lines().size(); i++) {
            read.add(reader.read(ConversionFixtures.parse(first.line(i)), i + 1, issues));
        }
        ConversionFixtures.Converted second = convert(DatasetFormat.OPENAI, read.toArray(Example[]::new));

        assertThat(issues).isEmpty();
        assertThat(read).isEqualTo(examples);
        assertThat(second.text()).isEqualTo(first.text());
    }

    @Test
    void mistral_typicalExample_hasTheOpenAiShape() {
        ConversionFixtures.Converted c = convert(DatasetFormat.MISTRAL, ConversionFixtures.typical());

        assertThat(c.line(0)).isEqualTo(ConversionFixtures.typical().toJson());
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void mistral_keepsWeightsAndTools() {
        Example tools = ConversionFixtures.withTools();
        ConversionFixtures.Converted c = convert(DatasetFormat.MISTRAL,
                ConversionFixtures.weighted(), tools, ConversionFixtures.multiTurn());

        assertThat(c.line(0)).isEqualTo(ConversionFixtures.weighted().toJson()).contains("\"weight\":0");
        // the same line but for the id call_1, which Mistral refuses (FormatMistralToolCallIdsTest)
        String id = c.tree(1).get("messages").get(2).get("tool_calls").get(0).get("id").asText();
        assertThat(c.line(1)).isEqualTo(tools.toJson().replace("call_1", id));
        assertThat(c.line(2)).isEqualTo(ConversionFixtures.multiTurn().toJson());
        assertThat(c.report().losses()).containsOnlyKeys(ConversionLoss.TOOL_CALL_IDS_REWRITTEN);
    }

    @Test
    void mistral_dropsNamesAndParallelToolCalls_andReportsThem() {
        Example e = Example.builder()
                .message(Message.user("Hi").withName("ana"))
                .message(Message.assistant("Hello").withName("bot").withWeight(1))
                .parallelToolCalls(true)
                .build();

        ConversionFixtures.Converted c = convert(DatasetFormat.MISTRAL, e, ConversionFixtures.typical());

        assertJson(c.line(0), "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello\",\"weight\":1}]}");
        JsonNode first = c.tree(0).get("messages").get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("role", "content");
        ConversionReport r = c.report();
        assertThat(r.losses()).containsOnly(
                org.assertj.core.api.Assertions.entry(ConversionLoss.NAME_DROPPED, 1L),
                org.assertj.core.api.Assertions.entry(ConversionLoss.PARALLEL_TOOL_CALLS_DROPPED, 1L));
        assertThat(r.examplesWritten()).isEqualTo(2);
        assertThat(r.examplesSkipped()).isZero();
        assertThat(r.notes()).containsExactly(
                "example 1 (id " + e.id() + "): names on messages[0], messages[1] dropped; mistral has no "
                        + "participant names",
                "example 1 (id " + e.id() + "): parallel_tool_calls=true dropped; mistral has no such setting");
        assertThat(r.isLossless()).isFalse();
    }
}
