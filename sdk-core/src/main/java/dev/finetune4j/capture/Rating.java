package dev.finetune4j.capture;

/** A thumbs-up or thumbs-down on a captured answer. */
public enum Rating {
    /** The answer was good: curation may train on it. */
    UP,
    /** The answer was bad: curation trains on it only through a correction. */
    DOWN;

    /** {@code up} or {@code down}, as stored and printed. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
