package dev.finetune4j.migration;

import java.util.List;

/**
 * Carries an assistant's live model version to another provider as one durable, resumable process:
 * record a baseline of the source -> train the same dataset version on the target (lineage
 * {@code migrated_from}) -> deploy where the target needs it -> evaluate against the expected answers
 * and the baseline -> non-inferiority gate -> promote (or start a canary) with the source as the
 * first fallback. Obtain it from {@code FineTuning.migrations()}. Thread-safe.
 *
 * <p>Each stage is stored before its remote work, so a process killed at any point resumes at the
 * stored stage when {@link #run} is called again with the same spec; the training job is submitted
 * by intent, so a rerun never creates a second job. Every stage is a timeline entry of the assistant.
 */
public interface Migrations {

    /**
     * What the migration would cost (target training, baseline recording, evaluation), before
     * anything is spent. Makes no remote call.
     *
     * @throws IllegalStateException when the source version has no training data on record
     */
    MigrationEstimate estimate(MigrationSpec spec);

    /**
     * Starts the migration or resumes the stored one of the same assistant, source, target provider
     * and model, and advances it as far as it goes: training is awaited for {@link MigrationSpec#await()}
     * (then the call returns at {@link MigrationStage#TRAIN}; call again to go on). Ends at
     * {@link MigrationStage#DONE}, {@link MigrationStage#REFUSED} (with the gate's figures) or
     * {@link MigrationStage#FAILED}; a finished migration is returned as stored.
     *
     * @throws dev.finetune4j.DeploymentRequiredException when the target needs a deployment and offers none this
     *     library can create (the migration stays stored at its deploy stage)
     * @throws IllegalStateException when there is no source version or it has no training data on record
     */
    Migration run(MigrationSpec spec);

    /**
     * A stored migration.
     *
     * @throws dev.finetune4j.NotFoundException when there is none with this id
     */
    Migration get(String assistant, String id);

    /** The assistant's migrations, oldest first. */
    List<Migration> list(String assistant);
}
