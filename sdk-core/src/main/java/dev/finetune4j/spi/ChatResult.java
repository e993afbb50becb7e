package dev.finetune4j.spi;

import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.ToolCall;
import java.util.List;
import java.util.Objects;

/**
 * A provider's answer to a {@link ChatCall}.
 *
 * @param content the assistant text (empty when it only called tools)
 * @param toolCalls tool calls the model made
 * @param finishReason why generation stopped ({@code stop}, {@code length}, {@code tool_calls}, ...;
 *     {@value #UNKNOWN_FINISH_REASON} when the provider did not say)
 * @param usage tokens consumed
 * @param model the model the provider says answered
 * @param requestId the provider's request id, or empty
 */
public record ChatResult(String content, List<ToolCall> toolCalls, String finishReason, Usage usage, String model,
        String requestId) {

    /**
     * The finish reason of a whole (not streamed) answer that named none: it did end, but the
     * provider did not say why, and nothing is guessed.
     */
    public static final String UNKNOWN_FINISH_REASON = "unknown";

    /** Checks and copies. */
    public ChatResult {
        Objects.requireNonNull(content, "content");
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(requestId, "requestId");
    }
}
