package dev.finetune4j.internal.chat;

import dev.finetune4j.chat.ToolCallDelta;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.internal.json.ChatCompletion;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatStreamListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A streamed chat answer put together from its chunks: the text, the tool calls assembled from
 * their pieces, the finish reason, the usage (the last reported) and the model.
 *
 * <p>Tool-call pieces are joined by their {@code index}; a piece without one counts by its
 * position in its chunk. A piece carrying an id other than the one its index already has starts a
 * new call (servers that send every call whole at index 0). Calls are numbered in the order their
 * first piece came, and that number is the {@link ToolCallDelta#index()} the listener sees.
 *
 * <p>Not thread-safe: one per stream.
 */
public final class StreamedAnswer {

    private final StringBuilder text = new StringBuilder();
    private final List<Call> calls = new ArrayList<>();
    private final Map<Integer, Call> byIndex = new HashMap<>();
    private String finishReason;
    private Usage usage = Usage.NONE;
    private String model;
    private int chunks;

    private static final class Call {
        final int number;
        String id = "";
        String name = "";
        final StringBuilder arguments = new StringBuilder();

        Call(int number) {
            this.number = number;
        }
    }

    /** Takes one chunk and passes its pieces to the listener, in order: text, then tool calls. */
    public void accept(ChatCompletion chunk, ChatStreamListener listener) {
        chunks++;
        if (model == null) {
            model = chunk.model();
        }
        piece(chunk.content(), listener);
        piece(chunk.refusal(), listener);
        List<ChatCompletion.RawToolCall> pieces = chunk.toolCalls();
        for (int position = 0; position < pieces.size(); position++) {
            ChatCompletion.RawToolCall p = pieces.get(position);
            String id = p.id() == null ? "" : p.id();
            String name = p.name() == null ? "" : p.name();
            String arguments = p.arguments() == null ? "" : p.arguments();
            int index = p.index() >= 0 ? p.index() : position;
            Call call = byIndex.get(index);
            if (call == null || !id.isEmpty() && !call.id.isEmpty() && !call.id.equals(id)) {
                call = new Call(calls.size());
                calls.add(call);
                byIndex.put(index, call);
            }
            if (call.id.isEmpty()) {
                call.id = id;
            }
            if (call.name.isEmpty()) {
                call.name = name;
            }
            call.arguments.append(arguments);
            if (!id.isEmpty() || !name.isEmpty() || !arguments.isEmpty()) {
                listener.onToolCallDelta(new ToolCallDelta(call.number, id, name, arguments));
            }
        }
        if (chunk.finishReason() != null) {
            finishReason = chunk.finishReason();
        }
        if (chunk.hasUsage()) {
            usage = new Usage(chunk.promptTokens(), chunk.completionTokens());
        }
    }

    private void piece(String s, ChatStreamListener listener) {
        if (s != null && !s.isEmpty()) {
            text.append(s);
            listener.onText(s);
        }
    }

    /** Whether a finish reason came: the answer is complete. */
    public boolean finished() {
        return finishReason != null;
    }

    /** What arrived so far, for messages: chunks, characters of text, tool calls. */
    public String received() {
        return chunks + (chunks == 1 ? " chunk" : " chunks") + ", " + text.length() + " characters of text"
                + (calls.isEmpty() ? "" : ", " + calls.size() + " tool call" + (calls.size() == 1 ? "" : "s"));
    }

    /**
     * The whole answer; call it once {@link #finished()}. A tool call that got no arguments has
     * {@code {}}.
     *
     * @param requestedModel the model asked for, when no chunk named one
     */
    public ChatResult result(String requestedModel, String requestId) {
        List<ToolCall> assembled = new ArrayList<>(calls.size());
        for (Call c : calls) {
            assembled.add(new ToolCall(c.id, c.name, c.arguments.length() == 0 ? "{}" : c.arguments.toString()));
        }
        return new ChatResult(text.toString(), assembled, finishReason, usage, model == null ? requestedModel : model,
                requestId);
    }
}
