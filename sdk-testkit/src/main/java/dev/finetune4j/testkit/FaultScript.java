package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.FaultPlan;
import java.time.Duration;
import java.util.Objects;

/**
 * Faults for the requests on one path of an emulator (that path and everything below it),
 * obtained with the emulator's {@code on(path)}. Faults are consumed in the order they were
 * added; a request takes at most one failing fault and at most one delay. Thread-safe.
 *
 * <pre>{@code
 * openai.on("/fine_tuning/jobs").rateLimitNext(1, 2).loseResponseNext();
 * }</pre>
 */
public final class FaultScript {

    private final FaultPlan plan;
    private final String path;

    FaultScript(FaultPlan plan, String path) {
        this.plan = plan;
        this.path = path;
    }

    /** The next {@code times} matching requests get a 429 with {@code Retry-After: retryAfterSeconds}. */
    public FaultScript rateLimitNext(int times, int retryAfterSeconds) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must not be negative, was " + retryAfterSeconds);
        }
        plan.add(FaultPlan.Kind.RATE_LIMIT, path, times, retryAfterSeconds, Duration.ZERO);
        return this;
    }

    /** The next {@code times} matching requests get a 500 and change nothing. */
    public FaultScript serverErrorNext(int times) {
        plan.add(FaultPlan.Kind.SERVER_ERROR, path, times, 0, Duration.ZERO);
        return this;
    }

    /** The next matching request's connection is reset before anything is processed. */
    public FaultScript dropConnectionNext() {
        plan.add(FaultPlan.Kind.DROP_CONNECTION, path, 1, 0, Duration.ZERO);
        return this;
    }

    /**
     * The next matching request is processed (a file is stored, a job is created), then its
     * connection is reset instead of the response: the case where a client must not create the
     * same thing twice.
     */
    public FaultScript loseResponseNext() {
        plan.add(FaultPlan.Kind.LOSE_RESPONSE, path, 1, 0, Duration.ZERO);
        return this;
    }

    /** The next matching request is answered normally, after {@code delay}. */
    public FaultScript slowNext(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        plan.add(FaultPlan.Kind.SLOW, path, 1, 0, delay);
        return this;
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
