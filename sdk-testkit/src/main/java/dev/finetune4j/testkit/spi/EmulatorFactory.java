package dev.finetune4j.testkit.spi;

import java.util.Optional;

/**
 * Starts the emulator of one provider; found with {@link java.util.ServiceLoader}. Implementations
 * are cheap to create (no server starts before {@link #start}) and thread-safe.
 */
public interface EmulatorFactory {

    /** The id of the provider this emulator stands in for, as its provider module names itself ({@code openai}). */
    String providerId();

    /** How people write the provider's name ({@code OpenAI}, {@code Hugging Face}). */
    String displayName();

    /**
     * Starts an emulator as {@code options} say: below {@link EmulatorOptions#prefix()} of their host,
     * or on its own loopback port.
     *
     * @throws IllegalStateException when its own port cannot be bound, or the host already serves that prefix
     */
    RunningEmulator start(EmulatorOptions options);

    /**
     * The text every fine-tuned model id made by an emulator started with this
     * {@link EmulatorOptions#accountName() account name} contains, when the provider's model ids
     * carry the account (OpenAI's {@code ft:BASE:ORGANIZATION:...}); empty when they do not, so
     * such ids cannot be told apart from the real provider's. Lets a tool refuse to call an
     * emulator's model on the real service, and the other way round.
     */
    default Optional<String> modelIdMark(String accountName) {
        return Optional.empty();
    }
}
