package dev.finetune4j.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A set that holds its members weakly: a member that nothing else references is garbage-collected
 * and leaves the set, so a member its owner forgot to remove costs one small entry until the next
 * collection, never memory for ever. Adding and removing are O(1), so a member added and removed
 * in a loop costs the same on the millionth round as on the first. Thread-safe.
 *
 * @param <T> the members' type
 */
public final class WeakRegistry<T> {

    private final Set<Entry<T>> entries = ConcurrentHashMap.newKeySet();
    private final ReferenceQueue<T> collected = new ReferenceQueue<>();

    /**
     * Adds a member, held weakly: the caller keeps it reachable for as long as it should stay.
     *
     * @return the entry that removes it again
     */
    public Entry<T> add(T member) {
        Objects.requireNonNull(member, "member");
        expunge();
        Entry<T> entry = new Entry<>(member, collected, entries);
        entries.add(entry);
        return entry;
    }

    /** The members still reachable, in no particular order; a snapshot. */
    public List<T> members() {
        expunge();
        List<T> live = new ArrayList<>(entries.size());
        for (Entry<T> e : entries) {
            T member = e.get();
            if (member == null) {
                entries.remove(e);
            } else {
                live.add(member);
            }
        }
        return live;
    }

    /** How many members are still reachable (collected ones are not counted, whether or not expunged yet). */
    public int size() {
        return members().size();
    }

    private void expunge() {
        for (Reference<? extends T> r = collected.poll(); r != null; r = collected.poll()) {
            entries.remove(r);
        }
    }

    /**
     * One member's place in the registry.
     *
     * @param <T> the member's type
     */
    public static final class Entry<T> extends WeakReference<T> {

        private final Set<Entry<T>> owner;

        private Entry(T member, ReferenceQueue<T> queue, Set<Entry<T>> owner) {
            super(member, queue);
            this.owner = owner;
        }

        /** Takes the member out of the registry; idempotent. */
        public void remove() {
            owner.remove(this);
            clear();
        }
    }
}
