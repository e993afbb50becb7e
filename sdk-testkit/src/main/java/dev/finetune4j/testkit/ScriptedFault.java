package dev.finetune4j.testkit;

/**
 * What an emulator did to one request on a script's behalf, as {@link RecordedRequest#fault()}
 * reports it: one of the faults a {@link FaultScript} adds, or {@link #NONE}.
 */
public enum ScriptedFault {
    /** No scripted fault: the request was answered as the emulated API answers it. */
    NONE,
    /** A 429 with {@code Retry-After}; the request was not processed. */
    RATE_LIMIT,
    /** A 500; the request was not processed. */
    SERVER_ERROR,
    /** The connection was reset before anything was processed. */
    DROP_CONNECTION,
    /** The request was processed, then the connection was reset instead of the response. */
    LOSE_RESPONSE,
    /** The request was answered normally, after a delay. */
    SLOW,
    /**
     * The request was processed and its event stream sent in part: the first events, then the
     * end of the body, without the events that finish it.
     */
    CUT_STREAM
}
