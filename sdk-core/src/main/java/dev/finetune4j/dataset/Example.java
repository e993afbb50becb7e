package dev.finetune4j.dataset;

import dev.finetune4j.internal.json.ExampleCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One training conversation: ordered messages, optional tool definitions and optional tags
 * (language, topic, source, ...).
 *
 * <p>The canonical JSON form is one line of OpenAI's chat fine-tuning JSONL
 * ({@code {"messages":[...],"tools":[...]}}). The {@link #id()} is derived from that canonical form,
 * without the tags: two examples with the same conversation are duplicates whatever their tags.
 *
 * <p>Immutable and thread-safe.
 */
public final class Example {

    /** Well-known tag names. Any other name is allowed too. */
    public static final String TAG_LANGUAGE = "language";
    /** Well-known tag: the topic. */
    public static final String TAG_TOPIC = "topic";
    /** Well-known tag: where the example came from. */
    public static final String TAG_SOURCE = "source";

    private final List<Message> messages;
    private final List<ToolDefinition> tools;
    private final Boolean parallelToolCalls;
    private final Map<String, String> tags;
    private volatile String id;

    private Example(List<Message> messages, List<ToolDefinition> tools, Boolean parallelToolCalls,
            Map<String, String> tags) {
        this.messages = List.copyOf(messages);
        this.tools = List.copyOf(tools);
        this.parallelToolCalls = parallelToolCalls;
        this.tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** An example made of these messages, with no tools and no tags. */
    public static Example of(Message... messages) {
        return builder().messages(List.of(messages)).build();
    }

    /** A builder for an example with tools or tags. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this example's parts. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.messages.addAll(messages);
        b.tools.addAll(tools);
        b.parallelToolCalls = parallelToolCalls;
        b.tags.putAll(tags);
        return b;
    }

    /** The messages, in order. */
    public List<Message> messages() {
        return messages;
    }

    /** The top-level tool definitions; empty when none. */
    public List<ToolDefinition> tools() {
        return tools;
    }

    /** The top-level {@code parallel_tool_calls} flag, when given. */
    public Optional<Boolean> parallelToolCalls() {
        return Optional.ofNullable(parallelToolCalls);
    }

    /** The tags (unmodifiable); not part of the identity. */
    public Map<String, String> tags() {
        return tags;
    }

    /** This example with {@code tags} added (replacing tags of the same name). */
    public Example withTags(Map<String, String> more) {
        Builder b = toBuilder();
        b.tags.putAll(more);
        return b.build();
    }

    /**
     * The example id: 32 lowercase hex characters, the first 128 bits of the SHA-256 of the
     * canonical JSON line without tags. Equal conversations have equal ids.
     */
    public String id() {
        String result = id;
        if (result == null) {
            result = ExampleCodec.id(this);
            id = result;
        }
        return result;
    }

    /** The canonical JSON line (OpenAI chat JSONL, without tags and without a line break). */
    public String toJson() {
        return ExampleCodec.toJson(this, false);
    }

    /** Two examples are equal when their messages, tools and tags are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Example e
                && messages.equals(e.messages)
                && tools.equals(e.tools)
                && Objects.equals(parallelToolCalls, e.parallelToolCalls)
                && tags.equals(e.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messages, tools, parallelToolCalls, tags);
    }

    @Override
    public String toString() {
        return "Example[" + messages.size() + " messages" + (tags.isEmpty() ? "" : ", tags=" + tags) + "]";
    }

    /** Builds an {@link Example}. Not thread-safe. */
    public static final class Builder {
        private final List<Message> messages = new ArrayList<>();
        private final List<ToolDefinition> tools = new ArrayList<>();
        private Boolean parallelToolCalls;
        private final Map<String, String> tags = new LinkedHashMap<>();

        private Builder() {}

        /** Appends a message. */
        public Builder message(Message message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /** Appends messages. */
        public Builder messages(List<Message> list) {
            list.forEach(this::message);
            return this;
        }

        /** Adds a tool definition. */
        public Builder tool(ToolDefinition tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /** Sets the {@code parallel_tool_calls} flag. */
        public Builder parallelToolCalls(boolean value) {
            parallelToolCalls = value;
            return this;
        }

        /** Sets a tag. */
        public Builder tag(String name, String value) {
            tags.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Builds the example.
         *
         * @throws IllegalStateException if there is no message
         */
        public Example build() {
            if (messages.isEmpty()) {
                throw new IllegalStateException("an example needs at least one message");
            }
            return new Example(messages, tools, parallelToolCalls, tags);
        }
    }
}
