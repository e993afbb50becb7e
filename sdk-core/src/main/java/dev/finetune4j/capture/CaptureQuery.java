package dev.finetune4j.capture;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which captures of one assistant to read or curate: a time range, the model version that
 * answered, the rating, whether a correction was given, feedback tags. Every condition set must
 * hold. Immutable; build with {@link #builder(String)}.
 */
public final class CaptureQuery {

    private final String assistant;
    private final Instant from;
    private final Instant to;
    private final Integer modelVersion;
    private final Rating rating;
    private final Boolean corrected;
    private final boolean withFeedback;
    private final Map<String, String> tags;

    private CaptureQuery(Builder b) {
        this.assistant = b.assistant;
        this.from = b.from;
        this.to = b.to;
        this.modelVersion = b.modelVersion;
        this.rating = b.rating;
        this.corrected = b.corrected;
        this.withFeedback = b.withFeedback;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
    }

    /** A query over every capture of {@code assistant}. */
    public static Builder builder(String assistant) {
        return new Builder(assistant);
    }

    /** Every capture of {@code assistant}. */
    public static CaptureQuery all(String assistant) {
        return builder(assistant).build();
    }

    /** The assistant. */
    public String assistant() {
        return assistant;
    }

    /** Captures at or after this time. */
    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    /** Captures before this time. */
    public Optional<Instant> to() {
        return Optional.ofNullable(to);
    }

    /** Captures answered by this model version (0 = the base model). */
    public OptionalInt modelVersion() {
        return modelVersion == null ? OptionalInt.empty() : OptionalInt.of(modelVersion);
    }

    /** Captures rated this way. */
    public Optional<Rating> rating() {
        return Optional.ofNullable(rating);
    }

    /** Captures with (true) or without (false) a correction. */
    public Optional<Boolean> corrected() {
        return Optional.ofNullable(corrected);
    }

    /** Whether only captures with feedback match. */
    public boolean withFeedback() {
        return withFeedback;
    }

    /** Feedback tags every match carries; unmodifiable. */
    public Map<String, String> tags() {
        return tags;
    }

    /** Whether a capture of this query's assistant meets every condition. */
    public boolean matches(Capture c) {
        if (!c.assistant().equals(assistant)
                || (from != null && c.time().isBefore(from))
                || (to != null && !c.time().isBefore(to))
                || (modelVersion != null && c.servedBy().modelVersion() != modelVersion)) {
            return false;
        }
        Feedback f = c.feedback().orElse(null);
        if (f == null) {
            return !withFeedback && rating == null && !Boolean.TRUE.equals(corrected) && tags.isEmpty();
        }
        if (rating != null && f.rating().orElse(null) != rating) {
            return false;
        }
        if (corrected != null && f.correction().isPresent() != corrected) {
            return false;
        }
        return f.tags().entrySet().containsAll(tags.entrySet());
    }

    @Override
    public String toString() {
        return "CaptureQuery[" + assistant + (from == null ? "" : ", from " + from) + (to == null ? "" : ", to " + to)
                + (modelVersion == null ? "" : ", v" + modelVersion) + (rating == null ? "" : ", " + rating.wireName())
                + (corrected == null ? "" : corrected ? ", corrected" : ", uncorrected")
                + (withFeedback ? ", with feedback" : "") + (tags.isEmpty() ? "" : ", tags " + tags) + "]";
    }

    /** Builds {@link CaptureQuery}. Not thread-safe. */
    public static final class Builder {
        private final String assistant;
        private Instant from;
        private Instant to;
        private Integer modelVersion;
        private Rating rating;
        private Boolean corrected;
        private boolean withFeedback;
        private final Map<String, String> tags = new LinkedHashMap<>();

        private Builder(String assistant) {
            this.assistant = Objects.requireNonNull(assistant, "assistant");
        }

        /** Only captures at or after {@code time}. */
        public Builder from(Instant time) {
            this.from = Objects.requireNonNull(time, "time");
            return this;
        }

        /** Only captures before {@code time}. */
        public Builder to(Instant time) {
            this.to = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * Only captures answered by this model version.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder modelVersion(int version) {
            if (version < 0) {
                throw new IllegalArgumentException("model version must be >= 0 (0 = base model), was " + version);
            }
            this.modelVersion = version;
            return this;
        }

        /** Only captures rated this way. */
        public Builder rating(Rating rating) {
            this.rating = Objects.requireNonNull(rating, "rating");
            return this;
        }

        /** Only captures with (true) or without (false) a correction. */
        public Builder corrected(boolean corrected) {
            this.corrected = corrected;
            return this;
        }

        /** Only captures that have feedback. */
        public Builder withFeedback() {
            this.withFeedback = true;
            return this;
        }

        /** Only captures whose feedback carries this tag. */
        public Builder tag(String name, String value) {
            tags.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The query.
         *
         * @throws IllegalStateException if {@code from} is not before {@code to}
         */
        public CaptureQuery build() {
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalStateException("from (" + from + ") must be before to (" + to + ")");
            }
            return new CaptureQuery(this);
        }
    }
}
