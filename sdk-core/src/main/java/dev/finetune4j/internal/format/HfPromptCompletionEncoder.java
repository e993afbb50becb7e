package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.format.ConversionLoss;
import dev.finetune4j.internal.json.ExampleCodec;
import java.io.IOException;
import java.util.List;

/**
 * Hugging Face TRL conversational prompt-completion:
 * {@code {"prompt":[messages before the last assistant message], "completion":[the last assistant
 * message], "tools"?:[...]}}, messages in the OpenAI shape without {@code name} and {@code weight},
 * tool call arguments as objects by default ({@link HfToolArguments}).
 *
 * <p>TRL trains only on the completion by default ({@code completion_only_loss}), so earlier
 * assistant turns that the source trains on become untrained prompt context (reported), a weight-0
 * last assistant message becomes trained (reported), and messages after the last assistant
 * message, never trained on, are dropped (reported).
 */
final class HfPromptCompletionEncoder extends PlanningEncoder<HfPromptCompletionEncoder.Plan> {

    private static final String FORMAT = "hf-prompt-completion";

    /** @param args the parsed arguments of the written tool calls in order, or null to write them as strings */
    record Plan(Example example, int completion, List<JsonNode> args) {}

    private final HfToolArguments arguments;

    HfPromptCompletionEncoder(HfToolArguments arguments) {
        this.arguments = arguments;
    }

    @Override
    Plan plan(Example e, LossCollector losses) {
        List<Message> messages = e.messages();
        int last = Conversation.last(e, Role.ASSISTANT);
        if (last < 0) {
            losses.skip(ConversionLoss.NO_ASSISTANT_MESSAGE, "no assistant message; " + FORMAT
                    + " needs one as the completion");
            return null;
        }
        if (last == 0) {
            losses.skip(ConversionLoss.NO_USER_MESSAGE, "the last assistant message is messages[0], so the prompt "
                    + "would be empty; " + FORMAT + " needs a prompt before the completion");
            return null;
        }
        List<JsonNode> args = arguments.parse(e, 0, last + 1, FORMAT, losses);
        if (losses.skipped() != null) {
            return null;
        }
        if (last < messages.size() - 1) {
            Conversation.dropTrailing(last + 1, messages.size(), losses);
        }
        List<Integer> earlier = Conversation.indices(e, 0, last,
                m -> m.role() == Role.ASSISTANT && !Conversation.isZeroWeight(m));
        if (!earlier.isEmpty()) {
            losses.drop(ConversionLoss.EARLIER_ASSISTANT_TURNS_UNTRAINED, "assistant " + Conversation.at(earlier)
                    + (earlier.size() == 1 ? " goes" : " go") + " into the prompt and will not be trained; only the "
                    + "completion " + Conversation.at(last) + " is");
        }
        Conversation.dropZeroWeights(e, last, last + 1, FORMAT, losses);
        Conversation.dropNames(e, 0, last + 1, FORMAT, losses);
        Conversation.dropParallelToolCalls(e, FORMAT, losses);
        return new Plan(e, last, args);
    }

    @Override
    void write(Plan p, JsonGenerator g) throws IOException {
        List<Message> messages = p.example().messages();
        g.writeStartObject();
        // one writer for both lists: it takes the parsed arguments in message order
        ExampleCodec.ToolCallWriter calls = HfToolArguments.writer(p.args());
        Conversation.writeMessages(g, "prompt", messages, 0, p.completion(), false, false, calls);
        Conversation.writeMessages(g, "completion", messages, p.completion(), p.completion() + 1, false, false, calls);
        Conversation.writeTools(g, p.example().tools());
        g.writeEndObject();
    }
}
