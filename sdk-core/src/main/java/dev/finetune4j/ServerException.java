package dev.finetune4j;

/**
 * The provider failed on its side: HTTP 5xx. Usually retryable.
 */
public class ServerException extends ProviderException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the parameters are those of the {@link ProviderException}
     * constructor.
     */
    public ServerException(String message, String provider, int statusCode, String errorCode, String requestId,
            String rawBody, boolean retryable) {
        super(message, provider, statusCode, errorCode, requestId, rawBody, retryable);
    }
}
