package dev.finetune4j.cli;

import dev.finetune4j.capture.CaptureQuery;
import dev.finetune4j.capture.Rating;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options that select captures, shared by {@code captures list} and {@code captures curate}. */
final class CaptureFilter {

    @Option(names = "--from", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Only calls at or after this UTC time, e.g. 2026-12-01T00:00:00Z.")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Only calls before this UTC time.")
    Instant to;

    @Option(names = "--version", paramLabel = "VERSION|base", converter = ChatCommand.Pin.class,
            description = "Only calls answered by this model version (2 or v2), or by the base model (base).")
    Integer version;

    @Option(names = "--rating", paramLabel = "up|down", converter = RatingConverter.class,
            description = "Only calls rated up, or down.")
    Rating rating;

    @Option(names = "--rated", description = "Only calls with feedback.")
    boolean rated;

    @Option(names = "--corrected", negatable = true,
            description = "Only calls with a correction (--no-corrected: only calls without one).")
    Boolean corrected;

    @Option(names = "--tag", paramLabel = "NAME=VALUE",
            description = "Only calls whose feedback has this tag (repeatable; all must match).")
    Map<String, String> tags = new LinkedHashMap<>();

    /** The query for {@code assistant}. */
    CaptureQuery query(String assistant) {
        CaptureQuery.Builder b = CaptureQuery.builder(assistant);
        if (from != null) {
            b.from(from);
        }
        if (to != null) {
            b.to(to);
        }
        if (version != null) {
            b.modelVersion(version);
        }
        if (rating != null) {
            b.rating(rating);
        }
        if (rated) {
            b.withFeedback();
        }
        if (corrected != null) {
            b.corrected(corrected);
        }
        tags.forEach(b::tag);
        return b.build();
    }

    /** An ISO-8601 instant. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a UTC time: use e.g. 2026-12-01T00:00:00Z");
            }
        }
    }

    /** {@code up} or {@code down}. */
    static final class RatingConverter implements ITypeConverter<Rating> {
        @Override
        public Rating convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "up" -> Rating.UP;
                case "down" -> Rating.DOWN;
                default -> throw new TypeConversionException("'" + value + "' is not a rating: use up or down");
            };
        }
    }
}
