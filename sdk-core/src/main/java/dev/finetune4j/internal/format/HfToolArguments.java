package dev.finetune4j.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.format.WriterOptions.ToolArguments;
import dev.finetune4j.internal.json.ExampleCodec;
import java.util.List;

/**
 * How the Hugging Face formats write tool call {@code arguments}: as JSON objects (the default),
 * which Transformers chat templates expect ("arguments" should be a dict; a string is rendered
 * escaped or fails, see huggingface/transformers#45419), or as the OpenAI JSON string. Immutable.
 */
final class HfToolArguments {

    private final ToolArguments form;

    HfToolArguments(ToolArguments form) {
        this.form = form;
    }

    /**
     * The parsed arguments of the calls in messages {@code [from, to)} when they are written as
     * objects, else null; records a skip (and returns null) when one is not a JSON object.
     */
    List<JsonNode> parse(Example e, int from, int to, String format, LossCollector losses) {
        if (form == ToolArguments.STRING) {
            return null;
        }
        return Conversation.objectArguments(e, from, to, format + " writes arguments as an object, as chat templates "
                + "expect (tool arguments as strings keep it)", losses);
    }

    /** The writer of tool calls for what {@link #parse} returned. */
    static ExampleCodec.ToolCallWriter writer(List<JsonNode> args) {
        return args == null ? ExampleCodec::writeToolCall : Conversation.objectArgumentsWriter(args);
    }
}
