package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.FaultPlan;
import java.time.Duration;
import java.util.Objects;

/**
 * Faults for the requests on one path of an emulator (that path and everything below it),
 * optionally of one HTTP method, obtained with the emulator's {@code on(path)} or
 * {@code on(method, path)}.
 *
 * <p>Each fault goes to exactly one request, and each request takes at most one fault: a request
 * takes the oldest fault not yet consumed whose method and path match it (faults scripted through
 * different scripts of one emulator share that order). {@code rateLimitNext(2, 3)} is two faults,
 * for two requests. A {@link #slowNext} delay is a fault of its own, not an addition to the next
 * one, so
 *
 * <pre>{@code
 * openai.on("/fine_tuning/jobs").slowNext(Duration.ofMillis(1)).loseResponseNext();
 * }</pre>
 *
 * <p>answers the first request on {@code /fine_tuning/jobs} late and loses the response of the
 * second (finetune4j's look-up of the job by its tag, then its create). To reach one request
 * whatever comes before it on the same path, name its method:
 * {@code openai.on("POST", "/fine_tuning/jobs").loseResponseNext()}. Which fault a request got is
 * in {@link RecordedRequest#fault()}. Thread-safe.
 */
public final class FaultScript {

    private final FaultPlan plan;
    private final String method;
    private final String path;

    FaultScript(FaultPlan plan, String method, String path) {
        this.plan = plan;
        this.method = method;
        this.path = path;
    }

    /** The next {@code times} matching requests get a 429 with {@code Retry-After: retryAfterSeconds}. */
    public FaultScript rateLimitNext(int times, int retryAfterSeconds) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative, was " + retryAfterSeconds);
        }
        plan.add(ScriptedFault.RATE_LIMIT, method, path, times, retryAfterSeconds, Duration.ZERO);
        return this;
    }

    /** The next {@code times} matching requests get a 500 and change nothing. */
    public FaultScript serverErrorNext(int times) {
        plan.add(ScriptedFault.SERVER_ERROR, method, path, times, 0, Duration.ZERO);
        return this;
    }

    /** The next matching request's connection is reset before anything is processed. */
    public FaultScript dropConnectionNext() {
        plan.add(ScriptedFault.DROP_CONNECTION, method, path, 1, 0, Duration.ZERO);
        return this;
    }

    /**
     * The next matching request is processed (a file is stored, a job is created), then its
     * connection is reset instead of the response: the case where a client must not create the
     * same thing twice.
     */
    public FaultScript loseResponseNext() {
        plan.add(ScriptedFault.LOSE_RESPONSE, method, path, 1, 0, Duration.ZERO);
        return this;
    }

    /**
     * The next matching request is answered normally, after {@code delay}; it takes no other
     * fault (a fault scripted after this one goes to a later request).
     */
    public FaultScript slowNext(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        plan.add(ScriptedFault.SLOW, method, path, 1, 0, delay);
        return this;
    }

    /**
     * The next matching request is processed and, when its answer is an event stream (a streamed
     * chat completion, a job's logs), only the stream's first {@code events} events are sent: the
     * body ends there, cleanly, without the events that finish it ({@code finish_reason}, {@code
     * data: [DONE]}), as when a connection is cut in the middle of an answer. A stream of no more
     * than {@code events} events, and an answer that is not a stream, go whole (the request still
     * takes the fault). A streamed chat answer's first event is its role, then one per word or
     * tool-call piece.
     *
     * @throws IllegalArgumentException when {@code events} is negative
     */
    public FaultScript cutStreamAfter(int events) {
        if (events < 0) {
            throw new IllegalArgumentException("events must not be negative, was " + events);
        }
        plan.add(ScriptedFault.CUT_STREAM, method, path, 1, events, Duration.ZERO);
        return this;
    }

    /**
     * Normalises an HTTP method: {@code "post"} means {@code POST}; {@code null} means any method.
     *
     * @throws IllegalArgumentException when it is blank or not a token of letters
     */
    static String normaliseMethod(String method) {
        if (method == null) {
            return null;
        }
        String m = method.strip().toUpperCase(java.util.Locale.ROOT);
        if (!m.matches("[A-Z]+")) {
            throw new IllegalArgumentException("method must be an HTTP method such as POST, was '" + method + "'");
        }
        return m;
    }

    /**
     * Normalises a path given relative to an emulator's base URL: {@code "/files"},
     * {@code "files"} and {@code "/v1/files"} all mean {@code /v1/files}; {@code null} or
     * {@code ""} mean every request.
     */
    static String normalise(String path) {
        String p = normaliseAsIs(path);
        return p == null || p.equals("/v1") || p.startsWith("/v1/") ? p : "/v1" + p;
    }

    /**
     * Normalises a path given relative to an emulator's root without adding {@code /v1}:
     * {@code "api/jobs/"} means {@code /api/jobs}; {@code null} or {@code ""} mean every request.
     */
    static String normaliseAsIs(String path) {
        if (path == null || path.isBlank() || path.equals("/")) {
            return null;
        }
        String p = path.strip();
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
