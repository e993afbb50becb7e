package dev.finetune4j.dataset;

import dev.finetune4j.internal.ModelKeys;
import dev.finetune4j.policy.MinimumExamples;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A provider's data rules: which optional {@link DataCheck}s validation applies on top of the
 * shared ones, the form of a tool call id, the minimum number of examples and the longest example
 * each model trains on. Each provider supplies its rules in its {@link
 * dev.finetune4j.spi.ProviderDescriptor}; {@code validate --provider X}, a job's check before
 * upload and the {@link dev.finetune4j.policy.TrainingPolicy} read them from there.
 *
 * <pre>{@code
 * DataRules mistral = DataRules.builder("Mistral")
 *         .enable(DataCheck.SINGLE_LEADING_SYSTEM_MESSAGE, DataCheck.ASSISTANT_MESSAGE_LAST,
 *                 DataCheck.TOOL_MESSAGE_HAS_CALL_ID, DataCheck.CALLED_TOOLS_DEFINED,
 *                 DataCheck.NO_CONTENT_BESIDE_TOOL_CALLS)
 *         .toolCallIdFormat("[a-zA-Z0-9]{9}", "exactly 9 characters, each a-z, A-Z or 0-9")
 *         .minimumExamples(new MinimumExamples(1, 50, "no documented minimum"))
 *         .build();
 * }</pre>
 *
 * <p>Model-specific entries match like prices: a model by an exact entry first, then by the
 * longest matching id prefix (the empty prefix covers every model), case-insensitively, and a
 * fine-tuned id {@code ft:BASE:...} by its base model. Immutable and thread-safe.
 */
public final class DataRules {

    private static final DataRules STANDARD = builder("the shared rules").build();
    /** Stored for a model whose limit is explicitly unknown. */
    private static final int UNKNOWN = 0;

    private final String owner;
    private final Set<DataCheck> checks;
    private final Pattern toolCallId;
    private final String toolCallIdFormat;
    private final Map<String, MinimumExamples> minimums;
    private final Map<String, Integer> maxTokens;

    private DataRules(Builder b) {
        this.owner = b.owner;
        this.checks = Collections.unmodifiableSet(b.checks.isEmpty() ? EnumSet.noneOf(DataCheck.class)
                : EnumSet.copyOf(b.checks));
        this.toolCallId = b.toolCallId;
        this.toolCallIdFormat = b.toolCallIdFormat;
        this.minimums = Collections.unmodifiableMap(new TreeMap<>(b.minimums));
        this.maxTokens = Collections.unmodifiableMap(new TreeMap<>(b.maxTokens));
    }

    /**
     * The shared checks only: no optional check, any tool call id, no minimum, no known token
     * limit. What OpenAI chat fine-tuning and Hugging Face TRL conversational data need.
     */
    public static DataRules standard() {
        return STANDARD;
    }

    /**
     * A builder with no optional check.
     *
     * @param owner who sets the rules, named in the messages of the checks they add, e.g. {@code
     *     Mistral} ({@code "... Mistral requires an assistant message last"})
     */
    public static Builder builder(String owner) {
        return new Builder(owner);
    }

    /** A builder holding these rules. */
    public Builder toBuilder() {
        Builder b = new Builder(owner);
        b.checks.addAll(checks);
        b.toolCallId = toolCallId;
        b.toolCallIdFormat = toolCallIdFormat;
        b.minimums.putAll(minimums);
        b.maxTokens.putAll(maxTokens);
        return b;
    }

    /** Who sets the rules, as messages name them, e.g. {@code Mistral}. */
    public String owner() {
        return owner;
    }

    /** Whether validation applies this optional check. */
    public boolean applies(DataCheck check) {
        return checks.contains(Objects.requireNonNull(check, "check"));
    }

    /** The optional checks applied, in declaration order; unmodifiable. */
    public Set<DataCheck> checks() {
        return checks;
    }

    /** The required form of a tool call id, in words, when the provider requires one. */
    public Optional<String> toolCallIdFormat() {
        return Optional.ofNullable(toolCallIdFormat);
    }

    /** Whether a tool call id has the required form (always, when no form is required). */
    public boolean acceptsToolCallId(String id) {
        Objects.requireNonNull(id, "id");
        return toolCallId == null || toolCallId.matcher(id).matches();
    }

    /** The provider's minimum examples for a model, when it publishes one. */
    public Optional<MinimumExamples> minimumExamples(String model) {
        return ModelKeys.lookup(minimums, Objects.requireNonNull(model, "model")).map(Map.Entry::getValue);
    }

