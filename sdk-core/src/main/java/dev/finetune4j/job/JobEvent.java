package dev.finetune4j.job;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event of a job as the provider reported it (a status change, a message, a metrics line).
 *
 * @param id the provider's event id, or a position for providers without ids
 * @param at when it happened
 * @param level {@code info}, {@code warn} or {@code error}
 * @param message human text
 * @param metrics numbers carried by a metrics event (e.g. {@code step}, {@code train_loss}); empty otherwise
 */
public record JobEvent(String id, Instant at, String level, String message, Map<String, Double> metrics) {

    /** Checks and copies the parts. */
    public JobEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
        metrics = Map.copyOf(metrics);
    }
}
