package dev.finetune4j.assistant;

import java.util.Objects;

/**
 * Who made a change to an assistant's selection and why; recorded in its timeline.
 *
 * @param actor who, as the host app names them (a user id, "scheduler", ...)
 * @param reason why, free text; may be empty
 */
public record Change(String actor, String reason) {

    /** A change by the library itself or an unnamed caller. */
    public static final Change SYSTEM = new Change("system", "");

    /** Checks that neither part is null. */
    public Change {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
        if (actor.isBlank()) {
            throw new IllegalArgumentException("actor must not be blank");
        }
    }

    /** A change by {@code actor} for {@code reason}. */
    public static Change by(String actor, String reason) {
        return new Change(actor, reason);
    }
}
