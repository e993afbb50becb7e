package dev.finetune4j.spi;

import dev.finetune4j.chat.Usage;

/**
 * Receives a streamed chat answer, on the calling thread, in order.
 */
public interface ChatStreamListener {

    /** A piece of the answer's text. */
    void onDelta(String text);

    /**
     * The end of the answer.
     *
     * @param finishReason why generation stopped
     * @param usage tokens consumed, {@link Usage#NONE} when the provider did not say
     */
    void onComplete(String finishReason, Usage usage);
}
