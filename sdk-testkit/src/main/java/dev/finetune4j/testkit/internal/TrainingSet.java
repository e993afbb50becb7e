package dev.finetune4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The examples of a chat-format training file (OpenAI / Mistral {@code {"messages": [...]}} lines,
 * or OpenAI preference lines), checked minimally, and what a model trained on them answers: the
 * example whose last user message is most similar (word Jaccard) to the question says how the
 * conversation goes on ({@link ChatTurn#trained}). Immutable and thread-safe.
 */
public final class TrainingSet {

    /**
     * One training example, reduced to what the emulators need.
     *
     * @param question the text of its last user message
     * @param reply its last trained assistant message (weight 1), or a preference line's preferred output
     * @param turns the trained assistant messages after its last user message, in order: the answer
     *     to the question, then the answer after each round of tool results (a preference line: its
     *     preferred output)
     */
    public record Example(String question, Set<String> words, JsonNode reply, int tokens, List<JsonNode> turns) {

        public Example {
            turns = List.copyOf(turns);
        }
    }

    /** The first problem found in a file. */
    public record Problem(int line, String message) {}

    /** Either the examples or the first problem. */
    public record Parsed(TrainingSet set, Problem problem) {

        public boolean ok() {
            return problem == null;
        }
    }

    /** Which line shape a file must have. */
    public enum Shape {
        /** {@code {"messages": [...]}} with at least one assistant message. */
        CHAT,
        /** {@code {"input": {"messages": [...]}, "preferred_output": [...], "non_preferred_output": [...]}}. */
        PREFERENCE
    }

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    private final List<Example> examples;

    private TrainingSet(List<Example> examples) {
        this.examples = List.copyOf(examples);
    }

    public static TrainingSet of(Collection<Example> examples) {
        return new TrainingSet(new ArrayList<>(examples));
    }

    public static TrainingSet empty() {
        return new TrainingSet(List.of());
    }

    /** Parses JSONL text; tokens are counted with {@code counter}. */
    public static Parsed parse(String text, Shape shape, TokenCounter counter) {
        List<Example> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int lineNo = i + 1;
            Optional<JsonNode> node = Jsons.parse(line);
            if (node.isEmpty() || !node.get().isObject()) {
                return problem(lineNo, "line is not a JSON object");
            }
            JsonNode root = node.get();
            JsonNode messages = shape == Shape.CHAT ? root.get("messages") : root.path("input").get("messages");
            String where = shape == Shape.CHAT ? "messages" : "input.messages";
            if (messages == null || !messages.isArray() || messages.isEmpty()) {
                return problem(lineNo, "key \"" + where + "\" is missing or is not a non-empty array");
            }
            JsonNode reply = null;
            String question = "";
            List<JsonNode> turns = new ArrayList<>();
            int tokens = 3;
            for (int m = 0; m < messages.size(); m++) {
                JsonNode msg = messages.get(m);
                String role = msg.path("role").asText("");
                if (!msg.isObject() || !ROLES.contains(role)) {
                    return problem(lineNo, "message " + (m + 1) + " has an unrecognized role '" + role + "'");
                }
                JsonNode content = msg.get("content");
                boolean hasToolCalls = msg.path("tool_calls").isArray() || msg.path("function_call").isObject();
                if ((content == null || content.isNull()) && !(role.equals("assistant") && hasToolCalls)) {
                    return problem(lineNo, "message " + (m + 1) + " is missing \"content\"");
                }
                JsonNode weight = msg.get("weight");
                if (weight != null && !(weight.isInt() && (weight.asInt() == 0 || weight.asInt() == 1))) {
                    return problem(lineNo, "message " + (m + 1) + ": \"weight\" must be 0 or 1");
                }
                tokens += 3 + counter.countText(role) + counter.countText(text(msg));
                if (role.equals("user")) {
                    question = text(msg);
                    turns.clear();
                } else if (role.equals("assistant") && shape == Shape.CHAT && (weight == null || weight.asInt() == 1)) {
                    reply = msg;
                    turns.add(msg);
                }
            }
            if (shape == Shape.PREFERENCE) {
                JsonNode preferred = root.path("preferred_output");
                JsonNode other = root.path("non_preferred_output");
                if (!preferred.isArray() || preferred.isEmpty() || !other.isArray() || other.isEmpty()) {
                    return problem(lineNo, "keys \"preferred_output\" and \"non_preferred_output\" must be non-empty arrays");
                }
                reply = preferred.get(0);
                turns = List.of(reply);
                tokens += counter.countText(text(reply)) + counter.countText(text(other.get(0)));
            }
            if (reply == null) {
                return problem(lineNo, "at least one message must be from the assistant (with weight 1)");
            }
            out.add(new Example(question, words(question), reply, tokens, turns));
        }
        return new Parsed(new TrainingSet(out), null);
    }

    private static Parsed problem(int line, String message) {
        return new Parsed(null, new Problem(line, message));
    }

    public List<Example> examples() {
        return examples;
    }

    public int size() {
        return examples.size();
    }

    /** Tokens of all examples, once. */
    public long tokens() {
        return examples.stream().mapToLong(Example::tokens).sum();
    }

    /** This set followed by {@code other}'s examples. */
    public TrainingSet plus(TrainingSet other) {
        List<Example> all = new ArrayList<>(examples);
        all.addAll(other.examples);
        return new TrainingSet(all);
    }

    /** The example most similar to {@code question}; the first one wins ties. Empty for an empty set. */
    public Optional<Example> closest(String question) {
        Set<String> q = words(question);
        Example best = null;
        double bestScore = -1;
        for (Example e : examples) {
            double score = jaccard(q, e.words());
            if (score > bestScore) {
                best = e;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The text of a message: its string content, its text parts joined, or its tool calls as JSON. */
    public static String text(JsonNode message) {
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    sb.append(part.asText());
                } else if (part.has("text")) {
                    sb.append(part.get("text").asText());
                }
            }
        }
        if (message.has("tool_calls")) {
            sb.append(Jsons.write(message.get("tool_calls")));
        }
        return sb.toString();
    }

    /**
     * Lower-case words; scripts written without spaces (Han, kana, Thai) count each character as
     * a word so that similarity still works for them.
     */
    public static Set<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.isEmpty()) {
                continue;
            }
            if (w.codePoints().anyMatch(TrainingSet::unspaced)) {
                w.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 0;
        }
        Set<String> inter = new HashSet<>(a);
        inter.retainAll(b);
        int union = a.size() + b.size() - inter.size();
        return (double) inter.size() / union;
    }

    private static boolean unspaced(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA
                || s == Character.UnicodeScript.THAI;
    }
}
