package dev.finetune4j;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider refused the call because a rate limit or quota was reached: HTTP 429. Carries the
 * wait the provider asked for, when it named one. A 429 for an exhausted quota (no wait named)
 * will not go away by waiting.
 */
public class RateLimitedException extends ProviderException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * Creates the exception; the parameters are those of the {@link ProviderException}
     * constructor plus the requested wait.
     *
     * @param retryAfter the wait the provider asked for ({@code retry-after-ms}, {@code Retry-After}
     *     or the {@code ratelimit} reset); may be null
     */
    public RateLimitedException(String message, String provider, int statusCode, String errorCode, String requestId,
            String rawBody, boolean retryable, Duration retryAfter) {
        super(message, provider, statusCode, errorCode, requestId, rawBody, retryable);
        this.retryAfter = retryAfter;
    }

    /** The wait the provider asked for before the next call, if it named one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
