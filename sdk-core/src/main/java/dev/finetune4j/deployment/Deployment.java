package dev.finetune4j.deployment;

import dev.finetune4j.cost.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One deployment of a model version, tracked in the store from before the provider is asked for it
 * until it is deleted. A handle: its getters return the state last read ({@link #refresh()} asks
 * the provider again) and it can be re-attached after a restart with {@code
 * deployments().deployment(id)}.
 *
 * <p>What it costs comes from the states the records keep: each change the library observed
 * (a deploy, a refresh, the tracker) starts an interval; the intervals in states the provider bills
 * (Hugging Face: initializing and running) make {@link #billedTime()}, and priced at {@link
 * #pricePerHour()} per billed replica they make {@link #spend()}. Changes between two observations
 * count from the later one, so the figures are as exact as the tracker's polling.
 *
 * <p>Thread-safe.
 */
public interface Deployment {

    /** Our id, e.g. {@code ftd-2k9x7q4m1c8z}; also the tag (or name) the provider keeps. */
    String id();

    /** The assistant whose model version is deployed. */
    String assistant();

    /** The model version's number. */
    int modelVersion();

    /** The provider id. */
    String provider();

    /** The provider's model id of the version (an adapter repository, a fine-tuned model id). */
    String providerModelId();

    /** How it was asked for. */
    DeploymentSpec spec();

    /** The provider's id of the deployment (an endpoint name), once it exists there. */
    Optional<String> remoteId();

    /** The normalised state. */
    DeploymentState state();

    /** The provider's own state string ({@code "recorded"} before the provider was asked). */
    String rawState();

    /** Where it serves, once the provider said. */
    Optional<ServingAddress> address();

    /** The provider's price per hour of one replica, when it publishes one. */
    Optional<Money> pricePerHour();

    /** Why it failed or is not serving yet, when the provider or the serving check said. */
    Optional<String> error();

    /** When it was recorded. */
    Instant createdAt();

    /** When it was first confirmed to serve. */
    Optional<Instant> readyAt();

    /** When it was found deleted (by us or behind our back). */
    Optional<Instant> deletedAt();

    /** When its record last changed. */
    Instant updatedAt();

    /** How long it has been in billed states so far, summed over billed replicas (replica-time). */
    Duration billedTime();

    /** What it has cost so far: {@link #billedTime()} at {@link #pricePerHour()}, rounded to millionths; empty without a price. */
    Optional<Money> spend();

    /** What it costs per hour now: its price times the replicas billed in its current state (zero when not billed). */
    Optional<Money> costPerHourNow();

    /**
     * Whether {@link Deployments#deploy} returned this existing deployment instead of creating one
     * (one of the same intent was pending, ready, scaled to zero or paused); false on handles
     * obtained any other way.
     */
    boolean reused();

    /** Asks the provider for its state, records any change (and the time it happened), returns this handle. */
    Deployment refresh();

    /**
     * Refreshes until it is {@link DeploymentState#READY}, terminal, or {@code timeout} has passed,
     * waiting between polls on the caller's thread (no thread is left behind).
     *
     * @return this handle; check {@link #state()}
     */
    Deployment awaitReady(Duration timeout);

    /**
     * Changes its replicas.
     *
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code max >= 1}
     * @throws IllegalStateException when it does not exist at the provider, or is failed or deleted
     */
    Deployment scale(int minReplicas, int maxReplicas);

    /**
     * Pauses it: it serves nothing and is not billed until {@link #resume()}.
     *
     * @throws dev.finetune4j.UnsupportedCapabilityException when the provider cannot pause
     *     ({@link dev.finetune4j.spi.Capability#PAUSE_DEPLOYMENT})
     */
    Deployment pause();

    /**
     * Resumes a paused deployment.
     *
     * @throws dev.finetune4j.UnsupportedCapabilityException when the provider cannot pause
     */
    Deployment resume();

    /**
     * Scales it to zero now, without waiting for its idle time; the next chat call wakes it.
     *
     * @throws dev.finetune4j.UnsupportedCapabilityException when the provider cannot
     *     ({@link dev.finetune4j.spi.Capability#PAUSE_DEPLOYMENT} covers it)
     */
    Deployment scaleToZero();
}
