package dev.finetune4j.store;

import dev.finetune4j.Tenant;
import dev.finetune4j.internal.Names;
import java.util.Objects;

/**
 * The address of a record: a tenant, a collection and an id within it.
 *
 * @param tenant the owner; nothing is ever read or written across tenants
 * @param collection a name from {@code [A-Za-z0-9._-]}, 1–64 characters, e.g. {@code datasets}
 * @param id one to four names of that alphabet joined by {@code /}, e.g. {@code avatar-42/main};
 *     at most 200 characters, so an id can never traverse out of its collection
 */
public record StoreKey(Tenant tenant, String collection, String id) {

    /** The longest id accepted. */
    public static final int MAX_ID_LENGTH = 200;

    /**
     * Validates every part.
     *
     * @throws IllegalArgumentException naming the part and the rule
     */
    public StoreKey {
        Objects.requireNonNull(tenant, "tenant");
        Names.requireValid(collection, "collection");
        Objects.requireNonNull(id, "id");
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("id '" + Names.printable(id) + "' is longer than "
                    + MAX_ID_LENGTH + " characters");
        }
        String[] parts = id.split("/", -1);
        if (parts.length > 4) {
            throw new IllegalArgumentException("id '" + Names.printable(id) + "' has more than 4 parts");
        }
        for (String part : parts) {
            Names.requireValid(part, "id part");
        }
    }

    @Override
    public String toString() {
        return tenant.id() + ":" + collection + "/" + id;
    }
}
