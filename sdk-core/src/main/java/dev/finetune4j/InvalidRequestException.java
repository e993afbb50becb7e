package dev.finetune4j;

/**
 * The provider rejected the request as malformed or unacceptable: HTTP 400, 413 (too large) or 422 (a field failed validation). Repeating it unchanged will not help.
 */
public class InvalidRequestException extends ProviderException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the parameters are those of the {@link ProviderException}
     * constructor.
     */
    public InvalidRequestException(String message, String provider, int statusCode, String errorCode, String requestId,
            String rawBody, boolean retryable) {
        super(message, provider, statusCode, errorCode, requestId, rawBody, retryable);
    }
}
