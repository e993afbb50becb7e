package dev.finetune4j;

import java.util.Objects;

/**
 * No usable answer came back from a provider: the connection was refused, reset or timed out
 * (after the retries the call allowed).
 *
 * <p>Always {@linkplain #isRetryable() retryable}. When {@link #mayHaveReachedServer()} is true the
 * provider may have acted on the request (say, created a fine-tune job) before the connection
 * failed: repeat such a call only after checking whether its first attempt took effect.
 */
public class TransportException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    private final String provider;
    private final boolean mayHaveReachedServer;

    /**
     * Creates the exception.
     *
     * @param message the whole message; must not contain secrets
     * @param cause the I/O failure of the last attempt
     * @param provider the provider id, such as {@code openai}
     * @param mayHaveReachedServer false only when the request certainly never reached the server
     */
    public TransportException(String message, Throwable cause, String provider, boolean mayHaveReachedServer) {
        super(message, cause);
        this.provider = Objects.requireNonNull(provider, "provider");
        this.mayHaveReachedServer = mayHaveReachedServer;
    }

    /** The provider id, such as {@code openai}. */
    public String provider() {
        return provider;
    }

    /**
     * Whether the provider may have received (and acted on) the request. False only when the
     * connection could not even be opened.
     */
    public boolean mayHaveReachedServer() {
        return mayHaveReachedServer;
    }

    /** A transport failure may pass: always true. */
    @Override
    public boolean isRetryable() {
        return true;
    }
}
