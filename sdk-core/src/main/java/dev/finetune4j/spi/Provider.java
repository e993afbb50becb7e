package dev.finetune4j.spi;

import dev.finetune4j.lifecycle.LifecycleEvent;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One provider as the core uses it: its {@link ProviderDescriptor} and the services it offers,
 * each present only when the provider has it. A provider that trains returns a {@link
 * TrainingService}; one that chats returns a {@link ChatService}; a chat-only endpoint or a
 * training-only service implements just its half. Created by a {@link ProviderFactory};
 * implementations are thread-safe.
 *
 * <p>The core refuses a call to a service the provider does not offer with {@link
 * dev.finetune4j.UnsupportedCapabilityException} naming the provider and the missing {@link
 * Capability}; {@link #training()} is present exactly when the descriptor declares {@link
 * Capability#TRAINING}, {@link #chat()} when it declares {@link Capability#CHAT}, {@link
 * #deployments()} when it declares {@link Capability#DEPLOY}.
 */
public interface Provider extends AutoCloseable {

    /** The provider id, e.g. {@code openai}: the descriptor's. */
    default String id() {
        return descriptor().id();
    }

    /** What the provider says about itself: the same as its factory's {@link ProviderFactory#descriptor()}. */
    ProviderDescriptor descriptor();

    /**
     * Fine-tuning at this provider, when it trains. The default: this provider, when it implements
     * {@link TrainingService} itself; none otherwise.
     */
    default Optional<TrainingService> training() {
        return this instanceof TrainingService t ? Optional.of(t) : Optional.empty();
    }

    /**
     * Chat completions at this provider, when it chats. The default: this provider, when it
     * implements {@link ChatService} itself; none otherwise.
     */
    default Optional<ChatService> chat() {
        return this instanceof ChatService c ? Optional.of(c) : Optional.empty();
    }

    /**
     * What the provider's API says about a model's end of life, e.g. a shutdown date on the model
     * object, as events with {@link dev.finetune4j.lifecycle.SourceQuality#PROVIDER_API} whose source is
     * the URL read. The default reports nothing (for providers whose API carries no such field).
     *
     * @param providerModelId the model id, fine-tuned or base
     * @param checkedOn today, stamped on the events as their check date
     * @return the events, empty when the provider reports none for the model
     * @throws dev.finetune4j.NotFoundException when the provider does not know the model
     * @throws dev.finetune4j.ProviderException when the call fails after retries
     */
    default List<LifecycleEvent> reportedLifecycle(String providerModelId, LocalDate checkedOn) {
        return List.of();
    }

    /**
     * Deployments at this provider, when it can deploy trained models ({@link Capability#DEPLOY}).
     * The default: this provider, when it implements {@link DeploymentService} itself; none
     * otherwise.
     */
    default Optional<DeploymentService> deployments() {
        return this instanceof DeploymentService d ? Optional.of(d) : Optional.empty();
    }

    /** Releases the provider's resources (not the HTTP client when the host app passed one in). */
    @Override
    void close();
}
