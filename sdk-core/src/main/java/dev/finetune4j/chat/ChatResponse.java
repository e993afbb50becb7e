package dev.finetune4j.chat;

import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.ToolCall;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The answer to a {@link ChatRequest}, with what answered it, usage and cost. Immutable. */
public final class ChatResponse {

    private final String content;
    private final List<ToolCall> toolCalls;
    private final String finishReason;
    private final ServedBy servedBy;
    private final Usage usage;
    private final Money cost;

    /** Creates a response; the router creates these. {@code cost} is null when no price is known. */
    public ChatResponse(String content, List<ToolCall> toolCalls, String finishReason, ServedBy servedBy, Usage usage,
            Money cost) {
        this.content = Objects.requireNonNull(content, "content");
        this.toolCalls = List.copyOf(toolCalls);
        this.finishReason = Objects.requireNonNull(finishReason, "finishReason");
        this.servedBy = Objects.requireNonNull(servedBy, "servedBy");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.cost = cost;
    }

    /** The assistant's text. */
    public String content() {
        return content;
    }

    /** Tool calls the model made. */
    public List<ToolCall> toolCalls() {
        return toolCalls;
    }

    /** Why generation stopped. */
    public String finishReason() {
        return finishReason;
    }

    /** What answered. */
    public ServedBy servedBy() {
        return servedBy;
    }

    /** Tokens in and out. */
    public Usage usage() {
        return usage;
    }

    /** What the call cost by the price table, when the model has a price. */
    public Optional<Money> cost() {
        return Optional.ofNullable(cost);
    }

    @Override
    public String toString() {
        return "ChatResponse[" + servedBy.providerModelId() + (servedBy.fallback() ? " (fallback)" : "") + ", "
                + usage.inputTokens() + "+" + usage.outputTokens() + " tokens]";
    }
}
