package dev.finetune4j.lifecycle;

import java.util.Objects;

/**
 * What a {@link LifecycleListener} hears when the chat router serves a model within the warning
 * window of its shutdown (at most once per model and day).
 *
 * @param assistant the assistant the call was for
 * @param version the model version that answered; 0 for the assistant's base model
 * @param lifecycle the model's lifecycle on the day of the call
 * @param event the shutdown (or deployment retirement) the warning is about
 * @param daysLeft days from the call's day to the event's date; 0 or negative once reached
 */
public record LifecycleWarning(String assistant, int version, ModelLifecycle lifecycle, LifecycleEvent event,
        long daysLeft) {

    /** Checks the values. */
    public LifecycleWarning {
        Objects.requireNonNull(assistant, "assistant");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(event, "event");
    }
}
