package dev.finetune4j.migration;

import dev.finetune4j.FineTuneException;
import java.util.Objects;

/**
 * A migration reached its deploy stage on a provider whose trained models need a deployment before
 * they answer (its descriptor says so), and this library does not create deployments yet. The
 * migration stays stored at {@link MigrationStage#DEPLOY}: deploy the model by hand, or run again
 * once deployments are supported; nothing was lost.
 */
public class DeploymentRequiredException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    private final String provider;
    private final String providerModelId;

    /** Creates the exception for a trained model at a provider. */
    public DeploymentRequiredException(String migration, String provider, String providerModelId) {
        super("migration " + migration + ": " + provider + " needs a deployment before " + providerModelId
                + " answers, and deployments are not supported yet; the migration is stored at its deploy stage "
                + "and resumes there");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.providerModelId = Objects.requireNonNull(providerModelId, "providerModelId");
    }

    /** The target provider. */
    public String provider() {
        return provider;
    }

    /** The trained model that needs a deployment. */
    public String providerModelId() {
        return providerModelId;
    }
}
