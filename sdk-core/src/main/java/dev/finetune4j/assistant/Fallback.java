package dev.finetune4j.assistant;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One entry of an assistant's fallback chain: the model version the router tries next when the one
 * it called is gone or failing, optionally only until a date (e.g. the source model's shutdown day).
 * Version 0 is the assistant's base model.
 *
 * @param modelVersion the model version to try (0 = the base model)
 * @param until the last day (UTC) the entry is tried; {@link LocalDate#MAX} for no end
 */
public record Fallback(int modelVersion, LocalDate until) {

    /** Checks the parts. */
    public Fallback {
        Objects.requireNonNull(until, "until");
        if (modelVersion < 0) {
            throw new IllegalArgumentException("a fallback's model version must be >= 0 (0 = base model), was "
                    + modelVersion);
        }
    }

    /** A model version, tried with no end date. */
    public static Fallback to(int modelVersion) {
        return new Fallback(modelVersion, LocalDate.MAX);
    }

    /** A model version, tried up to and including {@code lastDay}. */
    public static Fallback until(int modelVersion, LocalDate lastDay) {
        return new Fallback(modelVersion, lastDay);
    }

    /** The base model, with no end date. */
    public static Fallback baseModel() {
        return to(0);
    }

    /** Whether the entry is still tried on {@code day}. */
    public boolean usableOn(LocalDate day) {
        return !day.isAfter(until);
    }

    /** E.g. {@code v3 until 2027-01-14} or {@code base}. */
    public String describe() {
        return (modelVersion == 0 ? "base" : "v" + modelVersion) + (until.equals(LocalDate.MAX) ? "" : " until " + until);
    }
}
