package dev.finetune4j.capture;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a user or reviewer said about a captured answer: a thumbs up or down, or a score, with an
 * optional corrected answer, a note and tags (for curation). Immutable: start from {@link #up()},
 * {@link #down()} or {@link #score(double)} and add parts with the {@code with...} methods.
 */
public final class Feedback {

    private final Rating rating;
    private final Double score;
    private final String correction;
    private final String note;
    private final Map<String, String> tags;

    private Feedback(Rating rating, Double score, String correction, String note, Map<String, String> tags) {
        this.rating = rating;
        this.score = score;
        this.correction = correction;
        this.note = note;
        this.tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** A thumbs up. */
    public static Feedback up() {
        return new Feedback(Rating.UP, null, null, null, Map.of());
    }

    /** A thumbs down. */
    public static Feedback down() {
        return new Feedback(Rating.DOWN, null, null, null, Map.of());
    }

    /**
     * A score from 0 (worst) to 1 (best).
     *
     * @throws IllegalArgumentException outside 0 to 1
     */
    public static Feedback score(double score) {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be 0 to 1, was " + score);
        }
        return new Feedback(null, score, null, null, Map.of());
    }

    /**
     * Restores stored feedback; nulls mean absent. The SDK uses this when reading; applications use
     * the other factories.
     */
    public static Feedback of(Rating rating, Double score, String correction, String note, Map<String, String> tags) {
        if (rating == null && score == null) {
            throw new IllegalArgumentException("feedback needs a rating or a score");
        }
        return new Feedback(rating, score, correction, note, Objects.requireNonNull(tags, "tags"));
    }

    /**
     * This feedback with the answer the assistant should have given; curation trains on it in place
     * of the captured answer.
     *
     * @throws IllegalArgumentException if blank
     */
    public Feedback withCorrection(String correctedAnswer) {
        Objects.requireNonNull(correctedAnswer, "correctedAnswer");
        if (correctedAnswer.isBlank()) {
            throw new IllegalArgumentException("a correction must not be blank");
        }
        return new Feedback(rating, score, correctedAnswer, note, tags);
    }

    /** This feedback with a free-text note (not used for training). */
    public Feedback withNote(String text) {
        return new Feedback(rating, score, correction, Objects.requireNonNull(text, "text"), tags);
    }

    /**
     * This feedback with one more tag, e.g. {@code topic=billing}; curation can select by tags and
     * copies them onto the examples.
     *
     * @throws IllegalArgumentException for a blank name
     */
    public Feedback withTag(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a tag name must not be blank");
        }
        Map<String, String> more = new LinkedHashMap<>(tags);
        more.put(name, value);
        return new Feedback(rating, score, correction, note, more);
    }

    /** The thumbs up or down, absent for a score. */
    public Optional<Rating> rating() {
        return Optional.ofNullable(rating);
    }

    /** The score from 0 to 1, absent for a thumbs up or down. */
    public OptionalDouble score() {
        return score == null ? OptionalDouble.empty() : OptionalDouble.of(score);
    }

    /** Whether this counts as approval: a thumbs up, or a score of at least 0.5. */
    public boolean positive() {
        return rating == Rating.UP || (score != null && score >= 0.5);
    }

    /** The corrected answer. */
    public Optional<String> correction() {
        return Optional.ofNullable(correction);
    }

    /** The note. */
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    /** The tags, in the order added; unmodifiable. */
    public Map<String, String> tags() {
        return tags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Feedback f && Objects.equals(rating, f.rating) && Objects.equals(score, f.score)
                && Objects.equals(correction, f.correction) && Objects.equals(note, f.note) && tags.equals(f.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rating, score, correction, note, tags);
    }

    /** The rating or score and which parts are present; never the texts, which may be personal. */
    @Override
    public String toString() {
        return "Feedback[" + (rating != null ? rating.wireName() : "score " + score)
                + (correction != null ? ", corrected" : "") + (note != null ? ", note" : "")
                + (tags.isEmpty() ? "" : ", tags " + tags.keySet()) + "]";
    }
}
