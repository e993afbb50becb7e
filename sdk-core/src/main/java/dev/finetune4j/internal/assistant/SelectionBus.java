package dev.finetune4j.internal.assistant;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells subscribers (the chat routers of one {@code FineTuning}) that an assistant's selection was
 * just changed through this JVM, so a switch takes effect on the very next call. Thread-safe.
 */
public final class SelectionBus {

    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();

    /** Adds a subscriber that receives assistant names. */
    public void subscribe(Consumer<String> subscriber) {
        subscribers.add(subscriber);
    }

    /** Tells every subscriber that {@code assistant}'s selection changed. */
    public void publish(String assistant) {
        for (Consumer<String> s : subscribers) {
            s.accept(assistant);
        }
    }
}
