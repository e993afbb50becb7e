package dev.finetune4j.internal;

import dev.finetune4j.http.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The wait of {@code awaitCompletion} and {@code awaitReady} on the caller's thread: poll, and while
 * nothing changes wait longer each time — from the first interval, growing by half, up to the
 * longest — until done or the deadline; an interrupt ends the wait with the flag set again. One
 * schedule for jobs and deployments, set by {@code FineTuning.Builder.pollInterval}.
 */
public final class Polling {

    private final Clock clock;
    private final Sleeper sleeper;
    private final Duration first;
    private final Duration max;

    /** The schedule of a context: its clock, sleeper and poll intervals. */
    public Polling(FineTuningContext context) {
        this(context.clock(), context.sleeper(), context.firstPoll(), context.maxPoll());
    }

    Polling(Clock clock, Sleeper sleeper, Duration first, Duration max) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.first = Objects.requireNonNull(first, "first");
        this.max = Objects.requireNonNull(max, "max");
    }

    /**
     * Polls until {@code done} or {@code timeout} has passed.
     *
     * @param poll reads the remote state once and returns what was seen (a change resets the wait)
     * @param done whether the state read last is final
     */
    public void until(Duration timeout, Supplier<String> poll, BooleanSupplier done) {
        Objects.requireNonNull(timeout, "timeout");
        Instant deadline = clock.instant().plus(timeout);
        Duration wait = first;
        String last = null;
        while (true) {
            String seen = poll.get();
            if (done.getAsBoolean()) {
                return;
            }
            if (last != null) {
                wait = seen.equals(last) ? min(max, Duration.ofMillis(wait.toMillis() * 3 / 2)) : first;
            }
            last = seen;
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return;
            }
            try {
                sleeper.sleep(min(wait, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
