package dev.finetune4j.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One immutable revision of a record.
 *
 * @param key the record
 * @param number 1 for the first revision, then 2, 3, ... without gaps
 * @param createdAt when the store accepted the write
 * @param value the record's content at this revision (a JSON document)
 */
public record Revision(StoreKey key, long number, Instant createdAt, String value) {

    /** Checks the parts. */
    public Revision {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(value, "value");
        if (number < 1) {
            throw new IllegalArgumentException("revision number must be >= 1, was " + number);
        }
    }
}
