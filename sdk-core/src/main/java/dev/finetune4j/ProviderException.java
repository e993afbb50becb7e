package dev.finetune4j;

import java.util.Optional;

/**
 * A provider answered a call with an error: the HTTP status, the provider's error code, its
 * request id and the raw error body are all kept.
 *
 * <p>The message reads {@code "openai returned 429 rate_limit_exceeded for POST
 * /v1/fine_tuning/jobs (request req_123): Rate limit reached ..."}: the provider, the status, the
 * provider's error code, the method and path (never the query string, never a header), the request
 * id, and the provider's own message. The subclasses name the common cases; any other status (408,
 * 409, an unexpected redirect, a body that is not JSON, an error sent inside a stream) is a plain
 * {@code ProviderException}. A 404 is not a {@code ProviderException} but a {@link NotFoundException}
 * carrying the same details in its {@link NotFoundException#providerError()}.
 *
 * <p>The raw body is bounded to {@value #MAX_RAW_BODY} characters, and the API key of the call is
 * replaced by {@code ****} wherever the provider echoed it.
 */
public class ProviderException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    /** The most characters of an error body an exception keeps. */
    public static final int MAX_RAW_BODY = 64 * 1024;

    private final ProviderError error;
    private final boolean retryable;

    /**
     * Creates the exception.
     *
     * @param message the whole message; must not contain secrets
     * @param provider the provider id, such as {@code openai}
     * @param statusCode the HTTP status of the response (200 for an error sent inside a stream)
     * @param errorCode the provider's error code (or its error type when it gives no code); may be
     *     null
     * @param requestId the provider's request id; may be null
     * @param rawBody the error body as received (may be empty), cut to {@value #MAX_RAW_BODY}
     *     characters
     * @param retryable whether repeating the call later may succeed
     */
    public ProviderException(String message, String provider, int statusCode, String errorCode, String requestId,
            String rawBody, boolean retryable) {
        super(message);
        this.error = ProviderError.builder(provider, statusCode).errorCode(errorCode).requestId(requestId)
                .rawBody(rawBody).build();
        this.retryable = retryable;
    }

    /**
     * Whether a status is one the library retries: 408, 409, 429 and every 5xx.
     *
     * @param statusCode an HTTP status
     */
    public static boolean isRetryableStatus(int statusCode) {
        return statusCode == 408 || statusCode == 409 || statusCode == 429 || statusCode >= 500 && statusCode <= 599;
    }

    /** The provider id, such as {@code openai}, {@code mistral} or {@code huggingface}. */
    public String provider() {
        return error.provider();
    }

    /** The HTTP status of the response (200 for an error the provider sent inside a stream). */
    public int statusCode() {
        return error.statusCode();
    }

    /**
     * The provider's error code, such as {@code rate_limit_exceeded} or {@code RepoNotFound}; its
     * error type when it sends no code.
     */
    public Optional<String> errorCode() {
        return error.errorCode();
    }

    /** The provider's id of the request ({@code x-request-id}), to quote to its support. */
    public Optional<String> requestId() {
        return error.requestId();
    }

    /** The provider's answer as one value: provider, status, error code, request id, raw body. */
    public ProviderError providerError() {
        return error;
    }

    /** The error body as the provider sent it (API key redacted), at most {@value #MAX_RAW_BODY} chars. */
    public String rawBody() {
        return error.rawBody();
    }

    /**
     * Whether repeating the call later may succeed: true for 408, 409, 429 and 5xx, unless the
     * provider's {@code x-should-retry} header said otherwise.
     */
    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
