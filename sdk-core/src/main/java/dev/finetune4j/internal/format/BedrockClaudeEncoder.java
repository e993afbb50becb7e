package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.format.ConversionLoss;
import java.io.IOException;
import java.util.List;

/**
 * Amazon Bedrock Claude fine-tuning:
 * {@code {"system"?:"...","messages":[{"role":"user"|"assistant","content":"..."}]}} with no other
 * keys; the messages start with a user message, end with an assistant message and strictly
 * alternate.
 *
 * <p>A leading system message becomes {@code system}. Tool calls, tool messages, a later system
 * message and non-alternating roles skip the example. Messages after the last assistant message
 * were never trained on and are dropped (reported); weight 0, names and tool definitions are
 * dropped (reported).
 */
final class BedrockClaudeEncoder extends PlanningEncoder<BedrockClaudeEncoder.Plan> {

    private static final String FORMAT = "bedrock-claude";

    record Plan(Example example, String system, int from, int to) {}

    @Override
    Plan plan(Example e, LossCollector losses) {
        if (Conversation.skipToolCalls(e, FORMAT, losses)
                || Conversation.skipToolMessages(e, FORMAT, losses)
                || Conversation.skipSystemNotLeading(e, FORMAT, losses)
                || Conversation.skipEmpty(e, FORMAT, losses)) {
            return null;
        }
        List<Message> messages = e.messages();
        int from = messages.get(0).role() == Role.SYSTEM ? 1 : 0;
        int last = Conversation.last(e, Role.ASSISTANT);
        if (last < 0) {
            losses.skip(ConversionLoss.NO_ASSISTANT_MESSAGE, "no assistant message; " + FORMAT
                    + " needs one last");
            return null;
        }
        if (messages.get(from).role() != Role.USER) {
            boolean anyUser = Conversation.first(e, m -> m.role() == Role.USER) >= 0;
            if (anyUser) {
                losses.skip(ConversionLoss.ROLES_NOT_ALTERNATING, "the conversation starts with "
                        + Conversation.at(from) + " (" + messages.get(from).role().wireName() + "); " + FORMAT
                        + " needs a user message first");
            } else {
                losses.skip(ConversionLoss.NO_USER_MESSAGE, "no user message; " + FORMAT + " needs one first");
            }
            return null;
        }
        for (int i = from + 1; i <= last; i++) {
            Role role = messages.get(i).role();
            if (role == messages.get(i - 1).role()) {
                losses.skip(ConversionLoss.ROLES_NOT_ALTERNATING, Conversation.at(i - 1) + " and "
                        + Conversation.at(i) + " are both " + role.wireName() + "; " + FORMAT
                        + " needs user and assistant messages to alternate");
                return null;
            }
        }
        if (last < messages.size() - 1) {
            Conversation.dropTrailing(last + 1, messages.size(), losses);
        }
        Conversation.dropZeroWeights(e, from, last + 1, FORMAT, losses);
        Conversation.dropNames(e, 0, last + 1, FORMAT, losses);
        Conversation.dropTools(e, FORMAT, losses);
        Conversation.dropParallelToolCalls(e, FORMAT, losses);
        return new Plan(e, from == 1 ? messages.get(0).content().orElseThrow() : null, from, last + 1);
    }

    @Override
    void write(Plan p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (p.system() != null) {
            g.writeStringField("system", p.system());
        }
        g.writeArrayFieldStart("messages");
        for (int i = p.from(); i < p.to(); i++) {
            Message m = p.example().messages().get(i);
            g.writeStartObject();
            g.writeStringField("role", m.role().wireName());
            g.writeStringField("content", m.content().orElseThrow());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
