package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.Progression;
import java.time.Duration;
import java.util.Objects;

/**
 * How an emulator moves fine-tuning jobs through their statuses. Immutable.
 *
 * <ul>
 *   <li>{@link #onPoll()} (the default): each read of one job ({@code GET .../jobs/{id}}) moves it
 *       one status on — fast and deterministic: created {@code validating_files}, then
 *       {@code queued}, {@code running} (half of the training steps reported), {@code succeeded}.
 *   <li>{@link #timed(Duration)}: one status per period of the emulator's clock (move it with
 *       the emulator's {@code advanceTime}, or let real time pass).
 *   <li>{@link #manual()}: jobs move only when the test calls {@code advanceJob} or
 *       {@code finishJobs}.
 * </ul>
 */
public final class JobProgression {

    private final Progression progression;

    private JobProgression(Progression progression) {
        this.progression = progression;
    }

    /** Each read of a job moves it one status on. */
    public static JobProgression onPoll() {
        return new JobProgression(new Progression(Progression.Mode.ON_POLL, Duration.ZERO));
    }

    /**
     * One status per {@code perStatus} of emulator time.
     *
     * @throws IllegalArgumentException when {@code perStatus} is not positive
     */
    public static JobProgression timed(Duration perStatus) {
        Objects.requireNonNull(perStatus, "perStatus");
        return new JobProgression(new Progression(Progression.Mode.TIMED, perStatus));
    }

    /** Jobs move only when the test says so. */
    public static JobProgression manual() {
        return new JobProgression(new Progression(Progression.Mode.MANUAL, Duration.ZERO));
    }

    Progression internal() {
        return progression;
    }

    @Override
    public String toString() {
        switch (progression.mode()) {
            case TIMED:
                return "JobProgression.timed(" + progression.step() + ")";
            case MANUAL:
                return "JobProgression.manual()";
            default:
                return "JobProgression.onPoll()";
        }
    }
}
