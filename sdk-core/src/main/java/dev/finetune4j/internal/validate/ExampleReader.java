package dev.finetune4j.internal.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.dataset.DataCheck;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.dataset.ValidationIssue.Severity;
import dev.finetune4j.internal.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one parsed JSONL object into an {@link Example}, reporting every problem it finds with the
 * stable codes of {@link IssueCode}. Stateless and thread-safe.
 */
public final class ExampleReader implements LineDecoder {

    private static final Set<String> MESSAGE_KEYS =
            Set.of("role", "content", "name", "weight", "tool_calls", "tool_call_id");
    private static final Set<String> EXAMPLE_KEYS = Set.of("messages", "tools", "parallel_tool_calls", "tags");

    private final DataRules rules;

    /** A reader applying the shared checks and the optional ones {@code rules} switch on. */
    public ExampleReader(DataRules rules) {
        this.rules = java.util.Objects.requireNonNull(rules, "rules");
    }

    /**
     * Reads one example.
     *
     * @param node the parsed line
     * @param line its line number, for the issues
     * @param issues receives every problem found
     * @return the example, or {@code null} when an error was reported
     */
    @Override
    public Example read(JsonNode node, long line, List<ValidationIssue> issues) {
        int errorsBefore = countErrors(issues);
        if (!node.isObject()) {
            issues.add(error(line, IssueCode.DATA_TYPE,
                    "each line must be a JSON object, found " + describe(node)));
            return null;
        }
        if (!upgradeLegacyFunctions((ObjectNode) node, line, issues)) {
            return null;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!EXAMPLE_KEYS.contains(key)) {
                issues.add(new ValidationIssue(line, IssueCode.EXAMPLE_UNRECOGNIZED_KEY, Severity.WARNING,
                        "unrecognized key '" + Names.printable(key) + "' is ignored; known keys are "
                                + "messages, tools, parallel_tool_calls, tags"));
            }
        }
        JsonNode messagesNode = node.get("messages");
        if (messagesNode == null || !messagesNode.isArray() || messagesNode.isEmpty()) {
            issues.add(error(line, IssueCode.MISSING_MESSAGES_LIST, messagesNode == null
                    ? "the object has no \"messages\" list"
                    : "\"messages\" must be a non-empty array, found " + describe(messagesNode)));
            return null;
        }
        Example.Builder builder = Example.builder();
        List<ToolDefinition> tools = readTools(node.get("tools"), line, issues);
        tools.forEach(builder::tool);
        JsonNode parallel = node.get("parallel_tool_calls");
        if (parallel != null && !parallel.isNull()) {
            if (parallel.isBoolean()) {
                builder.parallelToolCalls(parallel.booleanValue());
            } else {
                issues.add(error(line, IssueCode.INVALID_TOOLS,
                        "\"parallel_tool_calls\" must be true or false, found " + describe(parallel)));
            }
        }
        readTags(node.get("tags"), line, issues, builder);

