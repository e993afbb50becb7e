package dev.finetune4j.spi;

import dev.finetune4j.chat.ChatStreamHandler;

/**
 * Receives a streamed chat answer from a {@link ChatService}, on the calling thread, in order:
 * pieces of text and of tool calls as they arrive ({@link ChatStreamHandler}), then, once the
 * answer has finished, the whole answer assembled. Every method does nothing unless overridden.
 */
public interface ChatStreamListener extends ChatStreamHandler {

    /**
     * The end of a finished answer: its whole text, the tool calls assembled from their pieces,
     * the finish reason, the usage ({@link dev.finetune4j.chat.Usage#NONE} when the provider did
     * not say), the model and the request id. Called once, after the last piece; not called when
     * the stream fails.
     */
    default void onComplete(ChatResult result) {
        // ignored unless overridden
    }
}
