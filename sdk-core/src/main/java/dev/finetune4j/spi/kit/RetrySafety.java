package dev.finetune4j.spi.kit;

/**
 * Whether a call may be sent again after a failure that leaves unclear whether the server acted on
 * it.
 */
public enum RetrySafety {

    /**
     * Sending the call twice does no harm: reads, deletes, puts, chat completions, and creates the
     * caller can detect afterwards. Retried on connection errors, timeouts, 408, 409, 429 and 5xx.
     */
    SAFE,

    /**
     * The call creates something and a second copy would be wrong (a fine-tune job: it would be
     * trained and billed twice). Retried only when the server certainly did not act on it: the
     * connection could not be opened, or the answer was 429. Any other failure reaches the caller,
     * who must check whether the first attempt took effect (the job service reconciles by listing
     * the provider's jobs) before trying again.
     */
    UNSAFE
}
