package dev.finetune4j.migration;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A migration's state as last stored: the assistant, the source version, the target provider and
 * base model, the stage, and what each finished stage produced (baseline, job, new version, gate
 * verdict). Immutable snapshot; read it again with {@link Migrations#get}.
 *
 * @param id the migration's id ({@code mig-...}), derived from assistant, source, target provider and model
 * @param assistant the assistant
 * @param sourceVersion the model version being replaced
 * @param provider the target provider
 * @param baseModel the target base model
 * @param stage the current stage
 * @param baselineId the recorded baseline, empty before it is stored
 * @param jobId the training job, empty before it is submitted
 * @param targetVersion the new model version (0 before training succeeded)
 * @param verdict the gate's reason with the figures, empty before the gate ran
 * @param steps every recorded step, oldest first
 * @param createdAt when the migration was first stored
 * @param updatedAt when it was last stored
 */
public record Migration(String id, String assistant, int sourceVersion, String provider, String baseModel,
        MigrationStage stage, String baselineId, String jobId, int targetVersion, String verdict,
        List<MigrationStep> steps, Instant createdAt, Instant updatedAt) {

    /** Checks the parts and copies the list. */
    public Migration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(assistant, "assistant");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(baselineId, "baselineId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(verdict, "verdict");
        steps = List.copyOf(steps);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The baseline's id, once recorded. */
    public Optional<String> baseline() {
        return baselineId.isEmpty() ? Optional.empty() : Optional.of(baselineId);
    }

    /** The training job's id, once submitted. */
    public Optional<String> job() {
        return jobId.isEmpty() ? Optional.empty() : Optional.of(jobId);
    }

    /** The new model version, once training succeeded. */
    public OptionalInt newVersion() {
        return targetVersion == 0 ? OptionalInt.empty() : OptionalInt.of(targetVersion);
    }
}
