package dev.finetune4j.spi.kit;

import java.util.Objects;

/**
 * One server-sent event.
 *
 * @param event the event type ({@code message} when the stream names none)
 * @param data the data lines joined with {@code \n}
 * @param id the last event id seen on the stream ({@code ""} when none)
 */
public record SseEvent(String event, String data, String id) {

    /** Checks the parts. */
    public SseEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(id, "id");
    }
}
