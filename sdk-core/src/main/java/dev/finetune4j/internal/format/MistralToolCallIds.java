package dev.finetune4j.internal.format;

import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.format.ConversionLoss;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.internal.Names;
import dev.finetune4j.internal.json.ExampleCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives tool calls the ids Mistral accepts ({@code DatasetFormat.MISTRAL.rules()}: exactly 9
 * characters, each a-z, A-Z or 0-9; OpenAI's ids, {@code call_...}, are refused). An id that already has that form is kept; any other is
 * replaced by 9 base-62 digits of the SHA-256 of the id, in the call and in every tool message
 * answering it alike. So the same input always gives the same ids, and two ids of one example
 * never become one (on a clash the next digest of the id is taken). Stateless.
 */
final class MistralToolCallIds {

    /** Mistral's rules: which tool call ids it accepts. */
    private static final DataRules RULES = DatasetFormat.MISTRAL.rules();

    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int MAX_LISTED = 3;

    private MistralToolCallIds() {}

    /**
     * The example with every id Mistral refuses replaced, the replacement reported in
     * {@code losses}; the example itself when every id is accepted.
     */
    static Example rewrite(Example e, String format, LossCollector losses) {
        Set<String> ids = new LinkedHashSet<>();
        for (Message m : e.messages()) {
            m.toolCalls().forEach(c -> ids.add(c.id()));
            m.toolCallId().ifPresent(ids::add);
        }
        Set<String> taken = new HashSet<>();
        for (String id : ids) {
            if (RULES.acceptsToolCallId(id)) {
                taken.add(id);
            }
        }
        Map<String, String> replaced = new LinkedHashMap<>();
        for (String id : ids) {
            if (RULES.acceptsToolCallId(id)) {
                continue;
            }
            String candidate = derive(id, 0);
            for (int attempt = 1; !taken.add(candidate); attempt++) {
                candidate = derive(id, attempt);
            }
            replaced.put(id, candidate);
        }
        if (replaced.isEmpty()) {
            return e;
        }
        List<Message> messages = new ArrayList<>(e.messages().size());
        for (Message m : e.messages()) {
            messages.add(withIds(m, replaced));
        }
        Example.Builder b = Example.builder().messages(messages);
        e.tools().forEach(b::tool);
        e.parallelToolCalls().ifPresent(b::parallelToolCalls);
        e.tags().forEach(b::tag);
        losses.drop(ConversionLoss.TOOL_CALL_IDS_REWRITTEN, describe(replaced) + "; " + format
                + " requires exactly 9 letters and digits (each call and the tool messages answering it alike)");
        return b.build();
    }

    private static Message withIds(Message m, Map<String, String> replaced) {
        List<ToolCall> calls = m.toolCalls();
        if (!calls.isEmpty()) {
            List<ToolCall> renamed = new ArrayList<>(calls.size());
            for (ToolCall c : calls) {
                renamed.add(new ToolCall(replaced.getOrDefault(c.id(), c.id()), c.name(), c.arguments()));
            }
            calls = renamed;
        }
        String answers = m.toolCallId().map(id -> replaced.getOrDefault(id, id)).orElse(null);
        return Message.of(m.role(), m.content().orElse(null), m.name().orElse(null),
                m.weight().isPresent() ? m.weight().getAsInt() : null, calls, answers);
    }

    /** 9 base-62 digits of the SHA-256 of the id (and of the attempt, after a clash). */
    static String derive(String id, int attempt) {
        byte[] digest = ExampleCodec.sha256((attempt == 0 ? id : id + '\u0000' + attempt).getBytes(StandardCharsets.UTF_8));
        long n = 0;
        for (int i = 0; i < 8; i++) {
            n = (n << 8) | (digest[i] & 0xff);
        }
        char[] out = new char[9];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = DIGITS.charAt((int) Long.remainderUnsigned(n, DIGITS.length()));
            n = Long.divideUnsigned(n, DIGITS.length());
        }
        return new String(out);
    }

    /** {@code tool call ids 'call_id' -> 'Xy...', ...}, the first few. */
    private static String describe(Map<String, String> replaced) {
        StringBuilder sb = new StringBuilder(replaced.size() == 1 ? "tool call id " : "tool call ids ");
        int shown = 0;
        for (Map.Entry<String, String> e : replaced.entrySet()) {
            if (shown == MAX_LISTED) {
                sb.append(" and ").append(replaced.size() - shown).append(" more");
                break;
            }
            sb.append(shown++ == 0 ? "" : ", ").append('\'').append(Names.printable(e.getKey())).append("' -> '")
                    .append(e.getValue()).append('\'');
        }
        return sb.append(" rewritten").toString();
    }
}
