package dev.finetune4j.internal.format;

import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.internal.validate.ExampleReader;
import dev.finetune4j.internal.validate.LineDecoder;
import java.util.Objects;

/** The {@link LineDecoder} of each importable {@link DatasetFormat}. */
public final class LineDecoders {

    private static final AlpacaDecoder ALPACA = new AlpacaDecoder();

    private LineDecoders() {}

    /**
     * The decoder of a format.
     *
     * @param format an importable format ({@link DatasetFormat#importable()})
     * @param rules the rules to apply to {@link DatasetFormat#OPENAI} lines; {@link DatasetFormat#MISTRAL}
     *     always uses {@link DatasetFormat#rules() its format's rules} and {@link DatasetFormat#ALPACA} has its own
     * @throws IllegalArgumentException for a format that cannot be imported, naming those that can
     */
    public static LineDecoder forFormat(DatasetFormat format, DataRules rules) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(rules, "rules");
        return switch (format) {
            case OPENAI -> new ExampleReader(rules);
            case MISTRAL -> new ExampleReader(DatasetFormat.MISTRAL.rules());
            case ALPACA -> ALPACA;
            default -> throw new IllegalArgumentException("format '" + format.id() + "' cannot be imported; "
                    + "importable formats are " + importable());
        };
    }

    private static String importable() {
        StringBuilder sb = new StringBuilder();
        for (DatasetFormat f : DatasetFormat.values()) {
            if (f.importable()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(f.id());
            }
        }
        return sb.toString();
    }
}
