package dev.finetune4j.dataset;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One message of an {@link Example}: a role, text content and the optional parts of the chat
 * fine-tuning format (a participant {@code name}, a training {@code weight} of 0 or 1 on assistant
 * messages, {@code tool_calls} on assistant messages, {@code tool_call_id} on tool messages).
 *
 * <p>Immutable and thread-safe. Build with the static factories, then {@link #withName} or
 * {@link #withWeight}.
 */
public final class Message {

    private final Role role;
    private final String content;
    private final String name;
    private final Integer weight;
    private final List<ToolCall> toolCalls;
    private final String toolCallId;

    private Message(Role role, String content, String name, Integer weight, List<ToolCall> toolCalls,
            String toolCallId) {
        this.role = Objects.requireNonNull(role, "role");
        this.content = content;
        this.name = name;
        this.weight = weight;
        this.toolCalls = List.copyOf(toolCalls);
        this.toolCallId = toolCallId;
    }

    /** A message with any role and text content. */
    public static Message of(Role role, String content) {
        return new Message(role, Objects.requireNonNull(content, "content"), null, null, List.of(), null);
    }

    /** A system message. */
    public static Message system(String content) {
        return of(Role.SYSTEM, content);
    }

    /** A user message. */
    public static Message user(String content) {
        return of(Role.USER, content);
    }

    /** An assistant message with text content. */
    public static Message assistant(String content) {
        return of(Role.ASSISTANT, content);
    }

    /**
     * An assistant message that calls tools.
     *
     * @param content text alongside the calls, or {@code null} for none
     * @param toolCalls at least one call
     */
    public static Message assistantToolCalls(String content, List<ToolCall> toolCalls) {
        if (toolCalls.isEmpty()) {
            throw new IllegalArgumentException("toolCalls must not be empty");
        }
        return new Message(Role.ASSISTANT, content, null, null, toolCalls, null);
    }

    /** A tool message answering the call {@code toolCallId}. */
    public static Message tool(String toolCallId, String content) {
        return new Message(Role.TOOL, Objects.requireNonNull(content, "content"), null, null, List.of(),
                Objects.requireNonNull(toolCallId, "toolCallId"));
    }

    /**
     * Creates a message from all its parts, as read from a file; nulls mean absent.
     * Prefer the other factories in application code.
     */
    public static Message of(Role role, String content, String name, Integer weight, List<ToolCall> toolCalls,
            String toolCallId) {
        if (weight != null && weight != 0 && weight != 1) {
            throw new IllegalArgumentException("weight must be 0 or 1, was " + weight);
        }
        return new Message(role, content, name, weight, toolCalls == null ? List.of() : toolCalls, toolCallId);
    }

    /** This message with a participant name. */
    public Message withName(String name) {
        return new Message(role, content, Objects.requireNonNull(name, "name"), weight, toolCalls, toolCallId);
    }

    /**
     * This message with a training weight.
     *
     * @param weight 0 (do not train on this turn) or 1
     * @throws IllegalArgumentException for other values or a message that is not an assistant's
     */
    public Message withWeight(int weight) {
        if (role != Role.ASSISTANT) {
            throw new IllegalArgumentException("only assistant messages have a weight, this is " + role.wireName());
        }
        return of(role, content, name, weight, toolCalls, toolCallId);
    }

    /** Who wrote the message. */
    public Role role() {
        return role;
    }

    /** The text, absent on an assistant message that only calls tools. */
    public Optional<String> content() {
        return Optional.ofNullable(content);
    }

    /** The participant name, when given. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** The training weight (0 or 1), when given; absent means the provider's default (trained). */
    public OptionalInt weight() {
        return weight == null ? OptionalInt.empty() : OptionalInt.of(weight);
    }

    /** The tool calls of an assistant message; empty otherwise. */
    public List<ToolCall> toolCalls() {
        return toolCalls;
    }

    /** The call a tool message answers, when this is a tool message. */
    public Optional<String> toolCallId() {
        return Optional.ofNullable(toolCallId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m
                && role == m.role
                && Objects.equals(content, m.content)
                && Objects.equals(name, m.name)
                && Objects.equals(weight, m.weight)
                && toolCalls.equals(m.toolCalls)
                && Objects.equals(toolCallId, m.toolCallId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, content, name, weight, toolCalls, toolCallId);
    }

    @Override
    public String toString() {
        String text = content == null ? "" : content;
        if (text.length() > 40) {
            text = text.substring(0, 40) + "...";
        }
        return role.wireName() + ": " + text + (toolCalls.isEmpty() ? "" : " " + toolCalls.size() + " tool call(s)");
    }
}
