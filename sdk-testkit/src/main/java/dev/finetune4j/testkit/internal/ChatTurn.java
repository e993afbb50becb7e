package dev.finetune4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One chat completion as every emulated chat endpoint computes it, before a provider writes it in
 * its own JSON. What is answered: a base model gives a fixed, generic sentence; a fine-tuned model
 * what its most similar training example says at the same point of the conversation (tool calls
 * included, and the answer after a tool result), so an evaluation of a trained model against its
 * base shows a real difference. Then the answer is cut to the token
 * limit, gets its finish reason, token counts and fresh tool-call ids, and the deltas a stream
 * sends it in.
 *
 * @param model the model that answers, as the reply names it
 * @param text the text, or null when the answer is tool calls
 * @param toolCalls the tool calls ({@code id}, {@code type}, {@code function}), or null when the
 *     answer is text; not copied, not to be changed
 */
public record ChatTurn(String model, String text, ArrayNode toolCalls, String finish, int promptTokens,
                       int completionTokens) {

    /** Stream pieces: a word with the spaces before it. */
    public static final Pattern PIECES = Pattern.compile("\\s*\\S+|\\s+");

    /** An answer: text, or tool calls (then text is null). */
    public record Answer(String text, ArrayNode toolCalls) {}

    /**
     * What a model trained on {@code examples} answers to {@code messages}: the example whose last
     * user message is most similar to the conversation's last user message goes on from the same
     * point. A conversation that ends with the question gets the example's first trained assistant
     * message after its question; one that has had {@code k} assistant turns since the question
     * (tool calls, then their results) gets the example's assistant message after its {@code k}-th
     * turn, the one that follows the tool results there. When the example has no message at that
     * point, its last trained assistant message. An empty text for no examples.
     */
    public static Answer trained(TrainingSet examples, JsonNode messages) {
        int turn = turnsSinceLastUser(messages);
        return examples.closest(lastUserText(messages)).map(e -> {
            JsonNode reply = turn < e.turns().size() ? e.turns().get(turn) : e.reply();
            if (reply.path("tool_calls").isArray() && !reply.path("tool_calls").isEmpty()
                    && reply.path("content").asText("").isEmpty()) {
                return new Answer(null, (ArrayNode) reply.get("tool_calls"));
            }
            return new Answer(TrainingSet.text(reply), null);
        }).orElse(new Answer("", null));
    }

    /** How many assistant messages come after the last user message. */
    static int turnsSinceLastUser(JsonNode messages) {
        int turns = 0;
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            if (role.equals("user")) {
                turns = 0;
            } else if (role.equals("assistant")) {
                turns++;
            }
        }
        return turns;
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
    static String truncate(String text, int maxTokens, TokenCounter counter) {
        Matcher m = PIECES.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find() && counter.countText(out + m.group()) <= maxTokens) {
            out.append(m.group());
        }
        return out.toString();
    }

    /** How a provider counts prompt tokens. */
    public enum PromptCount {
        /** 3 per request, and per message 3 plus its role and its text. */
        OPENAI,
        /** Per message 4 plus its text. */
        PLAIN
    }

    /** Arguments stream in pieces of at most this many characters. */
    static final int ARGUMENT_PIECE = 8;

    /**
     * The turn that answers {@code messages} with {@code answer}.
     *
     * @param maxTokens the completion limit ({@link Integer#MAX_VALUE} for none); a longer text is
     *     cut at a whole piece and finishes with {@code length}
     * @param callIds makes the id of each tool call
     */
    public static ChatTurn of(String model, Answer answer, JsonNode messages, int maxTokens,
                              PromptCount count, Supplier<String> callIds) {
        TokenCounter counter = TokenCounter.forModel(model);
        int prompt = count == PromptCount.OPENAI ? 3 : 0;
        for (JsonNode m : messages) {
            prompt += count == PromptCount.OPENAI
                    ? 3 + counter.countText(m.path("role").asText()) + counter.countText(TrainingSet.text(m))
                    : 4 + counter.countText(TrainingSet.text(m));
        }
        if (answer.toolCalls() != null) {
            ArrayNode calls = Jsons.array();
            for (JsonNode call : answer.toolCalls()) {
                JsonNode args = call.path("function").path("arguments");
                calls.addObject().put("id", callIds.get()).put("type", "function").putObject("function")
                        .put("name", call.path("function").path("name").asText())
                        .put("arguments", args.isTextual() ? args.asText() : Jsons.write(args));
            }
            return new ChatTurn(model, null, calls, "tool_calls", prompt, counter.countText(Jsons.write(calls)));
        }
        String text = answer.text();
        String finish = "stop";
        if (counter.countText(text) > maxTokens) {
            text = truncate(text, maxTokens, counter);
            finish = "length";
        }
        return new ChatTurn(model, text, null, finish, prompt, counter.countText(text));
    }

    /** {@code {prompt_tokens, completion_tokens, total_tokens}}, the completion counted {@code n} times. */
    public ObjectNode usage(int n) {
        return Jsons.object().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens * n)
                .put("total_tokens", promptTokens + completionTokens * n);
    }

    /** {@code {id, object, created, model}}: how every completion and chunk starts. */
    public ObjectNode envelope(String id, String object, long created) {
        return Jsons.object().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    /**
     * One choice streamed: a chunk per delta, {@code {id, object, created, model, choices: [{index,
     * delta, logprobs, finish_reason}]}}, the last one with the finish reason.
     */
    public List<ObjectNode> chunks(String id, long created, int index, List<ObjectNode> deltas) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < deltas.size(); i++) {
            ObjectNode c = envelope(id, "chat.completion.chunk", created);
            ObjectNode choice = c.putArray("choices").addObject().put("index", index);
            choice.set("delta", deltas.get(i));
            choice.putNull("logprobs");
            choice.put("finish_reason", i == deltas.size() - 1 ? finish : null);
            out.add(c);
        }
        return out;
    }

    /**
     * The deltas after the first one, in OpenAI's streaming shape: the text word by word, or for
     * each tool call a delta with its index, id, type, name and empty arguments followed by its
     * arguments in pieces ({@code {"tool_calls":[{"index", "function":{"arguments"}}]}}).
     */
    public List<ObjectNode> deltas() {
        List<ObjectNode> out = new ArrayList<>();
        if (text != null) {
            Matcher m = PIECES.matcher(text);
            while (m.find()) {
                out.add(Jsons.object().put("content", m.group()));
            }
            return out;
        }
        for (int i = 0; i < toolCalls.size(); i++) {
            JsonNode call = toolCalls.get(i);
            ObjectNode head = Jsons.object().put("index", i).put("id", call.get("id").asText()).put("type", "function");
            head.putObject("function").put("name", call.at("/function/name").asText()).put("arguments", "");
            out.add(toolCallDelta(head));
            String args = call.at("/function/arguments").asText();
            for (int from = 0; from < args.length(); ) {
                int to = Math.min(args.length(), from + ARGUMENT_PIECE);
                if (to < args.length() && Character.isHighSurrogate(args.charAt(to - 1))) {
                    to--;
                }
                ObjectNode piece = Jsons.object().put("index", i);
                piece.putObject("function").put("arguments", args.substring(from, to));
                out.add(toolCallDelta(piece));
                from = to;
            }
        }
        return out;
    }

    private static ObjectNode toolCallDelta(ObjectNode call) {
        ObjectNode delta = Jsons.object();
        delta.putArray("tool_calls").add(call);
        return delta;
    }

    /** A server-sent-event stream of {@code chunks}, each a {@code data:} line, ended by {@code data: [DONE]}. */
    public static Reply stream(List<ObjectNode> chunks) {
        StringBuilder sse = new StringBuilder();
        for (ObjectNode c : chunks) {
            sse.append("data: ").append(Jsons.write(c)).append("\n\n");
        }
        sse.append("data: [DONE]\n\n");
        return Reply.status(200).header("Content-Type", "text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-cache").body(sse.toString());
    }
}
