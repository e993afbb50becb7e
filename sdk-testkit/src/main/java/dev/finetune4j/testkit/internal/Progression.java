package dev.finetune4j.testkit.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How emulated jobs move through their statuses: one status per status poll, one status per
 * {@code step} of emulator time, or only when a test says so.
 */
public record Progression(Mode mode, Duration step) {

    public enum Mode { ON_POLL, TIMED, MANUAL }

    public Progression {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(step, "step");
        if (mode == Mode.TIMED && (step.isNegative() || step.isZero())) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
    }

    /**
     * The next position for a poll-driven job: 0 validating, 1 queued, 2..3 running (2.5 = half
     * of the steps done), 3 finished.
     */
    public static double nextPollPosition(double position) {
        if (position < 1) {
            return 1;
        }
        if (position < 2) {
            return 2.5;
        }
        return 3;
    }
}
