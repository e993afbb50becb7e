package dev.finetune4j.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Scripted faults, consumed in the order they were added by the requests they match. A request
 * takes at most one failing fault (rate limit, server error, dropped connection, lost response)
 * and, independently, at most one delay. Thread-safe.
 */
public final class FaultPlan {

    /** What a fault does. */
    public enum Kind {
        /** 429 with a Retry-After header; the request is not processed. */
        RATE_LIMIT,
        /** 500; the request is not processed. */
        SERVER_ERROR,
        /** Connection reset before any processing. */
        DROP_CONNECTION,
        /** The request is processed, then the connection is reset instead of the response. */
        LOSE_RESPONSE,
        /** The normal response, late. */
        SLOW
    }

    /** One consumed fault. */
    public record Fault(Kind kind, long retryAfterSeconds, Duration delay) {}

    /** What the faults say about one request: a failing fault or none, and a delay. */
    public record Decision(Fault fault, Duration delay) {

        public boolean fails() {
            return fault != null;
        }
    }

    private static final class Rule {
        final Kind kind;
        final String pathPrefix;
        int remaining;
        final long retryAfterSeconds;
        final Duration delay;

        Rule(Kind kind, String pathPrefix, int remaining, long retryAfterSeconds, Duration delay) {
            this.kind = kind;
            this.pathPrefix = pathPrefix;
            this.remaining = remaining;
            this.retryAfterSeconds = retryAfterSeconds;
            this.delay = delay;
        }

        boolean matches(String path) {
            return pathPrefix == null || path.equals(pathPrefix) || path.startsWith(pathPrefix + "/");
        }
    }

    private final List<Rule> rules = new ArrayList<>();

    /**
     * Serves one request under the plan: a rate limit or server error answers with the provider's
     * own error instead of {@code route}, a dropped connection resets it unprocessed, a lost
     * response runs {@code route} and then resets the connection instead of answering; any delay
     * is added to the reply. {@code route} runs outside this plan's lock.
     *
     * @param rateLimited the provider's 429 for a wait in seconds
     * @param serverError the provider's 500
     */
    public Reply serve(String path, LongFunction<Reply> rateLimited, Supplier<Reply> serverError,
            Supplier<Reply> route) {
        Decision decision = take(path);
        Reply reply;
        if (!decision.fails()) {
            reply = route.get();
        } else {
            reply = switch (decision.fault().kind()) {
                case RATE_LIMIT -> rateLimited.apply(decision.fault().retryAfterSeconds());
                case SERVER_ERROR -> serverError.get();
                case DROP_CONNECTION -> Reply.dropped();
                case LOSE_RESPONSE -> route.get().dropInsteadOfSending();
                default -> throw new IllegalStateException("not a failing fault: " + decision.fault().kind());
            };
        }
        return reply.delay(decision.delay());
    }

    /**
     * Adds a fault for the next {@code times} requests whose path is {@code pathPrefix} or below it
     * ({@code null} = any request).
     */
    public synchronized void add(Kind kind, String pathPrefix, int times, long retryAfterSeconds, Duration delay) {
        Objects.requireNonNull(kind, "kind");
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        rules.add(new Rule(kind, pathPrefix, times, retryAfterSeconds, delay == null ? Duration.ZERO : delay));
    }

    /** Consumes the faults that apply to a request on {@code path}. */
    public synchronized Decision take(String path) {
        Fault failing = null;
        Duration delay = Duration.ZERO;
        boolean delayTaken = false;
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (!r.matches(path)) {
                continue;
            }
            if (r.kind == Kind.SLOW) {
                if (delayTaken) {
                    continue;
                }
                delayTaken = true;
                delay = r.delay;
            } else {
                if (failing != null) {
                    continue;
                }
                failing = new Fault(r.kind, r.retryAfterSeconds, r.delay);
            }
            if (--r.remaining == 0) {
                it.remove();
            }
        }
        return new Decision(failing, delay);
    }

    /** Faults not yet consumed. */
    public synchronized int pending() {
        return rules.stream().mapToInt(r -> r.remaining).sum();
    }

    public synchronized void clear() {
        rules.clear();
    }
}
