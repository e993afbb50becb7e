package dev.finetune4j.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What every emulated job has: its id, creation time, scripted failure, and its place on the path
 * {@link JobBoard} moves it along — 0 created, 1 accepted (validated, queued), 2 started, 3
 * finished — with the training steps of the running stretch. Guarded by its emulation's lock.
 */
public abstract class JobRun {

    /**
     * Something that happened to a job as its provider reports it: a message or metrics (OpenAI),
     * a status change (Mistral); {@code id}, {@code level} and {@code message} where the provider has them.
     */
    public record Event(String id, long createdAt, String type, String level, String message, ObjectNode data) {}

    /** A checkpoint: its id and model (where the provider serves checkpoints, else null), step and metrics. */
    public record Checkpoint(String id, long createdAt, String model, int step, ObjectNode metrics) {}

    public final String id;
    public final Instant createdAt;
    /** The failure scripted with {@code failNextJob}, or null. */
    public final Failure scripted;
    /** The steps of the running stretch (set when it starts), and the last one reported. */
    public int totalSteps;
    public int stepsReported;
    /** What it trains on, once read, and the loss curve those examples give. */
    public TrainingSet training;
    public LossCurve curve;
    /** The model it produced, once succeeded, and the tokens billed for it. */
    public String fineTunedModel;
    public Long trainedTokens;
    /** Oldest first. */
    public final List<Event> events = new ArrayList<>();
    public final List<Checkpoint> checkpoints = new ArrayList<>();
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

    /** Sets what it trains on, and so its loss curve. */
    public final void training(TrainingSet examples) {
        this.training = examples;
        this.curve = LossCurve.of(examples);
    }

    /** Starts it accepted (a provider whose jobs need no validation). */
    protected final void acceptedOnCreation() {
        position = 1;
        timedBase = 1;
    }
}
