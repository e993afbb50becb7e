package dev.finetune4j.testkit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The emulator's notion of now: a {@link Clock} plus an offset that tests move forward with
 * {@link #advance(Duration)}. Thread-safe.
 */
public final class EmulatorClock {

    private final Clock clock;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public EmulatorClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Instant now() {
        return clock.instant().plus(offset.get());
    }

    /** Unix seconds. */
    public long epochSecond() {
        return now().getEpochSecond();
    }

    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("cannot move the clock back: " + by);
        }
        offset.updateAndGet(d -> d.plus(by));
    }
}
