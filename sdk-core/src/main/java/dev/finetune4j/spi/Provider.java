package dev.finetune4j.spi;

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
