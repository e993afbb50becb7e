package dev.finetune4j.spi;

import dev.finetune4j.deployment.DeploymentSpec;
import java.util.Objects;

/**
 * What the core asks a provider to deploy.
 *
 * @param tag our deployment id ({@code ftd-} and 12 lower-case letters and digits); the provider
 *     attaches it where the API allows (a tag, a label, or the deployment's name itself) so that
 *     {@link DeploymentService#findByTag} finds it after a crash
 * @param assistant the assistant the model version belongs to
 * @param modelVersion the model version's number
 * @param providerModelId the provider's id of the trained model (an adapter repository, a
 *     fine-tuned model id)
 * @param baseModel the base model it was trained from (what serves an adapter)
 * @param spec hardware, region, replicas, scale-to-zero and options
 */
public record DeploymentRequest(String tag, String assistant, int modelVersion, String providerModelId,
        String baseModel, DeploymentSpec spec) {

    /** Checks the parts. */
    public DeploymentRequest {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(assistant, "assistant");
        Objects.requireNonNull(providerModelId, "providerModelId");
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(spec, "spec");
    }
}
