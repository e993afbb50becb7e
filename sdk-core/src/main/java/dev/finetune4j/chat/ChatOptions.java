package dev.finetune4j.chat;

import dev.finetune4j.internal.json.JsonValues;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.StringJoiner;

/**
 * How a chat answer is generated: sampling temperature, token limit, response format, stop
 * sequences, top-p, seed, a per-call timeout and extra provider fields. A {@link ChatRequest}
 * carries them and the router hands them to the provider unchanged ({@code ChatCall.options()}).
 * An option left unset is not sent: the provider's default applies.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class ChatOptions {

    private static final ChatOptions NONE = builder().build();

    private final Double temperature;
    private final Integer maxTokens;
    private final ResponseFormat responseFormat;
    private final List<String> stop;
    private final Double topP;
    private final Long seed;
    private final Duration timeout;
    private final Map<String, Object> extraFields;

    private ChatOptions(Builder b) {
        this.temperature = b.temperature;
        this.maxTokens = b.maxTokens;
        this.responseFormat = b.responseFormat;
        this.stop = b.stop;
        this.topP = b.topP;
        this.seed = b.seed;
        this.timeout = b.timeout;
        this.extraFields = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraFields));
    }

    /** No option set: every provider default applies. */
    public static ChatOptions none() {
        return NONE;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
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

    /** The sampling temperature, 0 to 2. */
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

    /** Sequences at which generation stops; empty when none is set. */
    public List<String> stop() {
        return stop;
    }

    /** Nucleus sampling: the probability mass the next token is drawn from, 0 to 1. */
    public OptionalDouble topP() {
        return topP == null ? OptionalDouble.empty() : OptionalDouble.of(topP);
    }

    /** The sampling seed, for answers that repeat as far as the provider allows. */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /**
     * The most one HTTP attempt of the call may take: for a plain call until the whole answer has
     * arrived, for a streamed call until the stream has ended. Retries and the provider's deadline
     * still apply. Without it the provider's configured timeout applies (to a stream's start only).
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * Fields added to the provider's request body as they are, in order (a provider option this API
     * has no word for, such as Mistral's {@code safe_prompt}): JSON values as plain Java values
     * (null, String, Boolean, Number, List, Map of String to such values).
     */
    public Map<String, Object> extraFields() {
        return extraFields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatOptions c && Objects.equals(temperature, c.temperature)
                && Objects.equals(maxTokens, c.maxTokens) && Objects.equals(responseFormat, c.responseFormat)
                && stop.equals(c.stop) && Objects.equals(topP, c.topP) && Objects.equals(seed, c.seed)
                && Objects.equals(timeout, c.timeout) && extraFields.equals(c.extraFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(temperature, maxTokens, responseFormat, stop, topP, seed, timeout, extraFields);
    }

    /** The options set, without the values of extra fields. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "ChatOptions[", "]");
        temperature().ifPresent(t -> j.add("temperature=" + t));
        maxTokens().ifPresent(n -> j.add("maxTokens=" + n));
        responseFormat().ifPresent(f -> j.add(f.toString()));
        if (!stop.isEmpty()) {
            j.add(stop.size() + " stop sequences");
        }
        topP().ifPresent(p -> j.add("topP=" + p));
        seed().ifPresent(n -> j.add("seed=" + n));
        timeout().ifPresent(t -> j.add("timeout=" + t));
        if (!extraFields.isEmpty()) {
            j.add("extra " + extraFields.keySet());
        }
        return j.toString();
    }

    /** Builds {@link ChatOptions}. Not thread-safe. */
    public static final class Builder {
        private Double temperature;
        private Integer maxTokens;
        private ResponseFormat responseFormat;
        private List<String> stop = List.of();
        private Double topP;
        private Long seed;
        private Duration timeout;
        private final Map<String, Object> extraFields = new LinkedHashMap<>();

        private Builder() {}

        /**
         * The sampling temperature.
         *
         * @throws IllegalArgumentException outside 0 to 2
         */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0 && temperature <= 2)) {
                throw new IllegalArgumentException("temperature must be 0 to 2, was " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        /**
         * The most tokens to generate.
         *
         * @throws IllegalArgumentException below 1
         */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
            }
            this.maxTokens = maxTokens;
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
            Objects.requireNonNull(sequences, "sequences");
            for (int i = 0; i < sequences.size(); i++) {
                String s = sequences.get(i);
                if (s == null || s.isEmpty()) {
                    throw new IllegalArgumentException("stop sequence " + i + " is " + (s == null ? "null" : "empty")
                            + "; each must be a non-empty string");
                }
            }
            this.stop = List.copyOf(sequences);
            return this;
        }

        /**
         * The nucleus sampling mass.
         *
         * @throws IllegalArgumentException outside 0 to 1
         */
        public Builder topP(double topP) {
            if (!(topP >= 0 && topP <= 1)) {
                throw new IllegalArgumentException("topP must be 0 to 1, was " + topP);
            }
            this.topP = topP;
            return this;
        }

        /** The sampling seed. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The most one HTTP attempt may take; see {@link ChatOptions#timeout()}.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout is " + timeout + "; it must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Adds a field to the provider's request body (replacing one of the same name set before).
         * The provider refuses, with an {@link IllegalArgumentException} before anything is sent, a
         * name it writes itself from these options or the call (such as {@code model} or {@code
         * temperature}).
         *
         * @param value a JSON value: null, String, Boolean, Number, List, or Map of String to such
         *     values (copied)
         * @throws IllegalArgumentException for a blank name or a value that is not JSON
         */
        public Builder extraField(String name, Object value) {
            JsonValues.name(name, "extra field");
            extraFields.put(name, JsonValues.copy(value, "extra field '" + name + "'"));
            return this;
        }

        /** Adds every entry as {@link #extraField}, in the map's order. */
        public Builder extraFields(Map<String, ?> fields) {
            Objects.requireNonNull(fields, "fields").forEach(this::extraField);
            return this;
        }

        /** The options. */
        public ChatOptions build() {
            return new ChatOptions(this);
        }
    }
}
