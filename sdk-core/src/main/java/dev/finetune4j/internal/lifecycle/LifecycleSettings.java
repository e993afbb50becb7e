package dev.finetune4j.internal.lifecycle;

import dev.finetune4j.lifecycle.LifecycleListener;
import dev.finetune4j.lifecycle.LifecycleTable;
import java.util.Objects;

/**
 * How a {@code FineTuning} treats lifecycle facts: the table, who hears the router's warnings, and
 * how many days before a shutdown warnings start.
 */
public record LifecycleSettings(LifecycleTable table, LifecycleListener listener, int warningDays) {

    /** The default warning window, in days before a shutdown. */
    public static final int DEFAULT_WARNING_DAYS = 30;

    /** Checks the values. */
    public LifecycleSettings {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(listener, "listener");
        if (warningDays < 0) {
            throw new IllegalArgumentException("warningDays must be >= 0, was " + warningDays);
        }
    }
}
