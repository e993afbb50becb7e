package dev.finetune4j;

/**
 * The root of every exception this library throws on purpose.
 *
 * <p>Unchecked. Subclasses name what went wrong; {@link #isRetryable()} tells a caller whether the
 * same call may succeed if repeated later. Messages never contain API keys or tokens.
 */
public class FineTuneException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public FineTuneException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the cause. */
    public FineTuneException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether repeating the same call later may succeed.
     *
     * @return {@code false} unless a subclass says otherwise
     */
    public boolean isRetryable() {
        return false;
    }
}
