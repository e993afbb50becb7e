package dev.finetune4j.migration;

/** Where a migration is; the stages run in declaration order up to one of the three ends. */
public enum MigrationStage {
    /** Recording the source version's answers on the evaluation set. */
    BASELINE,
    /** Training the same dataset version on the target (the job is submitted once, by intent). */
    TRAIN,
    /** Making the trained model callable where the target needs a deployment. */
    DEPLOY,
    /** Evaluating the new version against the expected answers and the baseline, and applying the gate. */
    EVALUATE,
    /** Switching traffic: promotion (or a canary) with the source version as the first fallback. */
    PROMOTE,
    /** Finished: the new version is live (or the canary runs) with the source as fallback. */
    DONE,
    /** Finished: the gate refused the new version; the selection is unchanged. */
    REFUSED,
    /** Finished: a stage failed for good (e.g. the training job failed); the selection is unchanged. */
    FAILED;

    /** Whether the migration has ended. */
    public boolean finished() {
        return this == DONE || this == REFUSED || this == FAILED;
    }
}
