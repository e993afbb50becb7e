package dev.finetune4j;

/**
 * A deployment's create request may have reached the provider, but whether the deployment exists
 * there could not be learned: the answer was lost and looking it up by its tag failed too. Nothing
 * more is sent for it; its record stays unfinished, and {@code Deployments.resume()} — or the same
 * deploy again — looks for it by its tag and adopts it, creating it only if it is not there. Never
 * a second paid deployment.
 */
public class DeploymentMayExistException extends TransportException {

    private static final long serialVersionUID = 1L;

    private final String deploymentId;

    /**
     * Creates the exception.
     *
     * @param deploymentId our deployment id, which is also the tag the provider keeps
     * @param provider the provider id
     * @param reason why the outcome is unknown; no secrets
     * @param cause the failure of the look-up
     */
    public DeploymentMayExistException(String deploymentId, String provider, String reason, Throwable cause) {
        super("deployment " + deploymentId + " may exist at " + provider + ": " + strip(reason) + ". Its record stays "
                + "unfinished; Deployments.resume() (finetune4j deployments resume), or the same deploy again, looks "
                + "for it by its tag " + deploymentId + " and adopts it, creating it only if it is not there", cause,
                provider, true);
        this.deploymentId = deploymentId;
    }

    private static String strip(String reason) {
        String r = reason.strip();
        return r.endsWith(".") ? r.substring(0, r.length() - 1) : r;
    }

    /** Our deployment id, which is also the tag the provider keeps. */
    public String deploymentId() {
        return deploymentId;
    }
}
