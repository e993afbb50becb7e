package dev.finetune4j.cli;

import dev.finetune4j.Tenant;
import dev.finetune4j.dataset.Split;
import dev.finetune4j.format.DatasetFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Argument converters: a bad value becomes a usage error (exit 2) whose message names the value and
 * the accepted ones, taken from the library's own parsers.
 */
final class Converters {

    private Converters() {}

    /**
     * The id of a provider module in this build (any that {@link java.util.ServiceLoader} finds),
     * case-insensitive, kept as the lowercase id.
     */
    static final class Provider implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String id = value.strip().toLowerCase(Locale.ROOT);
            if (ProviderRegistry.descriptor(id).isPresent()) {
                return id;
            }
            Set<String> found = ProviderRegistry.descriptors().keySet();
            throw new TypeConversionException("unknown provider '" + value + "': this build has "
                    + (found.isEmpty() ? "none" : String.join(", ", found)));
        }
    }

    /** The ids of the provider modules in this build, for {@code ${COMPLETION-CANDIDATES}} in help texts. */
    static final class ProviderIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ProviderRegistry.descriptors().keySet().iterator();
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

    /** {@code --endpoint}: an absolute http or https URL. */
    static final class Endpoint implements ITypeConverter<java.net.URI> {
        @Override
        public java.net.URI convert(String value) {
            try {
                java.net.URI uri = new java.net.URI(value.strip());
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not an http or https URL, e.g. "
                    + "http://localhost:8089/openai/v1");
        }
    }

    /** A duration: {@code 90s}, {@code 30m}, {@code 2h}, {@code 90d}, {@code 500ms} or ISO-8601 ({@code PT1H30M}, {@code P90D}). */
    static final class DurationConverter implements ITypeConverter<java.time.Duration> {
        @Override
        public java.time.Duration convert(String value) {
            String v = value.strip().toLowerCase(java.util.Locale.ROOT);
            try {
                java.time.Duration d;
                if (v.startsWith("pt") || v.startsWith("p")) {
                    d = java.time.Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
                } else if (v.endsWith("ms")) {
                    d = java.time.Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                } else if (v.endsWith("s")) {
                    d = java.time.Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
                } else if (v.endsWith("m")) {
                    d = java.time.Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                } else if (v.endsWith("h")) {
                    d = java.time.Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
                } else if (v.endsWith("d")) {
                    d = java.time.Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
                } else {
                    d = null;
                }
                if (d != null && !d.isNegative() && !d.isZero()) {
                    return d;
                }
            } catch (RuntimeException e) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a duration: use 90s, 30m, 2h, 90d, 500ms or PT1H30M");
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