        List<Message> messages = new ArrayList<>();
        int index = 0;
        for (JsonNode m : messagesNode) {
            Message message = readMessage(m, index, line, issues);
            if (message != null) {
                messages.add(message);
            }
            index++;
        }
        if (countErrors(issues) > errorsBefore) {
            return null;
        }
        checkConversation(messages, tools, line, issues);
        if (countErrors(issues) > errorsBefore) {
            return null;
        }
        return builder.messages(messages).build();
    }

    /**
     * Converts OpenAI's legacy {@code functions} / {@code function_call} / {@code role: "function"}
     * to tools in place (see {@link LegacyFunctions}); false after reporting why it cannot.
     */
    private static boolean upgradeLegacyFunctions(ObjectNode node, long line, List<ValidationIssue> issues) {
        return !LegacyFunctions.present(node) || LegacyFunctions.upgrade(node, line, issues);
    }

    private Message readMessage(JsonNode m, int index, long line, List<ValidationIssue> issues) {
        String where = "messages[" + index + "]";
        if (!m.isObject()) {
            issues.add(error(line, IssueCode.MESSAGE_MISSING_KEY, where + " must be an object with \"role\" and "
                    + "\"content\", found " + describe(m)));
            return null;
        }
        boolean ok = true;
        for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!MESSAGE_KEYS.contains(key)) {
                issues.add(error(line, IssueCode.MESSAGE_UNRECOGNIZED_KEY, where + " has unrecognized key '"
                        + Names.printable(key) + "'; allowed keys are role, content, name, weight, tool_calls, "
                        + "tool_call_id"));
                ok = false;
            }
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null) {
            issues.add(error(line, IssueCode.MESSAGE_MISSING_KEY, where + " has no \"role\""));
            return null;
        }
        Role role = roleNode.isTextual() ? Role.fromWireName(roleNode.textValue()).orElse(null) : null;
        if (role == null) {
            issues.add(error(line, IssueCode.UNRECOGNIZED_ROLE, where + " has role " + describe(roleNode)
                    + "; use system, user, assistant or tool"));
            return null;
        }
        List<ToolCall> toolCalls = readToolCalls(m.get("tool_calls"), where, role, line, issues);
        if (toolCalls == null) {
            ok = false;
            toolCalls = List.of();
        }
        JsonNode contentNode = m.get("content");
        String content = null;
        JsonNode callsNode = m.get("tool_calls");
        boolean contentOptional = role == Role.ASSISTANT && callsNode != null && !callsNode.isNull();
        if (contentNode == null || contentNode.isNull()) {
            if (!contentOptional) {
                issues.add(error(line, IssueCode.MISSING_CONTENT, where + " (" + role.wireName() + ") has "
                        + (contentNode == null ? "no \"content\"" : "null \"content\"")));
                ok = false;
            }
        } else if (!contentNode.isTextual()) {
            issues.add(error(line, IssueCode.MISSING_CONTENT, where + " (" + role.wireName()
                    + ") content must be a string, found " + describe(contentNode)));
            ok = false;
        } else {
            content = contentNode.textValue();
            if (content.isEmpty() && !contentOptional) {
                issues.add(error(line, IssueCode.MISSING_CONTENT, where + " (" + role.wireName()
                        + ") has empty \"content\""));
                ok = false;
            } else if (contentOptional && rules.applies(DataCheck.NO_CONTENT_BESIDE_TOOL_CALLS) && !content.isEmpty()) {
                issues.add(error(line, IssueCode.INVALID_TOOL_CALL, where + " has both content and tool_calls; "
                        + rules.owner() + " requires no content beside tool calls"));
                ok = false;
            }
            if (contentOptional && content.isEmpty()) {
                content = null;
            }
        }
        String name = null;
        JsonNode nameNode = m.get("name");
        if (nameNode != null && !nameNode.isNull()) {
            if (nameNode.isTextual() && !nameNode.textValue().isEmpty()) {
                name = nameNode.textValue();
            } else {
                issues.add(error(line, IssueCode.MESSAGE_MISSING_KEY, where + " \"name\" must be a non-empty string, "
                        + "found " + describe(nameNode)));
                ok = false;
            }
        }
        Integer weight = null;
        JsonNode weightNode = m.get("weight");
        if (weightNode != null && !weightNode.isNull()) {
            if (role != Role.ASSISTANT) {
                issues.add(error(line, IssueCode.INVALID_WEIGHT, where + " (" + role.wireName()
                        + ") has a weight; only assistant messages may have one"));
                ok = false;
            } else if (rules.applies(DataCheck.NO_WEIGHTS)) {
                issues.add(error(line, IssueCode.INVALID_WEIGHT, where + " has a weight; " + rules.owner()
                        + " trains on every assistant message and takes no weights"));
                ok = false;
            } else if (weightNode.isIntegralNumber() && (weightNode.asLong() == 0 || weightNode.asLong() == 1)) {
                weight = weightNode.intValue();
            } else {
                issues.add(error(line, IssueCode.INVALID_WEIGHT, where + " weight must be 0 or 1, found "
                        + describe(weightNode)));
                ok = false;
            }
        }
        String toolCallId = null;
        JsonNode idNode = m.get("tool_call_id");
        if (role == Role.TOOL) {
            if (idNode != null && idNode.isTextual() && !idNode.textValue().isEmpty()) {
                toolCallId = idNode.textValue();
            } else if (idNode != null && !idNode.isNull()) {
                issues.add(error(line, IssueCode.TOOL_CALL_ID_MISMATCH, where
                        + " tool_call_id must be a non-empty string, found " + describe(idNode)));
                ok = false;
            } else if (rules.applies(DataCheck.TOOL_MESSAGE_HAS_CALL_ID)) {
                issues.add(error(line, IssueCode.MESSAGE_MISSING_KEY, where
                        + " (tool) has no \"tool_call_id\"; " + rules.owner() + " requires one"));
                ok = false;
            }
        } else if (idNode != null && !idNode.isNull()) {
            issues.add(error(line, IssueCode.MESSAGE_UNRECOGNIZED_KEY, where + " (" + role.wireName()
                    + ") has \"tool_call_id\"; only tool messages have one"));
            ok = false;
        }
        if (!ok) {
            return null;
        }
        return Message.of(role, content, name, weight, toolCalls, toolCallId);
    }

    private List<ToolCall> readToolCalls(JsonNode node, String where, Role role, long line,
            List<ValidationIssue> issues) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (role != Role.ASSISTANT) {
            issues.add(error(line, IssueCode.INVALID_TOOL_CALL, where + " (" + role.wireName()
                    + ") has tool_calls; only assistant messages may call tools"));
            return null;
        }
        if (!node.isArray() || node.isEmpty()) {
            issues.add(error(line, IssueCode.INVALID_TOOL_CALL, where + " tool_calls must be a non-empty array, found "
                    + describe(node)));
            return null;
        }
        List<ToolCall> calls = new ArrayList<>();
        int i = 0;
        for (JsonNode c : node) {
            String at = where + ".tool_calls[" + i++ + "]";
            JsonNode id = c.get("id");
            JsonNode function = c.get("function");
            JsonNode type = c.get("type");
            if (type != null && !"function".equals(type.asText())) {
                issues.add(error(line, IssueCode.INVALID_TOOL_CALL, at + " type must be \"function\", found "
                        + describe(type)));
                return null;
            }
            if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
                issues.add(error(line, IssueCode.INVALID_TOOL_CALL, at + " needs a string \"id\""));
                return null;
            }
            if (function == null || !function.isObject() || !function.path("name").isTextual()) {
                issues.add(error(line, IssueCode.INVALID_TOOL_CALL, at + " needs \"function\" with a string \"name\""));
                return null;
            }
            JsonNode args = function.get("arguments");
            if (args == null || !args.isTextual()) {
                issues.add(error(line, IssueCode.INVALID_TOOL_CALL, at + " function.arguments must be a JSON string, found "
                        + (args == null ? "nothing" : describe(args))));
                return null;
            }
            if (!rules.acceptsToolCallId(id.textValue())) {
                issues.add(error(line, IssueCode.TOOL_CALL_ID_MISMATCH, at + " id '" + Names.printable(id.textValue())
                        + "' has " + id.textValue().length() + " characters; " + rules.owner() + " requires "
                        + rules.toolCallIdFormat().orElseThrow()));
                return null;
            }
            calls.add(new ToolCall(id.textValue(), function.get("name").textValue(), args.textValue()));
        }
        return calls;
    }

    private List<ToolDefinition> readTools(JsonNode node, long line, List<ValidationIssue> issues) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            issues.add(error(line, IssueCode.INVALID_TOOLS, "\"tools\" must be an array, found " + describe(node)));
            return List.of();
        }
        List<ToolDefinition> tools = new ArrayList<>();
        int i = 0;
        for (JsonNode t : node) {
            String at = "tools[" + i++ + "]";
            JsonNode function = t.get("function");
            if (function == null || !function.isObject() || !function.path("name").isTextual()) {
                issues.add(error(line, IssueCode.INVALID_TOOLS, at + " needs {\"type\":\"function\",\"function\":"
                        + "{\"name\":...}}"));
                continue;
            }
            JsonNode description = function.get("description");
            JsonNode parameters = function.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                issues.add(error(line, IssueCode.INVALID_TOOLS, at + " parameters must be a JSON schema object, found "
                        + describe(parameters)));
                continue;
            }
            tools.add(ToolDefinition.of(function.get("name").textValue(),
                    description != null && description.isTextual() ? description.textValue() : null,
                    parameters == null || parameters.isNull() ? null : parameters.toString()));
        }
        return tools;
    }

    private static void readTags(JsonNode node, long line, List<ValidationIssue> issues, Example.Builder builder) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            issues.add(error(line, IssueCode.INVALID_TAGS, "\"tags\" must be an object of strings, found " + describe(node)));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                issues.add(error(line, IssueCode.INVALID_TAGS, "tag '" + Names.printable(e.getKey())
                        + "' must be a string, found " + describe(e.getValue())));
                return;
            }
            builder.tag(e.getKey(), e.getValue().textValue());
        }
    }

    private void checkConversation(List<Message> messages, List<ToolDefinition> tools, long line,
            List<ValidationIssue> issues) {
        boolean hasAssistant = messages.stream().anyMatch(m -> m.role() == Role.ASSISTANT);
        if (!hasAssistant) {
            issues.add(error(line, IssueCode.EXAMPLE_MISSING_ASSISTANT_MESSAGE,
                    "the example has no assistant message, so there is nothing to learn from"));
            return;
        }
        Set<String> callIds = new HashSet<>();
        Set<String> defined = new HashSet<>();
        tools.forEach(t -> defined.add(t.name()));
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            for (ToolCall c : m.toolCalls()) {
                callIds.add(c.id());
                if (rules.applies(DataCheck.CALLED_TOOLS_DEFINED) && !defined.contains(c.name())) {
                    issues.add(error(line, IssueCode.UNDEFINED_TOOL, "messages[" + i + "] calls '"
                            + Names.printable(c.name()) + "' which \"tools\" does not define; " + rules.owner()
                            + " requires every called tool to be defined"));
                }
            }
            if (m.role() == Role.TOOL && m.toolCallId().isPresent() && !callIds.contains(m.toolCallId().get())) {
                issues.add(error(line, IssueCode.TOOL_CALL_ID_MISMATCH, "messages[" + i + "] answers tool_call_id '"
                        + Names.printable(m.toolCallId().get()) + "' which no earlier assistant message called"));
            }
            if (rules.applies(DataCheck.SINGLE_LEADING_SYSTEM_MESSAGE) && m.role() == Role.SYSTEM && i != 0) {
                issues.add(error(line, IssueCode.SYSTEM_MESSAGE_POSITION, "messages[" + i
                        + "] is a system message; " + rules.owner() + " allows one system message, and only first"));
            }
        }
        Role last = messages.get(messages.size() - 1).role();
        if (rules.applies(DataCheck.ASSISTANT_MESSAGE_LAST) && last != Role.ASSISTANT) {
            issues.add(error(line, IssueCode.LAST_MESSAGE_NOT_ASSISTANT, "the last message is "
                    + last.wireName() + "; " + rules.owner()
                    + " requires an assistant message last"));
        }
    }

    static ValidationIssue error(long line, IssueCode code, String message) {
        return new ValidationIssue(line, code, Severity.ERROR, message);
    }

    private static int countErrors(List<ValidationIssue> issues) {
        int n = 0;
        for (ValidationIssue i : issues) {
            if (i.severity() == Severity.ERROR) {
                n++;
            }
        }
        return n;
    }

    /** Describes a JSON value for a message: its type and, for short scalars, the value. */
    public static String describe(JsonNode node) {
        JsonNodeType type = node.getNodeType();
        return switch (type) {
            case NULL -> "null";
            case BOOLEAN, NUMBER -> type.name().toLowerCase(java.util.Locale.ROOT) + " " + node.asText();
            case STRING -> "string '" + Names.printable(node.textValue()) + "'";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
