package dev.finetune4j.migration;

/**
 * Told of each migration stage right after it is stored and before its remote work starts; for
 * progress output. An exception thrown here stops the run like a crash would: the stored stage is
 * where the next run resumes.
 */
@FunctionalInterface
public interface MigrationListener {

    /** A stage was stored. */
    void onStage(Migration migration);
}
