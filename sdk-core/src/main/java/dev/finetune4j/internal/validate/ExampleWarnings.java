package dev.finetune4j.internal.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.dataset.ValidationIssue.Severity;
import dev.finetune4j.internal.Names;
import dev.finetune4j.internal.json.Json;
import java.util.function.Consumer;

/**
 * Warnings about an accepted example that do not reject it: the "data warnings" of OpenAI's
 * cookbook notebook <i>Data preparation and analysis for chat model fine-tuning</i> (examples
 * missing a system message, examples missing a user message) and tool-call arguments encoded
 * twice. Format-neutral: they look at the example, whatever file format it came from. Stateless.
 */
final class ExampleWarnings {

    private ExampleWarnings() {}

    /** Reports each warning that applies to the example read from {@code line}. */
    static void check(Example example, long line, Consumer<ValidationIssue> out) {
        boolean system = false;
        boolean user = false;
        for (Message m : example.messages()) {
            system |= m.role() == Role.SYSTEM;
            user |= m.role() == Role.USER;
        }
        if (!system) {
            out.accept(new ValidationIssue(line, IssueCode.MISSING_SYSTEM_MESSAGE, Severity.WARNING,
                    "the example has no system message"));
        }
        if (!user) {
            out.accept(new ValidationIssue(line, IssueCode.MISSING_USER_MESSAGE, Severity.WARNING,
                    "the example has no user message; alpaca, bedrock-claude and vertex-gemini skip such examples"));
        }
        checkDoubleEncoded(example, line, out);
    }

    /** One warning naming the first call whose arguments are a JSON string holding JSON, and how many there are. */
    private static void checkDoubleEncoded(Example example, long line, Consumer<ValidationIssue> out) {
        String first = null;
        int count = 0;
        for (int i = 0; i < example.messages().size(); i++) {
            Message m = example.messages().get(i);
            for (int c = 0; c < m.toolCalls().size(); c++) {
                ToolCall call = m.toolCalls().get(c);
                String inner = innerJson(call.arguments());
                if (inner != null) {
                    count++;
                    if (first == null) {
                        first = "messages[" + i + "].tool_calls[" + c + "] (" + Names.printable(call.name())
                                + ") arguments '" + Names.printable(call.arguments()) + "' are a JSON string holding '"
                                + Names.printable(inner) + "'";
                    }
                }
            }
        }
        if (count > 0) {
            out.accept(new ValidationIssue(line, IssueCode.DOUBLE_ENCODED_ARGUMENTS, Severity.WARNING, first
                    + (count > 1 ? " (and " + (count - 1) + " more)" : "")
                    + ": encoded twice, so the model learns to write an escaped string; write the inner JSON once"));
        }
    }

    /**
     * The text of arguments that are a JSON string whose text is a JSON object or array, else null.
     * Only arguments starting with a quote are parsed, so ordinary arguments cost one character test.
     */
    static String innerJson(String arguments) {
        int start = 0;
        while (start < arguments.length() && Character.isWhitespace(arguments.charAt(start))) {
            start++;
        }
        if (start == arguments.length() || arguments.charAt(start) != '"') {
            return null;
        }
        try {
            JsonNode outer = Json.mapper().readTree(arguments);
            if (outer == null || !outer.isTextual()) {
                return null;
            }
            String text = outer.textValue().strip();
            if (!text.startsWith("{") && !text.startsWith("[")) {
                return null;
            }
            JsonNode inner = Json.mapper().readTree(text);
            return inner != null && inner.isContainerNode() ? text : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
