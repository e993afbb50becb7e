package dev.finetune4j;

import java.util.Objects;

/**
 * A model version cannot be made active or the candidate because its provider serves trained
 * models only once they are deployed, and it has no ready deployment. The message says how to
 * deploy it. Nothing was changed. Not retryable as it is: deploy first.
 */
public class DeploymentRequiredException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    private final String assistant;
    private final int modelVersion;
    private final String provider;

    /**
     * Creates the exception.
     *
     * @param assistant the assistant
     * @param modelVersion the model version's number
     * @param provider the provider id
     * @param action what was refused, e.g. {@code "activate"}
     * @param detail what the deployments look like now, e.g. {@code "it has no deployment"}; no secrets
     */
    public DeploymentRequiredException(String assistant, int modelVersion, String provider, String action,
            String detail) {
        super("cannot " + Objects.requireNonNull(action, "action") + " model version " + modelVersion + " of '"
                + Objects.requireNonNull(assistant, "assistant") + "': provider " + Objects.requireNonNull(provider,
                "provider") + " serves a trained model only once it is deployed, and " + detail + ". Deploy it "
                + "first: `finetune4j deploy " + assistant + " " + modelVersion + " --wait` (or `finetune4j activate "
                + assistant + " " + modelVersion + " --deploy`), in Java ft.deployments().deploy(\"" + assistant
                + "\", " + modelVersion + ", DeploymentSpec.defaults(), change).awaitReady(timeout)");
        this.assistant = assistant;
        this.modelVersion = modelVersion;
        this.provider = provider;
    }

    /** The assistant. */
    public String assistant() {
        return assistant;
    }

    /** The model version's number. */
    public int modelVersion() {
        return modelVersion;
    }

    /** The provider id. */
    public String provider() {
        return provider;
    }
}
