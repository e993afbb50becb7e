package dev.finetune4j.internal.assistant;

import dev.finetune4j.assistant.ModelVersion;

/**
 * Asked before a model version is made active or the candidate: whether it can serve. A provider
 * whose trained models need a deployment makes this refuse a version without a ready one
 * ({@link dev.finetune4j.DeploymentRequiredException}).
 */
@FunctionalInterface
public interface ServingCheck {

    /** Accepts every version. */
    ServingCheck NONE = (version, action) -> { };

    /**
     * Throws when the version cannot serve.
     *
     * @param action what is being done, e.g. {@code "activate"}, for the message
     * @throws dev.finetune4j.DeploymentRequiredException when it needs a deployment it does not have
     */
    void require(ModelVersion version, String action);
}
