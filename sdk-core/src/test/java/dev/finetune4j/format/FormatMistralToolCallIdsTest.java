package dev.finetune4j.format;

import static dev.finetune4j.format.ConversionFixtures.convert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.JsonlReader;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ReadExample;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.dataset.ValidationReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's tool call ids ({@code call_id} in OpenAI's drone function-calling example) are refused
 * by Mistral, which wants exactly 9 letters and digits: the mistral writer rewrites them
 * consistently and deterministically, and our own Mistral validation then accepts the file.
 */
class FormatMistralToolCallIdsTest {

    private static final String MISTRAL_ID = "[a-zA-Z0-9]{9}";

    @Test
    void mistral_openAiIds_areRewritten_inTheCallsAndTheToolMessagesAlike() throws IOException {
        List<Example> drone = drone();

        ConversionFixtures.Converted c = convert(DatasetFormat.MISTRAL, drone.toArray(Example[]::new));

        JsonNode messages = c.tree(2).get("messages");
        String photo = messages.get(2).get("tool_calls").get(0).get("id").asText();
        String pano = messages.get(2).get("tool_calls").get(1).get("id").asText();
        assertThat(photo).matches(MISTRAL_ID);
        assertThat(pano).matches(MISTRAL_ID).isNotEqualTo(photo);
        assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo(photo);
        assertThat(messages.get(4).get("tool_call_id").asText()).isEqualTo(pano);
        assertThat(c.line(2)).isEqualTo(drone.get(2).toJson().replace("call_photo_1", photo).replace("call_pano_2", pano));
        ConversionReport r = c.report();
        assertThat(r.losses()).containsExactly(entry(ConversionLoss.PARALLEL_TOOL_CALLS_DROPPED, 2L),
                entry(ConversionLoss.TOOL_CALL_IDS_REWRITTEN, 3L));
        assertThat(r.isLossless()).isFalse();
        assertThat(r.notes()).contains("example 3 (id " + drone.get(2).id() + "): tool call ids 'call_photo_1' -> '"
                + photo + "', 'call_pano_2' -> '" + pano + "' rewritten; mistral requires exactly 9 letters and digits "
                + "(each call and the tool messages answering it alike)");
    }

    @Test
    void mistral_rewriting_isDeterministic_theSameIdGetsTheSameReplacement() throws IOException {
        List<Example> drone = drone();

        ConversionFixtures.Converted first = convert(DatasetFormat.MISTRAL, drone.toArray(Example[]::new));
        ConversionFixtures.Converted again = convert(DatasetFormat.MISTRAL, drone.toArray(Example[]::new));

        assertThat(again.text()).isEqualTo(first.text());
        String line1 = first.tree(0).get("messages").get(2).get("tool_calls").get(0).get("id").asText();
        String line2 = first.tree(1).get("messages").get(2).get("tool_calls").get(0).get("id").asText();
        assertThat(line1).matches(MISTRAL_ID).isEqualTo(line2);
    }

    @Test
    void mistral_idsMistralAccepts_areKept_andNothingIsReported() {
        Example e = withCalls("abc123XYZ", "abc123XYZ");

        ConversionFixtures.Converted c = convert(DatasetFormat.MISTRAL, e);

        assertThat(c.line(0)).isEqualTo(e.toJson());
        assertThat(c.report().isLossless()).isTrue();
    }

    @Test
    void mistral_aReplacementThatClashesWithAnIdOfTheExample_takesTheNextOne() {
        String replacement = convert(DatasetFormat.MISTRAL, withCalls("call_x", "call_x")).tree(0)
                .get("messages").get(1).get("tool_calls").get(0).get("id").asText();
        Example clash = Example.builder()
                .message(Message.user("Both"))
                .message(Message.assistantToolCalls(null, List.of(new ToolCall(replacement, "f", "{}"),
                        new ToolCall("call_x", "f", "{}"))))
                .message(Message.tool(replacement, "first"))
                .message(Message.tool("call_x", "second"))
                .message(Message.assistant("Done"))
                .tool(ToolDefinition.of("f", null, null))
                .build();

        JsonNode messages = convert(DatasetFormat.MISTRAL, clash).tree(0).get("messages");

        assertThat(messages.get(1).get("tool_calls").get(0).get("id").asText()).isEqualTo(replacement);
        String other = messages.get(1).get("tool_calls").get(1).get("id").asText();
        assertThat(other).matches(MISTRAL_ID).isNotEqualTo(replacement);
        assertThat(messages.get(2).get("tool_call_id").asText()).isEqualTo(replacement);
        assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo(other);
    }

    @Test
    void mistral_convertedDroneFile_passesOurMistralValidation() throws IOException {
        ConversionFixtures.Converted c = convert(DatasetFormat.MISTRAL, drone().toArray(Example[]::new));

        ValidationReport asIs = JsonlReader.read(new ByteArrayInputStream(droneText().getBytes(StandardCharsets.UTF_8)),
                ImportOptions.builder().format(DatasetFormat.MISTRAL).build(), e -> { });
        ValidationReport converted = JsonlReader.read(new ByteArrayInputStream(c.text().getBytes(StandardCharsets.UTF_8)),
                ImportOptions.builder().format(DatasetFormat.MISTRAL).build(), e -> { });

        assertThat(asIs.invalid()).isEqualTo(3);
        assertThat(converted.errors()).isEmpty();
        assertThat(converted.valid()).isEqualTo(3);
    }

    private static Example withCalls(String callId, String answered) {
        return Example.builder()
                .message(Message.user("Go"))
                .message(Message.assistantToolCalls(null, List.of(new ToolCall(callId, "f", "{}"))))
                .message(Message.tool(answered, "ok"))
                .message(Message.assistant("Done"))
                .tool(ToolDefinition.of("f", null, null))
                .build();
    }

    private static List<Example> drone() throws IOException {
        List<ReadExample> read = new ArrayList<>();
        ValidationReport report = JsonlReader.read(new ByteArrayInputStream(droneText().getBytes(StandardCharsets.UTF_8)),
                ImportOptions.defaults(), read::add);
        assertThat(report.valid()).isEqualTo(3);
        return read.stream().map(ReadExample::example).toList();
    }

    private static String droneText() throws IOException {
        try (InputStream in = FormatMistralToolCallIdsTest.class.getResourceAsStream("/fixtures/drone-tool-calls.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
