package dev.finetune4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.finetune4j.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What emulated chat models answer, shared by the OpenAI-style chat endpoints: a base model gives
 * a fixed, generic sentence; a fine-tuned model answers with the reply of its most similar
 * training example (tool calls included), so an evaluation of a trained model against its base
 * shows a real difference. Stateless.
 */
public final class ChatReplies {

    /** Stream pieces: a word with the spaces before it. */
    public static final Pattern PIECES = Pattern.compile("\\s*\\S+|\\s+");

    private ChatReplies() {}

    /** An answer: text, or tool calls (then text is null). */
    public record Answer(String text, ArrayNode toolCalls) {}

    /** The reply of the training example most similar to {@code question}; empty text for no examples. */
    public static Answer trained(TrainingSet examples, String question) {
        return examples.closest(question).map(e -> {
            JsonNode reply = e.reply();
            if (reply.path("tool_calls").isArray() && !reply.path("tool_calls").isEmpty()
                    && (reply.get("content") == null || reply.get("content").isNull())) {
                return new Answer(null, (ArrayNode) reply.get("tool_calls"));
            }
            return new Answer(TrainingSet.text(reply), null);
        }).orElse(new Answer("", null));
    }

    /** The fixed answer of a base model (as JSON when {@code responseFormat} starts with {@code json}). */
    public static String base(String model, String question, String responseFormat) {
        String q = question.strip().replaceAll("\\s+", " ");
        if (q.length() > 80) {
            q = q.substring(0, 77) + "...";
        }
        String text = "I am " + model + ", a base model that was not fine-tuned on your examples. A general answer to \""
                + q + "\": it depends on the details of your situation.";
        if (responseFormat.startsWith("json")) {
            return Jsons.write(Jsons.object().put("answer", text));
        }
        return text;
    }

    /** The text of the last user message, or "". */
    public static String lastUserText(JsonNode messages) {
        String last = "";
        for (JsonNode m : messages) {
            if (m.path("role").asText().equals("user")) {
                last = TrainingSet.text(m);
            }
        }
        return last;
    }

    /** The longest prefix of whole pieces that fits in {@code maxTokens}. */
    public static String truncate(String text, int maxTokens, TokenCounter counter) {
        Matcher m = PIECES.matcher(text);
        List<String> pieces = new ArrayList<>();
        while (m.find()) {
            pieces.add(m.group());
        }
        StringBuilder out = new StringBuilder();
        for (String p : pieces) {
            if (counter.countText(out + p) > maxTokens) {
                break;
            }
            out.append(p);
        }
        return out.toString();
    }
}
