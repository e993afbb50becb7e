package dev.finetune4j.chat;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives a streamed answer of {@link ChatRouter#chatStream(ChatRequest, ChatStreamHandler)} as
 * it arrives, on the calling thread, in order: pieces of text and pieces of tool calls. The whole
 * answer (text, assembled tool calls, finish reason, usage) is the {@link ChatResponse} the call
 * returns. Every method does nothing unless overridden.
 *
 * <p>A fallback to the base model can only happen before the first piece arrives; a stream that
 * fails after it ends the call with its exception.
 */
public interface ChatStreamHandler {

    /** A piece of the answer's text; never empty. */
    default void onText(String text) {
        // ignored unless overridden
    }

    /** A piece of a tool call; see {@link ToolCallDelta}. */
    default void onToolCallDelta(ToolCallDelta delta) {
        // ignored unless overridden
    }

    /** A handler that passes the text pieces to {@code onText} and ignores tool-call pieces. */
    static ChatStreamHandler ofText(Consumer<String> onText) {
        Objects.requireNonNull(onText, "onText");
        return new ChatStreamHandler() {
            @Override
            public void onText(String text) {
                onText.accept(text);
            }
        };
    }
}
