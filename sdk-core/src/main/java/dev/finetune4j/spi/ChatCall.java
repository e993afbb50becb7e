package dev.finetune4j.spi;

import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One chat completion call to a provider: the model, the full message list (already resolved by
 * the router: system prompt and few-shot examples included), the tools offered, and the {@link
 * ChatOptions} of the host app's {@link dev.finetune4j.chat.ChatRequest}, unchanged. Immutable and
 * thread-safe; build with {@link #builder(String)}.
 */
public final class ChatCall {

    private final String model;
    private final List<Message> messages;
    private final List<ToolDefinition> tools;
    private final ChatOptions options;

    private ChatCall(Builder b) {
        this.model = b.model;
        this.messages = List.copyOf(b.messages);
        this.tools = List.copyOf(b.tools);
        this.options = b.options;
    }

    /** A builder for a call to {@code model} (a base model or a fine-tuned model id). */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** A builder holding this call, to change a part of it. */
    public Builder toBuilder() {
        Builder b = new Builder(model);
        b.messages.addAll(messages);
        b.tools.addAll(tools);
        b.options = options;
        return b;
    }

    /** The provider model id. */
    public String model() {
        return model;
    }

    /** The messages, in order; never empty. */
    public List<Message> messages() {
        return messages;
    }

    /** Tool definitions offered to the model; may be empty. */
    public List<ToolDefinition> tools() {
        return tools;
    }

    /** How the answer is generated; {@link ChatOptions#none()} unless set. */
    public ChatOptions options() {
        return options;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatCall c && model.equals(c.model) && messages.equals(c.messages)
                && tools.equals(c.tools) && options.equals(c.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, messages, tools, options);
    }

    /** The model, the sizes of the lists and the options; never message text. */
    @Override
    public String toString() {
        return "ChatCall[" + model + ", " + messages.size() + " messages, " + tools.size() + " tools, " + options
                + "]";
    }

    /** Builds a {@link ChatCall}. Not thread-safe. */
    public static final class Builder {
        private final String model;
        private final List<Message> messages = new ArrayList<>();
        private final List<ToolDefinition> tools = new ArrayList<>();
        private ChatOptions options = ChatOptions.none();

        private Builder(String model) {
            this.model = Objects.requireNonNull(model, "model");
            if (model.isBlank()) {
                throw new IllegalArgumentException("model is blank");
            }
        }

        /** Appends a message. */
        public Builder message(Message message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /** Appends messages, in order. */
        public Builder messages(List<Message> list) {
            Objects.requireNonNull(list, "list").forEach(this::message);
            return this;
        }

        /** Offers a tool to the model. */
        public Builder tool(ToolDefinition tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /** Offers tools to the model, in order. */
        public Builder tools(List<ToolDefinition> list) {
            Objects.requireNonNull(list, "list").forEach(this::tool);
            return this;
        }

        /** How the answer is generated (replacing options set before). */
        public Builder options(ChatOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * The call.
         *
         * @throws IllegalStateException when there is no message
         */
        public ChatCall build() {
            if (messages.isEmpty()) {
                throw new IllegalStateException("a chat call to " + model + " needs at least one message");
            }
            return new ChatCall(this);
        }
    }
}
