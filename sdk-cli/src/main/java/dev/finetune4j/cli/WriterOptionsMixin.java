package dev.finetune4j.cli;

import dev.finetune4j.format.WriterOptions;
import dev.finetune4j.format.WriterOptions.ToolArguments;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The {@code --tool-arguments} option of the commands that write a format: {@link WriterOptions}. */
final class WriterOptionsMixin {

    @Option(names = "--tool-arguments", paramLabel = "FORM", defaultValue = "object",
            converter = FormConverter.class,
            description = "hf-messages and hf-prompt-completion: write tool call arguments as a JSON object, as "
                    + "Transformers chat templates expect (object, the default), or as the OpenAI JSON string "
                    + "(string). Other formats have one fixed form.")
    ToolArguments toolArguments;

    WriterOptions options() {
        return WriterOptions.builder().toolArguments(toolArguments).build();
    }

    /** {@code object} or {@code string}, any case. */
    static final class FormConverter implements ITypeConverter<ToolArguments> {
        @Override
        public ToolArguments convert(String value) {
            for (ToolArguments t : ToolArguments.values()) {
                if (t.name().equalsIgnoreCase(value)) {
                    return t;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a form of tool arguments; use object or string");
        }
    }
}
