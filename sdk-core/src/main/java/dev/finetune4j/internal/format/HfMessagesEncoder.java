package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.dataset.Example;
import java.io.IOException;
import java.util.List;

/**
 * Hugging Face TRL conversational language modelling:
 * {@code {"messages":[{role, content?, tool_calls?, tool_call_id?}], "tools"?:[...]}}.
 *
 * <p>Messages, tool calls and tools keep their OpenAI shape, except that tool call
 * {@code arguments} are written as JSON objects by default, as Transformers chat templates expect
 * ({@link HfToolArguments}); {@code tools} is a JSON array (with {@code datasets} older than 4.7,
 * TRL advises storing it as a JSON string instead). {@code weight} is not a TRL concept and is
 * dropped: a weight-0 turn becomes trained (with {@code assistant_only_loss}; without it every token
 * is trained anyway). {@code name} and {@code parallel_tool_calls} are dropped too.
 */
final class HfMessagesEncoder extends PlanningEncoder<HfMessagesEncoder.Plan> {

    private static final String FORMAT = "hf-messages";

    /** @param args the parsed arguments of every tool call in order, or null to write them as strings */
    record Plan(Example example, List<JsonNode> args) {}

    private final HfToolArguments arguments;

    HfMessagesEncoder(HfToolArguments arguments) {
        this.arguments = arguments;
    }

    @Override
    Plan plan(Example e, LossCollector losses) {
        int n = e.messages().size();
        List<JsonNode> args = arguments.parse(e, 0, n, FORMAT, losses);
        if (losses.skipped() != null) {
            return null;
        }
        Conversation.dropZeroWeights(e, 0, n, FORMAT, losses);
        Conversation.dropNames(e, 0, n, FORMAT, losses);
        Conversation.dropParallelToolCalls(e, FORMAT, losses);
        return new Plan(e, args);
    }

    @Override
    void write(Plan p, JsonGenerator g) throws IOException {
        Example e = p.example();
        g.writeStartObject();
        Conversation.writeMessages(g, "messages", e.messages(), 0, e.messages().size(), false, false,
                HfToolArguments.writer(p.args()));
        Conversation.writeTools(g, e.tools());
        g.writeEndObject();
    }
}
