package dev.finetune4j.capture;

import dev.finetune4j.chat.ServedBy;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.cost.Money;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One captured chat call, as stored (after redaction): the conversation the application sent
 * (without the system prompt and few-shot turns the router added; {@link ServedBy#promptVersion()}
 * says which prompt version they came from), the tools offered, the answer and its tool calls,
 * what answered, usage, cost, latency, and the feedback given so far. Immutable.
 */
public final class Capture {

    private final String callId;
    private final Instant time;
    private final List<Message> messages;
    private final List<ToolDefinition> tools;
    private final String answer;
    private final List<ToolCall> toolCalls;
    private final ServedBy servedBy;
    private final Usage usage;
    private final Money cost;
    private final Duration latency;
    private final Feedback feedback;

    /**
     * A capture; the SDK creates these when reading the store. {@code cost} is null when no price
     * was known, {@code feedback} when none was given.
     */
    public Capture(String callId, Instant time, List<Message> messages, List<ToolDefinition> tools, String answer,
            List<ToolCall> toolCalls, ServedBy servedBy, Usage usage, Money cost, Duration latency,
            Feedback feedback) {
        this.callId = Objects.requireNonNull(callId, "callId");
        this.time = Objects.requireNonNull(time, "time");
        this.messages = List.copyOf(messages);
        this.tools = List.copyOf(tools);
        this.answer = Objects.requireNonNull(answer, "answer");
        this.toolCalls = List.copyOf(toolCalls);
        this.servedBy = Objects.requireNonNull(servedBy, "servedBy");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.cost = cost;
        this.latency = Objects.requireNonNull(latency, "latency");
        this.feedback = feedback;
    }

    /** The call id, as {@code ChatResponse.callId()} returned it. */
    public String callId() {
        return callId;
    }

    /** The assistant called. */
    public String assistant() {
        return servedBy.assistant();
    }

    /** When the answer was made. */
    public Instant time() {
        return time;
    }

    /** The request's messages after redaction, without what the router added. */
    public List<Message> messages() {
        return messages;
    }

    /** The tools the request offered. */
    public List<ToolDefinition> tools() {
        return tools;
    }

    /** The answer's text after redaction (empty when the answer was only tool calls). */
    public String answer() {
        return answer;
    }

    /** The answer's tool calls, arguments redacted. */
    public List<ToolCall> toolCalls() {
        return toolCalls;
    }

    /** What answered: model version, prompt version, provider model, arm, fallback. */
    public ServedBy servedBy() {
        return servedBy;
    }

    /** Tokens in and out. */
    public Usage usage() {
        return usage;
    }

    /** The call's cost by the price table, when the model had a price. */
    public Optional<Money> cost() {
        return Optional.ofNullable(cost);
    }

    /** From the router receiving the request to the answer, fallback included. */
    public Duration latency() {
        return latency;
    }

    /** The latest feedback on this call. */
    public Optional<Feedback> feedback() {
        return Optional.ofNullable(feedback);
    }

    /** This capture with feedback attached. */
    public Capture withFeedback(Feedback given) {
        return new Capture(callId, time, messages, tools, answer, toolCalls, servedBy, usage, cost, latency,
                Objects.requireNonNull(given, "given"));
    }

    /** Ids, version and feedback; never the texts, which may be personal. */
    @Override
    public String toString() {
        return "Capture[" + callId + ", " + servedBy.assistant() + " v" + servedBy.modelVersion() + ", " + time
                + (feedback == null ? "" : ", " + feedback) + "]";
    }
}
