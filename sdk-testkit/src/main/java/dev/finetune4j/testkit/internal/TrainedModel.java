package dev.finetune4j.testkit.internal;

/**
 * A model a job produced (or a checkpoint of it): what chat accepts besides the base models, and
 * the examples it answers from. Guarded by its emulation's lock.
 */
public class TrainedModel {

    public final String id;
    public final String base;
    public final String jobId;
    /** Unix seconds. */
    public final long createdAt;
    public final TrainingSet examples;

    public TrainedModel(String id, String base, String jobId, long createdAt, TrainingSet examples) {
        this.id = id;
        this.base = base;
        this.jobId = jobId;
        this.createdAt = createdAt;
        this.examples = examples;
    }
}
