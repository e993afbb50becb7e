package dev.finetune4j.deployment;

import dev.finetune4j.assistant.Change;
import java.util.List;
import java.util.Optional;

/**
 * Deploys model versions where their provider needs it, lists and reconciles the deployments, and
 * says what they cost. Obtain it from {@code FineTuning.deployments()}. Thread-safe.
 *
 * <p>Durable like jobs: a deployment is recorded in the store before the provider is asked for it
 * and after every answer. Its id is the tag (on Hugging Face the endpoint's name) the provider
 * keeps, so a deploy whose answer was lost, or a process killed between the request and its
 * record, is reconciled by looking the deployment up by its tag before anything is created again:
 * never a second paid deployment for one request.
 */
public interface Deployments {

    /**
     * Deploys a model version: records the deployment, asks the provider for it (tagged with our
     * id), records the answer, and writes a {@code DEPLOY} entry in the assistant's timeline.
     * Returns at once; {@link Deployment#awaitReady} waits until it serves.
     *
     * <p>Idempotent per intent (the model version and the spec, {@link DeploymentSpec#again()}
     * aside): while a deployment of the same intent is pending, initializing, ready, scaled to zero
     * or paused, it is returned instead, refreshed, with {@link Deployment#reused()} true. Calls
     * racing on one intent, in this process or in others sharing the store, create one deployment
     * between them. With {@code again}, a new one is created regardless.
     *
     * @throws dev.finetune4j.NotFoundException for an unknown assistant or version, or a provider
     *     that is not configured
     * @throws IllegalStateException when the version is not ready (training, failed, retired, deleted)
     * @throws dev.finetune4j.UnsupportedCapabilityException when the provider cannot deploy
     * @throws IllegalArgumentException when the provider refuses the spec before anything is sent
     *     (unknown hardware or region)
     * @throws dev.finetune4j.DeploymentMayExistException when the request may have reached the provider but
     *     neither its answer nor a look-up by tag says whether the deployment exists; the record
     *     stays unfinished and {@link #resume()} (or the same deploy again) adopts or creates it
     */
    Deployment deploy(String assistant, int modelVersion, DeploymentSpec spec, Change change);

    /**
     * A deployment by id.
     *
     * @throws dev.finetune4j.NotFoundException if there is none
     */
    Deployment deployment(String id);

    /** Every deployment of the tenant, oldest first, as last recorded. */
    List<Deployment> list();

    /** The deployments of an assistant, oldest first, as last recorded. */
    List<Deployment> list(String assistant);

    /** The deployments of one model version, oldest first, as last recorded. */
    List<Deployment> list(String assistant, int modelVersion);

    /** Every deployment that is not failed or deleted, or not yet created at its provider: what a tracker follows. */
    List<Deployment> active();

    /**
     * The deployment chat reaches for a model version: the newest one that is {@link
     * DeploymentState#routable()}, as last recorded.
     */
    Optional<Deployment> serving(String assistant, int modelVersion);

    /**
     * Deletes a deployment at its provider and records it deleted (a deployment already gone there
     * counts as deleted), with an {@code UNDEPLOY} entry in the assistant's timeline. The record is
     * marked before the provider is asked, so a process killed in between finishes it on {@link
     * #resume()}. Undeploying one that is already deleted changes nothing.
     *
     * @param force undeploy even while its model version is active or the candidate (chat then
     *     falls back to the base model)
     * @throws IllegalStateException when its model version is active or the candidate and {@code
     *     force} is false, naming what to do first
     */
    Deployment undeploy(String id, boolean force, Change change);

    /**
     * Reconciles every unfinished deployment after a restart: one recorded but not yet created is
     * looked up by its tag first and adopted, and created only when it is not there and nobody else
     * is creating it; an undeploy that was interrupted is finished; the others are refreshed.
     * Returns the deployments it touched.
     */
    List<Deployment> resume();

    /** What serving an assistant costs per hour now, from the deployments' last recorded states. */
    ServingCost costPerHour(String assistant);
}
