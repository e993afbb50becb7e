package dev.finetune4j.chat;

import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A chat call for an assistant: the conversation so far (without the system prompt and few-shot
 * examples, which the router adds from the active prompt version), an optional subject key for
 * sticky canary routing, optional pins for testing a version before activating it, the tools
 * offered, and the {@link ChatOptions} (temperature, token limit, response format, stop
 * sequences, top-p, seed, a per-call timeout, extra provider fields) the router hands to the
 * provider unchanged. Immutable; build with {@link #builder(String)}.
 */
public final class ChatRequest {

    private final String assistant;
    private final List<Message> messages;
    private final String subject;
    private final Integer pinModelVersion;
    private final boolean pinBaseModel;
    private final Integer pinPromptVersion;
    private final List<ToolDefinition> tools;
    private final ChatOptions options;

    private ChatRequest(Builder b) {
        this.assistant = b.assistant;
        this.messages = List.copyOf(b.messages);
        this.subject = b.subject;
        this.pinModelVersion = b.pinModelVersion;
        this.pinBaseModel = b.pinBaseModel;
        this.pinPromptVersion = b.pinPromptVersion;
        this.tools = List.copyOf(b.tools);
        this.options = b.options.build();
    }

    /** A builder for a call to {@code assistant}. */
    public static Builder builder(String assistant) {
        return new Builder(assistant);
    }

    /** A one-message call: the user says {@code text}. */
    public static ChatRequest of(String assistant, String text) {
        return builder(assistant).user(text).build();
    }

    /** The assistant. */
    public String assistant() {
        return assistant;
    }

    /** The conversation, oldest first. */
    public List<Message> messages() {
        return messages;
    }

    /** The subject (user or conversation id) that keeps canary routing sticky. */
    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    /** A model version pinned for this call. */
    public OptionalInt pinModelVersion() {
        return pinModelVersion == null ? OptionalInt.empty() : OptionalInt.of(pinModelVersion);
    }

    /** Whether this call is pinned to the base model. */
    public boolean pinBaseModel() {
        return pinBaseModel;
    }

    /** A prompt version pinned for this call. */
    public OptionalInt pinPromptVersion() {
        return pinPromptVersion == null ? OptionalInt.empty() : OptionalInt.of(pinPromptVersion);
    }

    /** Tools offered to the model. */
    public List<ToolDefinition> tools() {
        return tools;
    }

    /** How the answer is generated; {@link ChatOptions#none()} unless set. */
    public ChatOptions options() {
        return options;
    }

    /** Sampling temperature: {@code options().temperature()}. */
    public OptionalDouble temperature() {
        return options.temperature();
    }

    /** The most tokens to generate: {@code options().maxTokens()}. */
    public OptionalInt maxTokens() {
        return options.maxTokens();
    }

    @Override
    public String toString() {
        return "ChatRequest[" + assistant + ", " + messages.size() + " messages"
                + (pinModelVersion == null ? "" : ", pinned v" + pinModelVersion)
                + (pinBaseModel ? ", pinned base" : "") + "]";
    }

    /** Builds a {@link ChatRequest}. Not thread-safe. */
    public static final class Builder {
        private final String assistant;
        private final List<Message> messages = new ArrayList<>();
        private String subject;
        private Integer pinModelVersion;
        private boolean pinBaseModel;
        private Integer pinPromptVersion;
        private final List<ToolDefinition> tools = new ArrayList<>();
        private ChatOptions.Builder options = ChatOptions.builder();

        private Builder(String assistant) {
            this.assistant = Objects.requireNonNull(assistant, "assistant");
        }

        /** Appends a message of the conversation. */
        public Builder message(Message message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /** Appends messages. */
        public Builder messages(List<Message> list) {
            list.forEach(this::message);
            return this;
        }

        /** Appends a user message. */
        public Builder user(String text) {
            return message(Message.user(text));
        }

        /** The subject key for sticky canary routing (a user or conversation id). */
        public Builder subject(String subject) {
            this.subject = Objects.requireNonNull(subject, "subject");
            return this;
        }

        /** Pins a model version for this call (it need not be active). */
        public Builder pinModelVersion(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("version must be >= 1, was " + version);
            }
            this.pinModelVersion = version;
            this.pinBaseModel = false;
            return this;
        }

        /** Pins the base model for this call. */
        public Builder pinBaseModel() {
            this.pinBaseModel = true;
            this.pinModelVersion = null;
            return this;
        }

        /** Pins a prompt version for this call. */
        public Builder pinPromptVersion(int version) {
            if (version < 1) {
                throw new IllegalArgumentException("version must be >= 1, was " + version);
            }
            this.pinPromptVersion = version;
            return this;
        }

        /** Offers a tool to the model. */
        public Builder tool(ToolDefinition tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /**
         * How the answer is generated: response format, stop sequences, top-p, seed, a per-call
         * timeout, extra provider fields, …; replaces every option set before, temperature and
         * token limit included.
         */
        public Builder options(ChatOptions options) {
            this.options = Objects.requireNonNull(options, "options").toBuilder();
            return this;
        }

        /**
         * Sampling temperature, 0 to 2: a shorthand that sets this one option.
         *
         * @throws IllegalArgumentException outside 0 to 2
         */
        public Builder temperature(double temperature) {
            options.temperature(temperature);
            return this;
        }

        /**
         * The most tokens to generate: a shorthand that sets this one option.
         *
         * @throws IllegalArgumentException below 1
         */
        public Builder maxTokens(int maxTokens) {
            options.maxTokens(maxTokens);
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalStateException when there is no message
         */
        public ChatRequest build() {
            if (messages.isEmpty()) {
                throw new IllegalStateException("a chat request needs at least one message");
            }
            return new ChatRequest(this);
        }
    }
}
