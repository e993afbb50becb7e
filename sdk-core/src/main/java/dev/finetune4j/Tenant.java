package dev.finetune4j;

import dev.finetune4j.internal.Names;

/**
 * The isolation boundary: every stored thing belongs to exactly one tenant and nothing crosses
 * tenants. Single-tenant applications use {@link #DEFAULT}.
 *
 * @param id 1–64 characters from {@code [A-Za-z0-9._-]}, not starting with a dot
 */
public record Tenant(String id) {

    /** The tenant of single-tenant applications. */
    public static final Tenant DEFAULT = new Tenant("default");

    /**
     * Validates the id.
     *
     * @throws IllegalArgumentException if the id is empty, too long or has other characters
     */
    public Tenant {
        Names.requireValid(id, "tenant id");
    }

    /** Shorthand for {@code new Tenant(id)}. */
    public static Tenant of(String id) {
        return new Tenant(id);
    }
}
