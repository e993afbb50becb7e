package dev.finetune4j.spi;

import dev.finetune4j.job.JobEvent;
import java.util.List;
import java.util.Optional;

/**
 * Events of a job after a cursor, oldest first.
 *
 * @param events the events
 * @param cursor the cursor to pass next time (the last event's id), or {@code null} when none came
 */
public record EventPage(List<JobEvent> events, String cursor) {

    /** Copies the list. */
    public EventPage {
        events = List.copyOf(events);
    }

    /** The cursor for the next call. */
    public Optional<String> next() {
        return Optional.ofNullable(cursor);
    }
}
