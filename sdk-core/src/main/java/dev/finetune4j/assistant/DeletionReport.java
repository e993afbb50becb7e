package dev.finetune4j.assistant;

import java.util.Objects;

/**
 * What deleting a model version did, here and at the provider.
 *
 * @param version the version, now {@link ModelState#DELETED}
 * @param providerModelDeleted whether the provider's copy of the model was deleted
 * @param providerOutcome what happened at the provider, in words ("deleted", "kept: not asked",
 *     or the provider's error)
 */
public record DeletionReport(ModelVersion version, boolean providerModelDeleted, String providerOutcome) {

    /** Checks the parts. */
    public DeletionReport {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(providerOutcome, "providerOutcome");
    }
}
