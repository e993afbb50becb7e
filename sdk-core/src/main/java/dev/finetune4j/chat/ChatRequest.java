package dev.finetune4j.chat;

import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.internal.chat.CallOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A chat call for an assistant: the conversation so far (without the system prompt and few-shot
 * examples, which the router adds from the active prompt version), an optional subject key for
 * sticky canary routing, optional pins for testing a version before activating it, and the
 * generation options the router passes to the provider unchanged (tools, temperature, token
 * limit, response format, stop sequences, top-p, seed, a per-call timeout and extra provider
 * fields). Immutable; build with {@link #builder(String)}.
 */
public final class ChatRequest {

    private final String assistant;
    private final List<Message> messages;
    private final String subject;
    private final Integer pinModelVersion;
    private final boolean pinBaseModel;
    private final Integer pinPromptVersion;
    private final List<ToolDefinition> tools;
    private final Double temperature;
    private final Integer maxTokens;
    private final ResponseFormat responseFormat;
    private final List<String> stop;
    private final Double topP;
    private final Long seed;
    private final Duration timeout;
    private final Map<String, Object> extraFields;

    private ChatRequest(Builder b) {
        this.assistant = b.assistant;
        this.messages = List.copyOf(b.messages);
        this.subject = b.subject;
        this.pinModelVersion = b.pinModelVersion;
        this.pinBaseModel = b.pinBaseModel;
        this.pinPromptVersion = b.pinPromptVersion;
        this.tools = List.copyOf(b.tools);
        this.temperature = b.temperature;
        this.maxTokens = b.maxTokens;
        this.responseFormat = b.responseFormat;
        this.stop = b.stop;
        this.topP = b.topP;
        this.seed = b.seed;
        this.timeout = b.timeout;
        this.extraFields = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraFields));
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

    /** Sampling temperature. */
    public OptionalDouble temperature() {
        return temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature);
    }

    /** The most tokens to generate. */
    public OptionalInt maxTokens() {
        return maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens);
    }

    /** The shape the answer must take (free text, a JSON object, JSON following a schema). */
    public Optional<ResponseFormat> responseFormat() {
        return Optional.ofNullable(responseFormat);
    }

    /** Sequences at which generation stops; empty for the provider's default. */
    public List<String> stop() {
        return stop;
    }

    /** Nucleus sampling: the probability mass the next token is drawn from. */
    public OptionalDouble topP() {
        return topP == null ? OptionalDouble.empty() : OptionalDouble.of(topP);
    }

    /** The sampling seed, for answers that repeat as far as the provider allows. */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /**
     * The most one HTTP attempt of this call may take (for a streamed call, to the end of the
     * stream); empty for the provider's configured timeout.
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Fields added to the provider's request body as they are (a provider option this API has no
     * word for, such as Mistral's {@code safe_prompt}), in the order given: JSON values as plain
     * Java values (null, String, Boolean, Number, List, Map of String to such values).
     */
    public Map<String, Object> extraFields() {
        return extraFields;
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
        private Double temperature;
        private Integer maxTokens;
        private ResponseFormat responseFormat;
        private List<String> stop = List.of();
        private Double topP;
        private Long seed;
        private Duration timeout;
        private final Map<String, Object> extraFields = new LinkedHashMap<>();

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
         * Sampling temperature, 0 to 2.
         *
         * @throws IllegalArgumentException outside 0 to 2
         */
        public Builder temperature(double temperature) {
            this.temperature = CallOptions.temperature(temperature);
            return this;
        }

        /**
         * The most tokens to generate.
         *
         * @throws IllegalArgumentException below 1
         */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = CallOptions.maxTokens(maxTokens);
            return this;
        }

        /** The shape the answer must take. */
        public Builder responseFormat(ResponseFormat format) {
            this.responseFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Sequences at which generation stops (replacing any set before).
         *
         * @throws IllegalArgumentException if one is null or empty
         */
        public Builder stop(List<String> sequences) {
            this.stop = CallOptions.stop(sequences);
            return this;
        }

        /**
         * Nucleus sampling mass, 0 to 1.
         *
         * @throws IllegalArgumentException outside 0 to 1
         */
        public Builder topP(double topP) {
            this.topP = CallOptions.topP(topP);
            return this;
        }

        /** The sampling seed. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The most one HTTP attempt of this call may take (a streamed call: to the end of the
         * stream); retries and the provider's deadline still apply.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            this.timeout = CallOptions.timeout(timeout);
            return this;
        }

        /**
         * Adds a field to the provider's request body (replacing one of the same name set
         * before). The provider refuses, with an {@link IllegalArgumentException}, a name it writes
         * itself from this request (such as {@code model} or {@code temperature}).
         *
         * @param value a JSON value: null, String, Boolean, Number, List, or Map of String to such
         *     values (copied)
         * @throws IllegalArgumentException for a blank name or a value that is not JSON
         */
        public Builder extraField(String name, Object value) {
            extraFields.put(name, CallOptions.extraField(name, value));
            return this;
        }

        /** Adds every entry as {@link #extraField}, in the map's order. */
        public Builder extraFields(Map<String, ?> fields) {
            Objects.requireNonNull(fields, "fields").forEach(this::extraField);
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
