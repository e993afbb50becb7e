package dev.finetune4j.testkit.internal;

import dev.finetune4j.testkit.EmulatedJob;
import java.time.Instant;

/**
 * What every emulated job has: its id, creation time, scripted failure, and its place on the path
 * {@link JobBoard} moves it along — 0 created, 1 accepted (validated, queued), 2 started, 3
 * finished — with the training steps of the running stretch. Guarded by its emulation's lock.
 */
public abstract class JobRun {

    public final String id;
    public final Instant createdAt;
    /** The failure scripted with {@code failNextJob}, or null. */
    public final Failure scripted;
    /** The steps of the running stretch (set when it starts), and the last one reported. */
    public int totalSteps;
    public int stepsReported;
    double position;
    /** Timed progress counts from {@link #timedBase} reached at {@link #timedSince}. */
    double timedBase;
    Instant timedSince;

    protected JobRun(String id, Instant createdAt, Failure scripted) {
        this.id = id;
        this.createdAt = createdAt;
        this.scripted = scripted;
        this.timedSince = createdAt;
    }

    /** Whether it has ended (succeeded, failed, cancelled) and never moves again. */
    public abstract boolean terminal();

    /** Whether it waits for the client (paused, waiting for its start) and does not move on its own. */
    public boolean held() {
        return false;
    }

    public abstract EmulatedJob snapshot();

    /** Starts it accepted (a provider whose jobs need no validation). */
    protected final void acceptedOnCreation() {
        position = 1;
        timedBase = 1;
    }
}
