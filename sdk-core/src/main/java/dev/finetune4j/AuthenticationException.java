package dev.finetune4j;

/**
 * The provider refused the credentials: HTTP 401 (missing or wrong key) or 403 (the key may not do this).
 */
public class AuthenticationException extends ProviderException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the parameters are those of the {@link ProviderException}
     * constructor.
     */
    public AuthenticationException(String message, String provider, int statusCode, String errorCode, String requestId,
            String rawBody, boolean retryable) {
        super(message, provider, statusCode, errorCode, requestId, rawBody, retryable);
    }
}
