package dev.finetune4j.internal.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.dataset.ValidationIssue.Severity;
import dev.finetune4j.internal.Names;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts OpenAI's legacy function calling in a parsed line to the tools shape OpenAI replaced it
 * with, before the line is read: top-level {@code functions} become {@code tools}, an assistant's
 * {@code function_call} becomes a one-element {@code tool_calls}, and a {@code role: "function"}
 * message becomes a {@code tool} message answering the earliest unanswered call of the function it
 * names (legacy messages are matched by name and order; tools by id). OpenAI documents the two as
 * the same feature ({@code functions} and {@code function_call} are deprecated in favour of
 * {@code tools}), and Azure's fine-tuning samples still use the legacy keys.
 *
 * <p>Generated call ids are {@code call} + the message index in five digits ({@code call00002}):
 * the same line always gets the same ids, they are unique in the example, and they already have
 * the 9 letters and digits Mistral requires. The conversion is reported as one
 * {@link IssueCode#LEGACY_FUNCTIONS_CONVERTED} warning per line that says what changed. Stateless.
 */
final class LegacyFunctions {

    private static final int MAX_LISTED = 5;

    private LegacyFunctions() {}

    /** Whether the line uses any legacy key or role; cheap, so it can guard every line. */
    static boolean present(JsonNode node) {
        if (node.has("functions")) {
            return true;
        }
        JsonNode messages = node.get("messages");
        if (messages == null || !messages.isArray()) {
            return false;
        }
        for (JsonNode m : messages) {
            if (m.has("function_call") || "function".equals(m.path("role").textValue())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Rewrites the line in place and reports what was converted.
     *
     * @return {@code false} after reporting an error (the legacy parts cannot be converted, so the
     *     line is rejected); {@code true} once converted
     */
    static boolean upgrade(ObjectNode node, long line, List<ValidationIssue> issues) {
        List<String> changes = new ArrayList<>();
        if (node.has("functions") && !convertFunctions(node, line, issues, changes)) {
            return false;
        }
        JsonNode messages = node.get("messages");
        if (messages != null && messages.isArray() && !convertMessages((ArrayNode) messages, line, issues, changes)) {
            return false;
        }
        StringBuilder sb = new StringBuilder("legacy function calling converted to tools: ");
        int shown = Math.min(MAX_LISTED, changes.size());
        sb.append(String.join("; ", changes.subList(0, shown)));
        if (changes.size() > shown) {
            sb.append("; and ").append(changes.size() - shown).append(" more");
        }
        issues.add(new ValidationIssue(line, IssueCode.LEGACY_FUNCTIONS_CONVERTED, Severity.WARNING, sb.toString()));
        return true;
    }

    /** {@code functions: [f]} -> {@code tools: [{"type":"function","function":f}]}, after any tools the line has. */
    private static boolean convertFunctions(ObjectNode node, long line, List<ValidationIssue> issues,
            List<String> changes) {
        JsonNode functions = node.remove("functions");
        if (functions.isNull()) {
            return true;
        }
        if (!functions.isArray()) {
            issues.add(ExampleReader.error(line, IssueCode.INVALID_TOOLS,
                    "\"functions\" (legacy) must be an array, found " + ExampleReader.describe(functions)));
            return false;
        }
        JsonNode existing = node.get("tools");
        if (existing != null && !existing.isNull() && !existing.isArray()) {
            // the tools reader reports the malformed list; the functions cannot be merged into it
            issues.add(ExampleReader.error(line, IssueCode.INVALID_TOOLS,
                    "\"tools\" must be an array to take the legacy \"functions\", found " + ExampleReader.describe(existing)));
            return false;
        }
        ArrayNode tools = existing == null || existing.isNull() ? node.putArray("tools") : (ArrayNode) existing;
        Set<String> defined = new HashSet<>();
        tools.forEach(t -> defined.add(t.path("function").path("name").asText()));
        int added = 0;
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < functions.size(); i++) {
            JsonNode f = functions.get(i);
            if (!f.isObject() || !f.path("name").isTextual()) {
                issues.add(ExampleReader.error(line, IssueCode.INVALID_TOOLS, "functions[" + i
                        + "] (legacy) must be an object with a string \"name\", found " + ExampleReader.describe(f)));
                return false;
            }
            String name = f.get("name").textValue();
            if (!defined.add(name)) {
                kept.add(Names.printable(name));
                continue;
            }
            ObjectNode tool = tools.addObject();
            tool.put("type", "function");
            tool.set("function", f);
            added++;
        }
        changes.add("functions (" + added + ") -> tools"
                + (kept.isEmpty() ? "" : " (" + String.join(", ", kept) + " already in tools, kept from there)"));
        return true;
    }

    private static boolean convertMessages(ArrayNode messages, long line, List<ValidationIssue> issues,
            List<String> changes) {
        Set<String> taken = new HashSet<>();
        for (JsonNode m : messages) {
            for (JsonNode call : m.path("tool_calls")) {
                taken.add(call.path("id").asText());
            }
        }
        // per function name, the ids of calls not answered yet, oldest first
        Map<String, Deque<String>> open = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof ObjectNode m)) {
                continue;
            }
            String where = "messages[" + i + "]";
            if (m.has("function_call")) {
                String id = convertCall(m, i, where, taken, line, issues);
                if (id == null) {
                    return false;
                }
                String name = m.path("tool_calls").path(0).path("function").path("name").textValue();
                open.computeIfAbsent(name, n -> new ArrayDeque<>()).add(id);
                changes.add(where + ".function_call -> tool_calls id '" + id + "'");
            } else if ("function".equals(m.path("role").textValue())) {
                String answered = convertResult(m, where, open, line, issues);
                if (answered == null) {
                    return false;
                }
                changes.add(where + " role function -> tool answering '" + answered + "'");
            }
        }
        return true;
    }

    /** An assistant's {@code function_call} -> {@code tool_calls}; returns the new call's id, or null after an error. */
    private static String convertCall(ObjectNode m, int index, String where, Set<String> taken, long line,
            List<ValidationIssue> issues) {
        JsonNode call = m.get("function_call");
        if (!"assistant".equals(m.path("role").textValue())) {
            issues.add(ExampleReader.error(line, IssueCode.INVALID_TOOL_CALL, where + " ("
                    + Names.printable(m.path("role").asText()) + ") has function_call; only assistant messages may call "
                    + "functions"));
            return null;
        }
        if (m.has("tool_calls") && !m.get("tool_calls").isNull()) {
            issues.add(ExampleReader.error(line, IssueCode.INVALID_TOOL_CALL, where
                    + " has both function_call (legacy) and tool_calls; keep one"));
            return null;
        }
        if (!call.isObject() || !call.path("name").isTextual() || !call.path("arguments").isTextual()) {
            issues.add(ExampleReader.error(line, IssueCode.INVALID_TOOL_CALL, where
                    + " function_call (legacy) must be {\"name\": string, \"arguments\": JSON string}, found "
                    + (call.isObject() ? "an object without them" : ExampleReader.describe(call))));
            return null;
        }
        String id = callId(index, taken);
        m.remove("function_call");
        ObjectNode toolCall = m.putArray("tool_calls").addObject();
        toolCall.put("id", id);
        toolCall.put("type", "function");
        ObjectNode function = toolCall.putObject("function");
        function.set("name", call.get("name"));
        function.set("arguments", call.get("arguments"));
        return id;
    }

    /** A {@code function} message -> a {@code tool} message; returns the id it answers, or null after an error. */
    private static String convertResult(ObjectNode m, String where, Map<String, Deque<String>> open, long line,
            List<ValidationIssue> issues) {
        JsonNode name = m.get("name");
        if (name == null || !name.isTextual()) {
            issues.add(ExampleReader.error(line, IssueCode.MESSAGE_MISSING_KEY, where
                    + " (role function, legacy) needs the \"name\" of the function whose result it is"));
            return null;
        }
        JsonNode given = m.get("tool_call_id");
        String id;
        if (given != null && given.isTextual()) {
            id = given.textValue();
        } else {
            Deque<String> calls = open.get(name.textValue());
            if (calls == null || calls.isEmpty()) {
                issues.add(ExampleReader.error(line, IssueCode.TOOL_CALL_ID_MISMATCH, where + " (role function, legacy) "
                        + "is the result of '" + Names.printable(name.textValue()) + "', which no earlier "
                        + "function_call calls (or whose calls all have a result already)"));
                return null;
            }
            id = calls.removeFirst();
        }
        // the function's name is on the call the result answers; a tool message has no name
        m.remove("name");
        m.put("role", "tool");
        m.put("tool_call_id", id);
        return id;
    }

    /** {@code call00002} for messages[2], or, in the unlikely case the example has that id, the next free variant. */
    private static String callId(int index, Set<String> taken) {
        String id = String.format(java.util.Locale.ROOT, "call%05d", index);
        for (int k = 1; !taken.add(id); k++) {
            id = String.format(java.util.Locale.ROOT, "c%03d%05d", k, index);
        }
        return id;
    }
}
