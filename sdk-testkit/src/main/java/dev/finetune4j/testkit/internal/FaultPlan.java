package dev.finetune4j.testkit.internal;

import dev.finetune4j.testkit.ScriptedFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Scripted faults, each given to exactly one request: a request takes the oldest fault not yet
 * consumed whose method and path match it, and no other. A delay ({@link ScriptedFault#SLOW}) is a
 * fault like the others, not an addition to one: the request that takes it is answered normally,
 * late. A fault added {@code times} times is taken by that many requests, one each. Thread-safe.
 */
public final class FaultPlan {

    private static final class Rule {
        final ScriptedFault kind;
        final String method;
        final String pathPrefix;
        int remaining;
        final long amount;
        final Duration delay;

        Rule(ScriptedFault kind, String method, String pathPrefix, int remaining, long amount, Duration delay) {
            this.kind = kind;
            this.method = method;
            this.pathPrefix = pathPrefix;
            this.remaining = remaining;
            this.amount = amount;
            this.delay = delay;
        }

        boolean matches(String requestMethod, String path) {
            return (method == null || method.equalsIgnoreCase(requestMethod))
                    && (pathPrefix == null || path.equals(pathPrefix) || path.startsWith(pathPrefix + "/"));
        }
    }

    private final List<Rule> rules = new ArrayList<>();

    /**
     * Serves one request under the plan, giving it the fault it takes (if any): a rate limit or
     * server error answers with the provider's own error instead of {@code route}, a dropped
     * connection resets it unprocessed, a lost response runs {@code route} and then resets the
     * connection instead of answering, a delay runs {@code route} and answers late, a cut stream
     * runs {@code route} and sends only the first events of its event stream. The reply
     * names the fault it carries ({@link Reply#fault()}). {@code route} runs outside this plan's
     * lock.
     *
     * @param rateLimited the provider's 429 for a wait in seconds
     * @param serverError the provider's 500
     */
    public Reply serve(HttpCall call, LongFunction<Reply> rateLimited, Supplier<Reply> serverError,
            Supplier<Reply> route) {
        Rule fault = take(call.method(), call.path());
        if (fault == null) {
            return route.get();
        }
        Reply reply = switch (fault.kind) {
            case RATE_LIMIT -> rateLimited.apply(fault.amount);
            case SERVER_ERROR -> serverError.get();
            case DROP_CONNECTION -> Reply.dropped();
            case LOSE_RESPONSE -> route.get().dropInsteadOfSending();
            case SLOW -> route.get().delay(fault.delay);
            case CUT_STREAM -> route.get().cutStreamAfter((int) fault.amount);
            case NONE -> throw new IllegalStateException("NONE is not a fault one can script");
        };
        return reply.fault(fault.kind);
    }

    /**
     * Adds a fault for the next {@code times} requests with this method ({@code null} = any) whose
     * path is {@code pathPrefix} or below it ({@code null} = any path).
     *
     * @param amount the {@code Retry-After} seconds of a {@link ScriptedFault#RATE_LIMIT}, the
     *     events a {@link ScriptedFault#CUT_STREAM} keeps; ignored by the other faults
     */
    public synchronized void add(ScriptedFault kind, String method, String pathPrefix, int times, long amount,
            Duration delay) {
        Objects.requireNonNull(kind, "kind");
        if (kind == ScriptedFault.NONE) {
            throw new IllegalArgumentException("NONE is not a fault one can script");
        }
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        rules.add(new Rule(kind, method, pathPrefix, times, amount, delay == null ? Duration.ZERO : delay));
    }

    /** Consumes the oldest fault that matches a request, or returns null when none does. */
    private synchronized Rule take(String method, String path) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.matches(method, path)) {
                if (--r.remaining == 0) {
                    it.remove();
                }
                return r;
            }
        }
        return null;
    }

    /** Faults not yet consumed (a fault added {@code times} times counts that many). */
    public synchronized int pending() {
        return rules.stream().mapToInt(r -> r.remaining).sum();
    }

    /** Forgets every fault not yet consumed. */
    public synchronized void clear() {
        rules.clear();
    }
}
