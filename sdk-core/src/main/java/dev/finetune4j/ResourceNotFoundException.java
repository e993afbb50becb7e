package dev.finetune4j;

/**
 * The provider has no such resource: HTTP 404. A fine-tuned model that was deleted on the provider side shows up as this, which is how the chat router notices it.
 */
public class ResourceNotFoundException extends ProviderException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the parameters are those of the {@link ProviderException}
     * constructor.
     */
    public ResourceNotFoundException(String message, String provider, int statusCode, String errorCode, String requestId,
            String rawBody, boolean retryable) {
        super(message, provider, statusCode, errorCode, requestId, rawBody, retryable);
    }
}
