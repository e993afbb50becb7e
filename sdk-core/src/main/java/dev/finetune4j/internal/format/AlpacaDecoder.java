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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads Alpaca lines as chat examples, following the convention of Stanford Alpaca (tatsu-lab/
 * stanford_alpaca, README "Data Release": {@code instruction} describes the task, {@code input} is
 * optional context for it, {@code output} is the answer) and the extended form of LLaMA-Factory
 * (hiyouga/LLaMA-Factory, data/README.md "Alpaca Format": the user prompt is
 * {@code instruction + "\n" + input}, an optional {@code system} column is the system prompt, an
 * optional {@code history} column lists earlier {@code [instruction, response]} pairs, whose
 * responses are trained on too).
 *
 * <p>So {@code {"instruction","input"?,"output","system"?,"history"?}} becomes: the system message
 * when {@code system} is not empty, a user and an assistant message per history pair, then the
 * user message (the instruction, or instruction + {@code "\n"} + input when the input is not
 * empty) and the assistant message (the output). A line with an empty input survives import and
 * export unchanged, its system column included; one with an input comes back with the input joined
 * to the instruction. Stateless and thread-safe.
 */
public final class AlpacaDecoder implements LineDecoder {

    private static final Set<String> KEYS = Set.of("instruction", "input", "output", "system", "history");

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
                                + "input, output, system, history"));
            }
        }
        String instruction = text(node, "instruction", true, line, issues);
        String input = text(node, "input", false, line, issues);
        String output = text(node, "output", true, line, issues);
        String system = text(node, "system", false, line, issues);
        List<Message> history = history(node.get("history"), line, issues);
        if (instruction == null || input == null || output == null || system == null || history == null) {
            return null;
        }
        List<Message> messages = new ArrayList<>(history.size() + 3);
        if (!system.isEmpty()) {
            messages.add(Message.system(system));
        }
        messages.addAll(history);
        messages.add(Message.user(input.isEmpty() ? instruction : instruction + "\n" + input));
        messages.add(Message.assistant(output));
        return Example.of(messages.toArray(Message[]::new));
    }

    /** LLaMA-Factory's {@code history}: {@code [[instruction, response], ...]}; null after reporting an error. */
    private static List<Message> history(JsonNode node, long line, List<ValidationIssue> issues) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            issues.add(error(line, IssueCode.MISSING_CONTENT, "\"history\" must be an array of [instruction, response] "
                    + "pairs, found " + ExampleReader.describe(node)));
            return null;
        }
        List<Message> messages = new ArrayList<>(node.size() * 2);
        for (int i = 0; i < node.size(); i++) {
            JsonNode pair = node.get(i);
            if (!pair.isArray() || pair.size() != 2 || !nonEmptyText(pair.get(0)) || !nonEmptyText(pair.get(1))) {
                issues.add(error(line, IssueCode.MISSING_CONTENT, "history[" + i + "] must be [instruction, response], "
                        + "two non-empty strings, found " + ExampleReader.describe(pair)));
                return null;
            }
            messages.add(Message.user(pair.get(0).textValue()));
            messages.add(Message.assistant(pair.get(1).textValue()));
        }
        return messages;
    }

    private static boolean nonEmptyText(JsonNode node) {
        return node.isTextual() && !node.textValue().isEmpty();
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
