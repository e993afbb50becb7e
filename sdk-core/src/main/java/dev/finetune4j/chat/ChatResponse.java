package dev.finetune4j.chat;

import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.internal.capture.CallIds;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The answer to a {@link ChatRequest}, with what answered it, usage and cost. Immutable. */
public final class ChatResponse {

    private final String callId;
    private final String content;
    private final List<ToolCall> toolCalls;
    private final String finishReason;
    private final ServedBy servedBy;
    private final Usage usage;
    private final Money cost;

    /**
     * Creates a response with a new call id; the router creates these. {@code cost} is null when no
     * price is known.
     */
    public ChatResponse(String content, List<ToolCall> toolCalls, String finishReason, ServedBy servedBy, Usage usage,
            Money cost) {
        this(CallIds.next(Clock.systemUTC()), content, toolCalls, finishReason, servedBy, usage, cost);
    }

    /**
     * Creates a response with the call id the router stamped; {@code cost} is null when no price is known.
     *
     * @throws IllegalArgumentException if {@code callId} is not of the form the router makes
     */
    public ChatResponse(String callId, String content, List<ToolCall> toolCalls, String finishReason,
            ServedBy servedBy, Usage usage, Money cost) {
        this.callId = CallIds.requireValid(callId);
        this.content = Objects.requireNonNull(content, "content");
        this.toolCalls = List.copyOf(toolCalls);
        this.finishReason = Objects.requireNonNull(finishReason, "finishReason");
        this.servedBy = Objects.requireNonNull(servedBy, "servedBy");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.cost = cost;
    }

    /**
     * This call's id, unique and stamped with the time of the answer: what
     * {@code Captures.feedback(callId, ...)} takes when the assistant's calls are captured.
     */
    public String callId() {
        return callId;
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
        return "ChatResponse[" + callId + ", " + servedBy.providerModelId() + (servedBy.fallback() ? " (fallback)" : "") + ", "
                + usage.inputTokens() + "+" + usage.outputTokens() + " tokens]";
    }
}
