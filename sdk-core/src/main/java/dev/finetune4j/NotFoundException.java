package dev.finetune4j;

import java.util.Objects;
import java.util.Optional;

/**
 * Something the caller named does not exist: in this library's store (a dataset version, a record,
 * a blob) or at a provider (a model, a file, a job, a deployment). A provider's HTTP 404 is this
 * exception with {@link #providerError()} present: the provider, status, error code, request id
 * and raw body it answered. A fine-tuned model that was deleted on the provider side shows up as
 * this, which is how the chat router notices it.
 *
 * <p>Not a {@link ProviderException}: {@code catch (ProviderException e)} does not catch a 404;
 * catch {@code NotFoundException} (or {@link FineTuneException}) for it. Never retryable.
 */
public class NotFoundException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    private final ProviderError providerError;

    /**
     * Creates the exception for something missing from this library's store.
     *
     * @param message what is missing; must not contain secrets
     */
    public NotFoundException(String message) {
        super(message);
        this.providerError = null;
    }

    /**
     * Creates the exception for a provider's 404 (or a provider module's own finding that the
     * provider lacks something).
     *
     * @param message the whole message, in the {@link ProviderException} format; must not contain
     *     secrets
     * @param providerError what the provider answered
     */
    public NotFoundException(String message, ProviderError providerError) {
        super(message);
        this.providerError = Objects.requireNonNull(providerError, "providerError");
    }

    /** What the provider answered, when the provider is the one lacking the thing; empty for the store. */
    public Optional<ProviderError> providerError() {
        return Optional.ofNullable(providerError);
    }

    /** The provider's error code, when a provider answered with one: a shortcut through {@link #providerError()}. */
    public Optional<String> errorCode() {
        return providerError().flatMap(ProviderError::errorCode);
    }
}
