package dev.finetune4j.dataset;

import dev.finetune4j.format.DatasetFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How JSONL input is read, validated and imported.
 *
 * <p>Defaults: OpenAI format, the shared rules ({@link DataRules#standard()}), lenient (good lines
 * are kept and bad ones reported), no token counting, lines up to 32 MiB, the first 10,000 issues
 * kept in the report, one worker per core. Immutable and thread-safe; build with {@link
 * #builder()}.
 */
public final class ImportOptions {

    private static final ImportOptions DEFAULTS = builder().build();

    private final DatasetFormat format;
    private final DataRules rules;
    private final String model;
    private final Integer maxTokensPerExample;
    private final boolean strict;
    private final Map<String, String> tags;
    private final int maxLineBytes;
    private final int maxIssues;
    private final int parallelism;

    private ImportOptions(Builder b) {
        this.format = b.format;
        this.rules = b.rules;
        this.model = b.model;
        this.maxTokensPerExample = b.maxTokensPerExample;
        this.strict = b.strict;
        this.tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
        this.maxLineBytes = b.maxLineBytes;
        this.maxIssues = b.maxIssues;
        this.parallelism = b.parallelism;
    }

    /** The defaults described in the class comment. */
    public static ImportOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.format = format;
        b.rules = rules;
        b.model = model;
        b.maxTokensPerExample = maxTokensPerExample;
        b.strict = strict;
        b.tags.putAll(tags);
        b.maxLineBytes = maxLineBytes;
        b.maxIssues = maxIssues;
        b.parallelism = parallelism;
        return b;
    }

    /** The input format. */
    public DatasetFormat format() {
        return format;
    }

    /** The data rules applied on top of the shared checks (a provider's, from its descriptor). */
    public DataRules rules() {
        return rules;
    }

    /** The base model whose tokenizer counts tokens, when token counting is on. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** The most tokens an example may have; longer ones are rejected with {@code too_long}. */
    public OptionalInt maxTokensPerExample() {
        return maxTokensPerExample == null ? OptionalInt.empty() : OptionalInt.of(maxTokensPerExample);
    }

    /** Strict: any error rejects the whole input. Lenient: good lines are kept. */
    public boolean strict() {
        return strict;
    }

    /** Tags added to every imported example (an example's own tags win). */
    public Map<String, String> tags() {
        return tags;
    }

    /** The longest line read, in bytes; longer lines are skipped with {@code line_too_long}. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** How many issues the report keeps (counts stay exact). */
    public int maxIssues() {
        return maxIssues;
    }

    /** How many threads parse and count in parallel. */
    public int parallelism() {
        return parallelism;
    }

    @Override
    public String toString() {
        return "ImportOptions[format=" + format.id() + ", rules=" + rules + ", model=" + model
                + ", maxTokensPerExample=" + maxTokensPerExample + ", strict=" + strict + ", tags=" + tags + "]";
    }

    /** Builds {@link ImportOptions}. Not thread-safe. */
    public static final class Builder {
        private DatasetFormat format = DatasetFormat.OPENAI;
        private DataRules rules = DataRules.standard();
        private String model;
        private Integer maxTokensPerExample;
        private boolean strict;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private int maxLineBytes = 32 * 1024 * 1024;
        private int maxIssues = 10_000;
        private int parallelism = Runtime.getRuntime().availableProcessors();

        private Builder() {}

        /**
         * The input format; {@link DatasetFormat#MISTRAL} also selects {@linkplain DatasetFormat#rules()
         * the rules Mistral's format defines}, and its files are always read with them.
         *
         * @throws IllegalArgumentException for a format that cannot be imported
         */
        public Builder format(DatasetFormat format) {
            if (!Objects.requireNonNull(format, "format").importable()) {
                throw new IllegalArgumentException("format " + format.id()
                        + " cannot be imported; use openai, mistral or alpaca");
            }
            this.format = format;
            if (format == DatasetFormat.MISTRAL) {
                this.rules = format.rules();
            }
            return this;
        }

        /**
         * The data rules to apply on top of the shared checks, e.g. a provider's {@code
         * descriptor().dataRules()} (default {@link DataRules#standard()}).
         */
        public Builder rules(DataRules rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** Counts tokens with this base model's tokenizer (see {@code TokenCounter.forModel}). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** Rejects examples over this many tokens; needs {@link #model}. */
        public Builder maxTokensPerExample(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxTokensPerExample must be >= 1, was " + max);
            }
            this.maxTokensPerExample = max;
            return this;
        }

        /** Strict (reject the whole input on any error) or lenient (the default). */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /** Adds a tag to every imported example. */
        public Builder tag(String name, String value) {
            tags.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The longest line read, in bytes (at least 1 KiB). */
        public Builder maxLineBytes(int max) {
            if (max < 1024) {
                throw new IllegalArgumentException("maxLineBytes must be >= 1024, was " + max);
            }
            this.maxLineBytes = max;
            return this;
        }

        /** How many issues the report keeps (at least 1). */
        public Builder maxIssues(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxIssues must be >= 1, was " + max);
            }
            this.maxIssues = max;
            return this;
        }

        /** How many threads parse and count (1 reads everything on the caller's thread). */
        public Builder parallelism(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("parallelism must be >= 1, was " + threads);
            }
            this.parallelism = threads;
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalStateException when a token limit is set without a model to count with
         */
        public ImportOptions build() {
            if (maxTokensPerExample != null && model == null) {
                throw new IllegalStateException("maxTokensPerExample needs model(...) to count tokens with");
            }
            return new ImportOptions(this);
        }
    }
}
