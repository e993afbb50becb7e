package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.WriterOptions;
import java.io.IOException;

/**
 * Writes examples as JSON objects of one {@link DatasetFormat}, reporting what the format cannot
 * hold. Implementations are stateless and thread-safe.
 */
public interface FormatEncoder {

    /**
     * Converts one example: either records a skip in {@code losses} and writes nothing, or writes
     * exactly one JSON object (no line break) and records every dropped detail.
     *
     * @return whether the example was written
     */
    boolean encode(Example example, JsonGenerator g, LossCollector losses) throws IOException;

    /** The encoder of a format, with the writer's options. */
    static FormatEncoder forFormat(DatasetFormat format, WriterOptions options) {
        return switch (format) {
            case OPENAI -> new OpenAiEncoder();
            case MISTRAL -> new MistralEncoder();
            case HF_MESSAGES -> new HfMessagesEncoder(new HfToolArguments(options.toolArguments()));
            case HF_PROMPT_COMPLETION -> new HfPromptCompletionEncoder(new HfToolArguments(options.toolArguments()));
            case ALPACA -> new AlpacaEncoder();
            case VERTEX_GEMINI -> new VertexGeminiEncoder();
            case BEDROCK_CLAUDE -> new BedrockClaudeEncoder();
        };
    }
}
