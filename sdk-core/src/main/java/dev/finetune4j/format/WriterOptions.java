package dev.finetune4j.format;

import java.util.Objects;

/**
 * Choices a {@link DatasetWriter} leaves to the caller, for formats that can write a part in more
 * than one way. {@link #defaults()} suits the format's usual consumer. Immutable and thread-safe.
 *
 * <pre>{@code
 * DatasetWriter.open(DatasetFormat.HF_MESSAGES, out,
 *         WriterOptions.builder().toolArguments(WriterOptions.ToolArguments.STRING).build());
 * }</pre>
 */
public final class WriterOptions {

    private static final WriterOptions DEFAULTS = builder().build();

    /** How tool call {@code arguments} are written by the Hugging Face formats. */
    public enum ToolArguments {
        /**
         * As a JSON object, {@code "arguments":{"city":"Paris"}}: what Transformers chat templates
         * expect (they index into the mapping; a string is rendered escaped, or fails). The default.
         * A call whose arguments are not a JSON object skips its example
         * ({@link ConversionLoss#TOOL_ARGUMENTS_NOT_OBJECT}).
         */
        OBJECT,
        /**
         * As the JSON text in a string, {@code "arguments":"{\"city\":\"Paris\"}"}, the OpenAI wire
         * form: for the few templates that want a string, and for {@code datasets} versions that
         * cannot load objects whose keys or value types differ from row to row (they infer one
         * Arrow struct for the whole column).
         */
        STRING
    }

    private final ToolArguments toolArguments;

    private WriterOptions(Builder b) {
        this.toolArguments = b.toolArguments;
    }

    /** Tool arguments as objects. */
    public static WriterOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How the Hugging Face formats ({@link DatasetFormat#HF_MESSAGES},
     * {@link DatasetFormat#HF_PROMPT_COMPLETION}) write tool call arguments; other formats have one
     * fixed form (a string for OpenAI and Mistral, an object for Vertex Gemini) and ignore it.
     */
    public ToolArguments toolArguments() {
        return toolArguments;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriterOptions w && toolArguments == w.toolArguments;
    }

    @Override
    public int hashCode() {
        return toolArguments.hashCode();
    }

    @Override
    public String toString() {
        return "WriterOptions[toolArguments=" + toolArguments + "]";
    }

    /** Builds {@link WriterOptions}. Not thread-safe. */
    public static final class Builder {
        private ToolArguments toolArguments = ToolArguments.OBJECT;

        private Builder() {}

        /** How the Hugging Face formats write tool call arguments (default {@link ToolArguments#OBJECT}). */
        public Builder toolArguments(ToolArguments toolArguments) {
            this.toolArguments = Objects.requireNonNull(toolArguments, "toolArguments");
            return this;
        }

        /** Builds the options. */
        public WriterOptions build() {
            return new WriterOptions(this);
        }
    }
}
