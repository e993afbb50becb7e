package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.dataset.Example;
import java.io.IOException;

/**
 * Hugging Face TRL conversational language modelling:
 * {@code {"messages":[{role, content?, tool_calls?, tool_call_id?}], "tools"?:[...]}}.
 *
 * <p>Messages, tool calls and tools keep their OpenAI shape, so tool call {@code arguments} stay
 * JSON strings (templates that want a mapping must parse them) and {@code tools} is a JSON array
 * (with {@code datasets} older than 4.7, TRL advises storing it as a JSON string instead).
 * {@code weight} is not a TRL concept and is dropped: a weight-0 turn becomes trained (with
 * {@code assistant_only_loss}; without it every token is trained anyway). {@code name} and
 * {@code parallel_tool_calls} are dropped too.
 */
final class HfMessagesEncoder extends PlanningEncoder<Example> {

    private static final String FORMAT = "hf-messages";

    @Override
    Example plan(Example e, LossCollector losses) {
        int n = e.messages().size();
        Conversation.dropZeroWeights(e, 0, n, FORMAT, losses);
        Conversation.dropNames(e, 0, n, FORMAT, losses);
        Conversation.dropParallelToolCalls(e, FORMAT, losses);
        return e;
    }

    @Override
    void write(Example e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        Conversation.writeMessages(g, "messages", e.messages(), 0, e.messages().size(), false, false);
        Conversation.writeTools(g, e.tools());
        g.writeEndObject();
    }
}
