package dev.finetune4j.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.IssueCode;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ValidationIssue;
import dev.finetune4j.dataset.ValidationIssue.Severity;
import dev.finetune4j.internal.Names;
import dev.finetune4j.internal.validate.ExampleReader;
import dev.finetune4j.internal.validate.LineDecoder;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads Alpaca lines, {@code {"instruction","input"?,"output"}}, as two-message examples, the
 * usual way Alpaca data is turned into chat: no system message; the user message is the
 * instruction when the input is empty or absent, else instruction + {@code "\n\n"} + input; the
 * assistant message is the output.
 *
 * <p>So an Alpaca line with an empty input survives import and export unchanged; one with an
 * input comes back with the input folded into the instruction. Stateless and thread-safe.
 */
public final class AlpacaDecoder implements LineDecoder {

    private static final Set<String> KEYS = Set.of("instruction", "input", "output");

    @Override
    public Example read(JsonNode node, long line, List<ValidationIssue> issues) {
        if (!node.isObject()) {
            issues.add(error(line, IssueCode.DATA_TYPE, "each line must be a JSON object with \"instruction\" and "
                    + "\"output\", found " + ExampleReader.describe(node)));
            return null;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                issues.add(new ValidationIssue(line, IssueCode.EXAMPLE_UNRECOGNIZED_KEY, Severity.WARNING,
                        "unrecognized key '" + Names.printable(key) + "' is ignored; alpaca keys are instruction, "
                                + "input, output"));
            }
        }
        String instruction = text(node, "instruction", true, line, issues);
        String input = text(node, "input", false, line, issues);
        String output = text(node, "output", true, line, issues);
        if (instruction == null || input == null || output == null) {
            return null;
        }
        String user = input.isEmpty() ? instruction : instruction + "\n\n" + input;
        return Example.of(Message.user(user), Message.assistant(output));
    }

    /** The string value of a key; "" for an absent optional one; null after reporting an error. */
    private static String text(JsonNode node, String key, boolean required, long line,
            List<ValidationIssue> issues) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (!required) {
                return "";
            }
            issues.add(error(line, IssueCode.MISSING_CONTENT, (value == null ? "no \"" : "null \"") + key
                    + "\"; alpaca lines need string \"instruction\" and \"output\""));
            return null;
        }
        if (!value.isTextual()) {
            issues.add(error(line, IssueCode.MISSING_CONTENT, "\"" + key + "\" must be a string, found "
                    + ExampleReader.describe(value)));
            return null;
        }
        if (required && value.textValue().isEmpty()) {
            issues.add(error(line, IssueCode.MISSING_CONTENT, "\"" + key + "\" is empty; alpaca lines need a "
                    + "non-empty \"instruction\" and \"output\""));
            return null;
        }
        return value.textValue();
    }

    private static ValidationIssue error(long line, IssueCode code, String message) {
        return new ValidationIssue(line, code, Severity.ERROR, message);
    }
}
