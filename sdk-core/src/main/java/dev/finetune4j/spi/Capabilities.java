package dev.finetune4j.spi;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a provider can do: a set of {@link Capability} values. Immutable and thread-safe; a new
 * capability is a new enum value, so this type never changes shape when providers gain one.
 */
public final class Capabilities {

    private static final Capabilities NONE = new Capabilities(EnumSet.noneOf(Capability.class));

    private final Set<Capability> values;

    private Capabilities(EnumSet<Capability> values) {
        this.values = Collections.unmodifiableSet(values);
    }

    /** No capability at all. */
    public static Capabilities none() {
        return NONE;
    }

    /** These capabilities (duplicates are ignored). */
    public static Capabilities of(Capability... capabilities) {
        return of(java.util.Arrays.asList(capabilities));
    }

    /** These capabilities (duplicates are ignored). */
    public static Capabilities of(Collection<Capability> capabilities) {
        Objects.requireNonNull(capabilities, "capabilities");
        EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
        for (Capability c : capabilities) {
            set.add(Objects.requireNonNull(c, "capability"));
        }
        return new Capabilities(set);
    }

    /** Whether the provider has this capability. */
    public boolean has(Capability capability) {
        return values.contains(Objects.requireNonNull(capability, "capability"));
    }

    /** These capabilities and {@code more}. */
    public Capabilities with(Capability... more) {
        EnumSet<Capability> set = values.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(values);
        for (Capability c : more) {
            set.add(Objects.requireNonNull(c, "capability"));
        }
        return new Capabilities(set);
    }

    /** These capabilities without {@code fewer}. */
    public Capabilities without(Capability... fewer) {
        EnumSet<Capability> set = values.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(values);
        for (Capability c : fewer) {
            set.remove(Objects.requireNonNull(c, "capability"));
        }
        return new Capabilities(set);
    }

    /** The capabilities, in declaration order; unmodifiable. */
    public Set<Capability> values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Capabilities other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** E.g. {@code [TRAINING, CHAT, CANCEL]}. */
    @Override
    public String toString() {
        return values.stream().map(Enum::name).collect(Collectors.joining(", ", "[", "]"));
    }
}
