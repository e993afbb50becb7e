package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.format.ConversionLoss;
import java.io.IOException;

/**
 * Alpaca: {@code {"instruction","input","output","system"?}}, for single-turn examples only (an
 * optional leading system message, one user message, then one assistant message with text).
 *
 * <p>Mapping, the convention of Stanford Alpaca and LLaMA-Factory (see {@link AlpacaDecoder}):
 * {@code instruction} = the user's message, {@code input} = {@code ""} (a chat example has no
 * separate context), {@code output} = the assistant's message, and a system message goes to the
 * {@code system} column of LLaMA-Factory's extended form (absent without one). Tool calls, tool
 * messages, several exchanges and misplaced system messages skip the example (LLaMA-Factory's
 * {@code history} column is read on import but not written: trainers of the plain format ignore
 * extra columns and would silently train on the last exchange alone); weight 0, names and tool
 * definitions are dropped.
 */
final class AlpacaEncoder extends PlanningEncoder<AlpacaEncoder.Plan> {

    private static final String FORMAT = "alpaca";

    record Plan(String system, String user, String assistant) {}

    @Override
    Plan plan(Example e, LossCollector losses) {
        if (Conversation.skipToolCalls(e, FORMAT, losses)
                || Conversation.skipToolMessages(e, FORMAT, losses)
                || Conversation.skipSystemNotLeading(e, FORMAT, losses)
                || Conversation.skipEmpty(e, FORMAT, losses)) {
            return null;
        }
        int users = 0;
        int assistants = 0;
        for (Message m : e.messages()) {
            users += m.role() == Role.USER ? 1 : 0;
            assistants += m.role() == Role.ASSISTANT ? 1 : 0;
        }
        if (users == 0) {
            losses.skip(ConversionLoss.NO_USER_MESSAGE, "no user message; " + FORMAT + " needs one");
            return null;
        }
        if (assistants == 0) {
            losses.skip(ConversionLoss.NO_ASSISTANT_MESSAGE, "no assistant message; " + FORMAT
                    + " needs one as the output");
            return null;
        }
        if (users > 1 || assistants > 1) {
            losses.skip(ConversionLoss.MULTI_TURN_NOT_SUPPORTED, users + " user and " + assistants
                    + " assistant messages; " + FORMAT + " holds one user message and one assistant reply");
            return null;
        }
        int user = Conversation.last(e, Role.USER);
        int assistant = Conversation.last(e, Role.ASSISTANT);
        if (assistant < user) {
            losses.skip(ConversionLoss.ROLES_NOT_ALTERNATING, "the assistant message " + Conversation.at(assistant)
                    + " comes before the user message " + Conversation.at(user) + "; " + FORMAT
                    + " needs the user message first");
            return null;
        }
        int n = e.messages().size();
        Conversation.dropZeroWeights(e, 0, n, FORMAT, losses);
        Conversation.dropNames(e, 0, n, FORMAT, losses);
        Conversation.dropTools(e, FORMAT, losses);
        Conversation.dropParallelToolCalls(e, FORMAT, losses);
        Message first = e.messages().get(0);
        String system = first.role() == Role.SYSTEM ? first.content().orElseThrow() : null;
        return new Plan(system, e.messages().get(user).content().orElseThrow(),
                e.messages().get(assistant).content().orElseThrow());
    }

    @Override
    void write(Plan p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("instruction", p.user());
        g.writeStringField("input", "");
        g.writeStringField("output", p.assistant());
        if (p.system() != null) {
            g.writeStringField("system", p.system());
        }
        g.writeEndObject();
    }
}
