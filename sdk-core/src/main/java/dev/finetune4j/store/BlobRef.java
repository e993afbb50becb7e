package dev.finetune4j.store;

import java.util.Objects;

/**
 * A stored blob: its content address and size.
 *
 * @param id the lowercase hex SHA-256 of the content (64 characters)
 * @param size the content's length in bytes
 */
public record BlobRef(String id, long size) {

    /** Checks that the id is a SHA-256 hex string. */
    public BlobRef {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("blob id must be 64 lowercase hex characters, was '" + id + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
    }
}
