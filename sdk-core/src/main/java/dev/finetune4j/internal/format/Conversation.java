package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.format.ConversionLoss;
import dev.finetune4j.internal.Names;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/** The checks and sentences the encoders share. Stateless. */
final class Conversation {

    private Conversation() {}

    /** The indices of the messages in {@code [from, to)} that match. */
    static List<Integer> indices(Example e, int from, int to, Predicate<Message> test) {
        List<Integer> result = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (test.test(e.messages().get(i))) {
                result.add(i);
            }
        }
        return result;
    }

    /** The index of the first message that matches, or -1. */
    static int first(Example e, Predicate<Message> test) {
        for (int i = 0; i < e.messages().size(); i++) {
            if (test.test(e.messages().get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the last message with this role, or -1. */
    static int last(Example e, Role role) {
        for (int i = e.messages().size() - 1; i >= 0; i--) {
            if (e.messages().get(i).role() == role) {
                return i;
            }
        }
        return -1;
    }

    /** {@code messages[3]} or {@code messages[3], messages[5]}. */
    static String at(List<Integer> indices) {
        StringBuilder sb = new StringBuilder();
        for (int i : indices) {
            sb.append(sb.length() == 0 ? "" : ", ").append("messages[").append(i).append(']');
        }
        return sb.toString();
    }

    /** {@code messages[3]}. */
    static String at(int index) {
        return "messages[" + index + "]";
    }

    static boolean isZeroWeight(Message m) {
        return m.weight().isPresent() && m.weight().getAsInt() == 0;
    }

    static boolean hasNoText(Message m) {
        return m.content().isEmpty() && m.toolCalls().isEmpty();
    }

    /** Skips when a system message is not first. */
    static boolean skipSystemNotLeading(Example e, String format, LossCollector losses) {
        int late = firstFrom(e, 1, Role.SYSTEM);
        if (late > 0) {
            losses.skip(ConversionLoss.SYSTEM_NOT_LEADING, at(late) + " is a system message; " + format
                    + " takes a system message only as the first message");
            return true;
        }
        return false;
    }

    private static int firstFrom(Example e, int from, Role role) {
        for (int i = from; i < e.messages().size(); i++) {
            if (e.messages().get(i).role() == role) {
                return i;
            }
        }
        return -1;
    }

    /** Skips when an assistant message calls tools. */
    static boolean skipToolCalls(Example e, String format, LossCollector losses) {
        int i = first(e, m -> !m.toolCalls().isEmpty());
        if (i >= 0) {
            losses.skip(ConversionLoss.TOOL_CALLS_NOT_SUPPORTED, at(i) + " calls tools; " + format
                    + " cannot express tool calls");
            return true;
        }
        return false;
    }

    /** Skips when there is a tool message. */
    static boolean skipToolMessages(Example e, String format, LossCollector losses) {
        int i = first(e, m -> m.role() == Role.TOOL);
        if (i >= 0) {
            losses.skip(ConversionLoss.TOOL_MESSAGES_NOT_SUPPORTED, at(i) + " is a tool message; " + format
                    + " cannot express tool results");
            return true;
        }
        return false;
    }

    /** Skips when a message has neither content nor tool calls. */
    static boolean skipEmpty(Example e, String format, LossCollector losses) {
        int i = first(e, Conversation::hasNoText);
        if (i >= 0) {
            losses.skip(ConversionLoss.EMPTY_MESSAGE, at(i) + " (" + e.messages().get(i).role().wireName()
                    + ") has neither content nor tool calls; " + format + " needs text");
            return true;
        }
        return false;
    }

    /** Reports weight 0 on assistant messages in {@code [from, to)}. */
    static void dropZeroWeights(Example e, int from, int to, String format, LossCollector losses) {
        List<Integer> zero = indices(e, from, to, Conversation::isZeroWeight);
        if (!zero.isEmpty()) {
            losses.drop(ConversionLoss.WEIGHT_DROPPED, "weight 0 on " + at(zero) + " cannot be expressed in "
                    + format + (zero.size() == 1 ? "; the turn is kept as trained" : "; these turns are kept as trained"));
        }
    }

    /** Reports participant names on messages in {@code [from, to)}. */
    static void dropNames(Example e, int from, int to, String format, LossCollector losses) {
        List<Integer> named = indices(e, from, to, m -> m.name().isPresent());
        if (!named.isEmpty()) {
            losses.drop(ConversionLoss.NAME_DROPPED, (named.size() == 1 ? "name on " : "names on ") + at(named)
                    + " dropped; " + format + " has no participant names");
        }
    }

    /** Reports a {@code parallel_tool_calls} setting. */
    static void dropParallelToolCalls(Example e, String format, LossCollector losses) {
        if (e.parallelToolCalls().isPresent()) {
            losses.drop(ConversionLoss.PARALLEL_TOOL_CALLS_DROPPED, "parallel_tool_calls="
                    + e.parallelToolCalls().get() + " dropped; " + format + " has no such setting");
        }
    }

    /** Reports tool definitions. */
    static void dropTools(Example e, String format, LossCollector losses) {
        List<ToolDefinition> tools = e.tools();
        if (!tools.isEmpty()) {
            StringBuilder names = new StringBuilder();
            for (ToolDefinition t : tools) {
                names.append(names.length() == 0 ? "" : ", ").append(Names.printable(t.name()));
            }
            losses.drop(ConversionLoss.TOOLS_DROPPED, tools.size() + (tools.size() == 1 ? " tool definition" :
                    " tool definitions") + " (" + names + ") dropped; " + format + " has no tools");
        }
    }

    /** Reports the messages in {@code [from, to)}, after the last assistant message, as dropped. */
    static void dropTrailing(int from, int to, LossCollector losses) {
        String which = to - from == 1 ? at(from) : at(from) + " to " + at(to - 1);
        losses.drop(ConversionLoss.TRAILING_MESSAGES_DROPPED, which
                + " after the last assistant message dropped; they were not trained on");
    }

    /** Writes {@code "field":[messages from, to)} in OpenAI chat form. */
    static void writeMessages(JsonGenerator g, String field, List<Message> messages, int from, int to,
            boolean withName, boolean withWeight) throws IOException {
        writeMessages(g, field, messages, from, to, withName, withWeight, ExampleCodec::writeToolCall);
    }

    /** Writes {@code "field":[messages from, to)} in OpenAI chat form, each tool call written by {@code calls}. */
    static void writeMessages(JsonGenerator g, String field, List<Message> messages, int from, int to,
            boolean withName, boolean withWeight, ExampleCodec.ToolCallWriter calls) throws IOException {
        g.writeArrayFieldStart(field);
        for (int i = from; i < to; i++) {
            ExampleCodec.writeMessage(g, messages.get(i), withName, withWeight, calls);
        }
        g.writeEndArray();
    }

    /**
     * The arguments of every tool call of the messages in {@code [from, to)}, parsed, in order; or
     * null after recording a {@link ConversionLoss#TOOL_ARGUMENTS_NOT_OBJECT} skip for the first call
     * whose arguments are not a JSON object.
     *
     * @param why what the format does with them, ending the skip's sentence
     */
    static List<JsonNode> objectArguments(Example e, int from, int to, String why, LossCollector losses) {
        List<JsonNode> args = new ArrayList<>();
        for (int i = from; i < to; i++) {
            List<ToolCall> calls = e.messages().get(i).toolCalls();
            for (int c = 0; c < calls.size(); c++) {
                ToolCall call = calls.get(c);
                JsonNode parsed = parseObject(call.arguments());
                if (parsed == null) {
                    losses.skip(ConversionLoss.TOOL_ARGUMENTS_NOT_OBJECT, at(i) + ".tool_calls[" + c + "] ("
                            + Names.printable(call.name()) + ") arguments '" + Names.printable(call.arguments())
                            + "' are not a JSON object; " + why);
                    return null;
                }
                args.add(parsed);
            }
        }
        return args;
    }

    private static JsonNode parseObject(String json) {
        try {
            JsonNode node = Json.mapper().readTree(json);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException ex) {
            return null;
        }
    }

    /**
     * A writer of tool calls with {@code arguments} as the objects of {@code args}, taken in order:
     * {@code {"id","type":"function","function":{"name","arguments":{...}}}}.
     */
    static ExampleCodec.ToolCallWriter objectArgumentsWriter(List<JsonNode> args) {
        Iterator<JsonNode> next = args.iterator();
        return (g, c) -> {
            g.writeStartObject();
            g.writeStringField("id", c.id());
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", c.name());
            g.writeFieldName("arguments");
            Json.mapper().writeTree(g, next.next());
            g.writeEndObject();
            g.writeEndObject();
        };
    }

    /** Writes {@code "tools":[...]} in OpenAI form when there are tools. */
    static void writeTools(JsonGenerator g, List<ToolDefinition> tools) throws IOException {
        if (!tools.isEmpty()) {
            g.writeArrayFieldStart("tools");
            for (ToolDefinition t : tools) {
                ExampleCodec.writeTool(g, t);
            }
            g.writeEndArray();
        }
    }
}
