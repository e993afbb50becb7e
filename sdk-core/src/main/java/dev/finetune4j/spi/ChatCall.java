package dev.finetune4j.spi;

import dev.finetune4j.chat.ResponseFormat;
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
 * One chat completion call to a provider: the model and the full message list, already resolved
 * by the router (system prompt and few-shot examples included), and the generation options of the
 * host app's {@link dev.finetune4j.chat.ChatRequest}. An option left unset is not sent: the
 * provider's default applies. Immutable and thread-safe; build with {@link #builder(String)}.
 */
public final class ChatCall {

    private final String model;
    private final List<Message> messages;
    private final List<ToolDefinition> tools;
    private final Double temperature;
    private final Integer maxTokens;
    private final ResponseFormat responseFormat;
    private final List<String> stop;
    private final Double topP;
    private final Long seed;
    private final Duration timeout;
    private final Map<String, Object> extraFields;

    private ChatCall(Builder b) {
        this.model = b.model;
        this.messages = List.copyOf(b.messages);
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

    /** A builder for a call to {@code model} (a base model or a fine-tuned model id). */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** A builder holding this call, to change a part of it. */
    public Builder toBuilder() {
        Builder b = new Builder(model);
        b.messages.addAll(messages);
        b.tools.addAll(tools);
        b.temperature = temperature;
        b.maxTokens = maxTokens;
        b.responseFormat = responseFormat;
        b.stop = stop;
        b.topP = topP;
        b.seed = seed;
        b.timeout = timeout;
        b.extraFields.putAll(extraFields);
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

    /** The sampling temperature, when set. */
    public OptionalDouble temperature() {
        return temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature);
    }

    /** The most tokens to generate, when set. */
    public OptionalInt maxTokens() {
        return maxTokens == null ? OptionalInt.empty() : OptionalInt.of(maxTokens);
    }

    /** The shape the answer must take, when set. */
    public Optional<ResponseFormat> responseFormat() {
        return Optional.ofNullable(responseFormat);
    }

    /** Sequences at which generation stops; empty when none is set. */
    public List<String> stop() {
        return stop;
    }

    /** The nucleus sampling mass, when set. */
    public OptionalDouble topP() {
        return topP == null ? OptionalDouble.empty() : OptionalDouble.of(topP);
    }

    /** The sampling seed, when set. */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /**
     * The most one HTTP attempt of this call may take, when set: for a plain call until the whole
     * answer has arrived, for a streamed call until the stream has ended. Without it the provider's
     * configured timeout applies (to a stream's start only).
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Fields the provider adds to its request body as they are, in order: JSON values as plain
     * Java values (null, String, Boolean, Number, List, Map of String to such values).
     */
    public Map<String, Object> extraFields() {
        return extraFields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatCall c && model.equals(c.model) && messages.equals(c.messages)
                && tools.equals(c.tools) && Objects.equals(temperature, c.temperature)
                && Objects.equals(maxTokens, c.maxTokens) && Objects.equals(responseFormat, c.responseFormat)
                && stop.equals(c.stop) && Objects.equals(topP, c.topP) && Objects.equals(seed, c.seed)
                && Objects.equals(timeout, c.timeout) && extraFields.equals(c.extraFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, messages, tools, temperature, maxTokens, responseFormat, stop, topP, seed, timeout,
                extraFields);
    }

    /** The model and the sizes of the lists; never message text. */
    @Override
    public String toString() {
        return "ChatCall[" + model + ", " + messages.size() + " messages, " + tools.size() + " tools"
                + (extraFields.isEmpty() ? "" : ", extra " + extraFields.keySet()) + "]";
    }

    /** Builds a {@link ChatCall}. Not thread-safe. */
    public static final class Builder {
        private final String model;
        private final List<Message> messages = new ArrayList<>();
        private final List<ToolDefinition> tools = new ArrayList<>();
        private Double temperature;
        private Integer maxTokens;
        private ResponseFormat responseFormat;
        private List<String> stop = List.of();
        private Double topP;
        private Long seed;
        private Duration timeout;
        private final Map<String, Object> extraFields = new LinkedHashMap<>();

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

        /**
         * The sampling temperature, 0 to 2.
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
         * The nucleus sampling mass, 0 to 1.
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
         * The most one HTTP attempt may take; see {@link ChatCall#timeout()}.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            this.timeout = CallOptions.timeout(timeout);
            return this;
        }

        /**
         * Adds a field to the request body (replacing one of the same name set before).
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
