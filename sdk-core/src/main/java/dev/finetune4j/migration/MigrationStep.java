package dev.finetune4j.migration;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded step of a migration.
 *
 * @param stage the stage entered (or ended in)
 * @param at when it was recorded
 * @param note what happened, with figures where there are some
 */
public record MigrationStep(MigrationStage stage, Instant at, String note) {

    /** Checks the parts. */
    public MigrationStep {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(note, "note");
    }
}
