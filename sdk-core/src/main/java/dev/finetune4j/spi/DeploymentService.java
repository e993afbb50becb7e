package dev.finetune4j.spi;

import dev.finetune4j.deployment.ServingAddress;
import java.util.List;
import java.util.Optional;

/**
 * Deployments at one provider: what makes a trained model callable where the provider needs it (an
 * endpoint, a deployment). A provider that deploys returns one from {@link Provider#deployments()}
 * and declares {@link Capability#DEPLOY}. Implementations are thread-safe.
 *
 * <p>Every method may throw a {@link dev.finetune4j.ProviderException} or a {@link
 * dev.finetune4j.TransportException}; calls are already retried by the HTTP layer where that is
 * safe. The core records a deployment before it calls {@link #deploy} and after every answer; it
 * never calls {@link #deploy} twice for one tag without first asking {@link #findByTag}.
 */
public interface DeploymentService {

    /**
     * Checks a request before anything is recorded or sent (unknown hardware, a region the provider
     * does not have). The default accepts everything.
     *
     * @throws IllegalArgumentException naming what the provider cannot take and what it can
     */
    default void checkRequest(DeploymentRequest request) {
        // accepts everything
    }

    /**
     * Creates the deployment, tagged with {@code request.tag()}. Costs money: never retried blindly;
     * when the answer is lost, the core looks the deployment up by its tag.
     *
     * @throws IllegalArgumentException for a request the provider cannot take, before anything is sent
     */
    RemoteDeployment deploy(DeploymentRequest request);

    /**
     * The deployment as it is now; one that no longer exists is returned as {@link
     * dev.finetune4j.deployment.DeploymentState#DELETED}, not thrown.
     */
    RemoteDeployment get(String remoteId);

    /** The deployment the core created with this tag, if it exists (crash reconciliation). */
    Optional<RemoteDeployment> findByTag(String tag);

    /** The deployments this library created at the provider (tagged), as they are now. */
    List<RemoteDeployment> list();

    /**
     * Checks, once, that a deployment the provider reports ready really serves the model, before
     * the core routes chat to it (an endpoint that answers with its base model for an adapter it
     * did not load must be caught). The default trusts the provider.
     *
     * @param deployment the deployment, as {@link #get} returned it ready
     * @param request what was deployed
     * @throws dev.finetune4j.FineTuneException saying what is served instead; the core keeps the
     *     deployment initializing, with this message as its error, and checks again on its next refresh
     */
    default void verifyServing(RemoteDeployment deployment, DeploymentRequest request) {
        // trusts the provider
    }

    /** Changes the replicas of a deployment ({@code min} 0 lets it scale to zero). */
    RemoteDeployment scale(String remoteId, int minReplicas, int maxReplicas);

    /**
     * Pauses a deployment ({@link Capability#PAUSE_DEPLOYMENT}).
     *
     * @throws UnsupportedOperationException when the provider cannot
     */
    default RemoteDeployment pause(String remoteId) {
        throw new UnsupportedOperationException("this provider cannot pause deployments");
    }

    /**
     * Resumes a paused deployment ({@link Capability#PAUSE_DEPLOYMENT}); one already running is
     * returned as it is.
     *
     * @throws UnsupportedOperationException when the provider cannot
     */
    default RemoteDeployment resume(String remoteId) {
        throw new UnsupportedOperationException("this provider cannot resume deployments");
    }

    /**
     * Scales a deployment to zero now ({@link Capability#PAUSE_DEPLOYMENT}).
     *
     * @throws UnsupportedOperationException when the provider cannot
     */
    default RemoteDeployment scaleToZero(String remoteId) {
        throw new UnsupportedOperationException("this provider cannot scale deployments to zero on demand");
    }

    /** Deletes a deployment; one already gone counts as deleted. Safe to repeat. */
    void undeploy(String remoteId);

    /**
     * Where a trained model is served without a deployment of the core's, when the provider is
     * configured with one (Hugging Face: a hand-configured {@code HF_SERVING_URL}). Such a standing
     * address satisfies a provider whose descriptor says trained models need a deployment. The
     * default: none.
     */
    default Optional<ServingAddress> standingAddress(String providerModelId) {
        return Optional.empty();
    }
}
