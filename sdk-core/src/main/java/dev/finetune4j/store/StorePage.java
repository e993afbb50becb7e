package dev.finetune4j.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a collection listing, ordered by id.
 *
 * @param keys the keys on this page
 * @param nextCursor the cursor to pass as {@code after} for the next page; {@code null} on the last page
 */
public record StorePage(List<StoreKey> keys, String nextCursor) {

    /** Copies the list. */
    public StorePage {
        keys = List.copyOf(keys);
    }

    /** The cursor of the next page, absent on the last page. */
    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}
