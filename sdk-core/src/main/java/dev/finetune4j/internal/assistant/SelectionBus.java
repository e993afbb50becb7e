package dev.finetune4j.internal.assistant;

import dev.finetune4j.internal.WeakRegistry;
import java.util.function.Consumer;

/**
 * Tells subscribers (the chat routers of one {@code FineTuning}) that an assistant's selection was
 * just changed through this JVM, so a switch takes effect on the very next call. Thread-safe.
 *
 * <p>Subscribers are held weakly: a subscriber keeps its listener reachable for as long as it wants
 * to hear (a router holds it in a field), removes its subscription when it closes, and one that is
 * garbage-collected without closing drops out by itself. So routers created and closed (or simply
 * dropped) in a loop never make the bus grow.
 */
public final class SelectionBus {

    private final WeakRegistry<Consumer<String>> subscribers = new WeakRegistry<>();

    /**
     * Adds a subscriber that receives assistant names. The bus holds it weakly: the caller must keep
     * {@code subscriber} reachable (a field of the object that listens), not pass a fresh lambda only.
     *
     * @return the subscription; {@link WeakRegistry.Entry#remove()} unsubscribes
     */
    public WeakRegistry.Entry<Consumer<String>> subscribe(Consumer<String> subscriber) {
        return subscribers.add(subscriber);
    }

    /** Tells every subscriber that {@code assistant}'s selection changed. */
    public void publish(String assistant) {
        for (Consumer<String> s : subscribers.members()) {
            s.accept(assistant);
        }
    }

    /** How many subscribers are still listening (for tests that check nothing is left behind). */
    public int subscriberCount() {
        return subscribers.size();
    }
}
