package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.format.DatasetFormat;
import java.io.IOException;

/**
 * Mistral fine-tuning JSONL: the OpenAI shape without the keys Mistral's documented format lacks
 * (message {@code name}, top-level {@code parallel_tool_calls}). {@code weight} is kept: the
 * mistral-finetune trainer honours {@code weight: 0}; whether the hosted API does is unverified.
 *
 * <p>Tool call ids Mistral refuses ({@link DatasetFormat#rules() DatasetFormat.MISTRAL.rules()}: exactly
 * 9 letters and digits; OpenAI writes {@code call_...}) are rewritten consistently and reported
 * ({@link MistralToolCallIds}), so that the file passes Mistral's validation. Mistral's other content
 * rules (a single leading system message, no content beside tool calls, an assistant message last,
 * every called tool defined) are checked by validation with those rules (which the Mistral
 * provider's descriptor extends), not repaired here.
 */
final class MistralEncoder extends PlanningEncoder<Example> {

    private static final String FORMAT = DatasetFormat.MISTRAL.id();

    @Override
    Example plan(Example e, LossCollector losses) {
        Conversation.dropNames(e, 0, e.messages().size(), FORMAT, losses);
        Conversation.dropParallelToolCalls(e, FORMAT, losses);
        return MistralToolCallIds.rewrite(e, FORMAT, losses);
    }

    @Override
    void write(Example e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        Conversation.writeMessages(g, "messages", e.messages(), 0, e.messages().size(), false, true);
        Conversation.writeTools(g, e.tools());
        g.writeEndObject();
    }
}
