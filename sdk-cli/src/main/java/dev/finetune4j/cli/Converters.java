package dev.finetune4j.cli;

import dev.finetune4j.Tenant;
import dev.finetune4j.dataset.RuleSet;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.format.DatasetFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Argument converters: a bad value becomes a usage error (exit 2) whose message names the value and
 * the accepted ones, taken from the library's own parsers.
 */
final class Converters {

    private Converters() {}

    /** {@code openai}, {@code mistral} or {@code huggingface}, kept as the lowercase id. */
    static final class Provider implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return switch (RuleSet.forProvider(value)) {
                    case OPENAI -> "openai";
                    case MISTRAL -> "mistral";
                    case HUGGINGFACE -> "huggingface";
                };
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A {@link DatasetFormat} id such as {@code hf-messages}. */
    static final class Format implements ITypeConverter<DatasetFormat> {
        @Override
        public DatasetFormat convert(String value) {
            try {
                return DatasetFormat.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A {@link DatasetFormat} that can be read: {@code openai}, {@code mistral} or {@code alpaca}. */
    static final class InputFormat implements ITypeConverter<DatasetFormat> {
        @Override
        public DatasetFormat convert(String value) {
            DatasetFormat f = new Format().convert(value);
            if (!f.importable()) {
                throw new TypeConversionException("format " + f.id()
                        + " can be written but not read; read openai, mistral or alpaca");
            }
            return f;
        }
    }

    /** {@code train} or {@code validation}. */
    static final class SplitConverter implements ITypeConverter<Split> {
        @Override
        public Split convert(String value) {
            try {
                return Split.fromId(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A model or prompt version number: {@code 2} or {@code v2}. */
    static final class VersionNumber implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String digits = value.startsWith("v") ? value.substring(1) : value;
            try {
                int n = Integer.parseInt(digits);
                if (n >= 1 && digits.chars().allMatch(Character::isDigit)) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a version number: use 1, 2, ... or v1, v2, ...");
        }
    }

    /** A tenant id. */
    static final class TenantConverter implements ITypeConverter<Tenant> {
        @Override
        public Tenant convert(String value) {
            try {
                return Tenant.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