    /**
     * The most tokens one training example of this model may have (the provider truncates or
     * refuses longer ones), or empty when unknown.
     */
    public OptionalInt maxTokensPerExample(String model) {
        Objects.requireNonNull(model, "model");
        Optional<Map.Entry<String, Integer>> found = ModelKeys.lookup(maxTokens, model);
        return found.isEmpty() || found.get().getValue() == UNKNOWN
                ? OptionalInt.empty()
                : OptionalInt.of(found.get().getValue());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataRules r && owner.equals(r.owner) && checks.equals(r.checks)
                && Objects.equals(toolCallIdFormat, r.toolCallIdFormat)
                && Objects.equals(toolCallId == null ? null : toolCallId.pattern(),
                        r.toolCallId == null ? null : r.toolCallId.pattern())
                && minimums.equals(r.minimums) && maxTokens.equals(r.maxTokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, checks, toolCallIdFormat, minimums, maxTokens);
    }

    /** E.g. {@code DataRules[Mistral: SINGLE_LEADING_SYSTEM_MESSAGE, ...; tool call ids exactly 9 ...]}. */
    @Override
    public String toString() {
        return "DataRules[" + owner + ": " + (checks.isEmpty() ? "shared checks only" : checks.toString())
                + (toolCallIdFormat == null ? "" : "; tool call ids " + toolCallIdFormat)
                + (minimums.isEmpty() ? "" : "; minimum examples " + minimums)
                + (maxTokens.isEmpty() ? "" : "; max tokens per example " + maxTokens) + "]";
    }

    /** Builds {@link DataRules}. Not thread-safe. */
    public static final class Builder {
        private final String owner;
        private final EnumSet<DataCheck> checks = EnumSet.noneOf(DataCheck.class);
        private Pattern toolCallId;
        private String toolCallIdFormat;
        private final Map<String, MinimumExamples> minimums = new TreeMap<>();
        private final Map<String, Integer> maxTokens = new TreeMap<>();

        private Builder(String owner) {
            Objects.requireNonNull(owner, "owner");
            if (owner.isBlank()) {
                throw new IllegalArgumentException("owner must not be blank");
            }
            this.owner = owner;
        }

        /** Switches these optional checks on. */
        public Builder enable(DataCheck... checks) {
            for (DataCheck c : checks) {
                this.checks.add(Objects.requireNonNull(c, "check"));
            }
            return this;
        }

        /** Switches these optional checks off. */
        public Builder disable(DataCheck... checks) {
            for (DataCheck c : checks) {
                this.checks.remove(Objects.requireNonNull(c, "check"));
            }
            return this;
        }

        /**
         * Requires every tool call id to match a regular expression (the whole id); a call whose
         * id does not is a {@code tool_call_id_mismatch} error that quotes {@code description}.
         *
         * @param regex e.g. {@code [a-zA-Z0-9]{9}}
         * @param description the form in words, e.g. {@code "exactly 9 characters, each a-z, A-Z or 0-9"}
         * @throws IllegalArgumentException when {@code regex} is not a regular expression
         */
        public Builder toolCallIdFormat(String regex, String description) {
            Objects.requireNonNull(regex, "regex");
            try {
                this.toolCallId = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("tool call id format '" + regex + "' is not a regular expression: "
                        + e.getDescription(), e);
            }
            this.toolCallIdFormat = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Accepts any tool call id again (the default). */
        public Builder anyToolCallId() {
            this.toolCallId = null;
            this.toolCallIdFormat = null;
            return this;
        }

        /** The provider's minimum examples for all its models. */
        public Builder minimumExamples(MinimumExamples minimum) {
            return minimumExamples("", minimum);
        }

        /**
         * The provider's minimum examples for the models whose id starts with {@code modelPrefix},
         * replacing a rule for the same prefix.
         */
        public Builder minimumExamples(String modelPrefix, MinimumExamples minimum) {
            minimums.put(ModelKeys.model(modelPrefix), Objects.requireNonNull(minimum, "minimum"));
            return this;
        }

        /**
         * The most tokens per example for the models whose id starts with {@code modelPrefix}
         * ({@code ""} for all of them).
         *
         * @throws IllegalArgumentException if {@code maxTokens} is below 1
         */
        public Builder maxTokensPerExample(String modelPrefix, int maxTokens) {
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
            }
            this.maxTokens.put(ModelKeys.model(modelPrefix), maxTokens);
            return this;
        }

        /**
         * Records that the token limit of the models starting with {@code modelPrefix} is unknown,
         * overriding a rule for a shorter prefix.
         */
        public Builder unknownMaxTokensPerExample(String modelPrefix) {
            this.maxTokens.put(ModelKeys.model(modelPrefix), UNKNOWN);
            return this;
        }

        /** Builds the rules. */
        public DataRules build() {
            return new DataRules(this);
        }
    }
}
