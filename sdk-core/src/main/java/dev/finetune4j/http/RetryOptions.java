package dev.finetune4j.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How a failed provider call is repeated, and how long one call may take in all.
 *
 * <p>A call is repeated after a connection error, a timeout, or a response with status 408, 409,
 * 429 or 5xx, unless the server's {@code x-should-retry} header says otherwise (that header wins
 * both ways). Calls that are not safe to repeat (creating a fine-tune job) are repeated only when
 * the server certainly did not act on them: the connection could not be opened, or the answer was
 * 429.
 *
 * <p>The wait before retry {@code n} (0 for the first) is the server's {@code retry-after-ms},
 * else its {@code Retry-After} (seconds, fractional allowed, or an HTTP date), else {@code
 * min(initialBackoff × 2^n, maxBackoff) × (1 − 0.25·random)}. A server that asks for more than
 * {@link #maxRetryAfter()} is not retried: the error reaches the caller at once. No call runs past
 * its {@link #deadline()}: each attempt's timeout is cut to the time left, and a wait that would
 * reach the deadline is not taken.
 *
 * <p>Immutable and thread-safe.
 */
public final class RetryOptions {

    private static final RetryOptions DEFAULTS = builder().build();
    private static final RetryOptions NONE = builder().maxRetries(0).build();

    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final Duration deadline;

    private RetryOptions(Builder b) {
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.deadline = b.deadline;
    }

    /**
     * The defaults, those of the OpenAI SDKs: 2 retries, backoff from 0.5 s doubling up to 8 s,
     * server-requested waits up to 60 s, 10 minutes per call in all.
     */
    public static RetryOptions defaults() {
        return DEFAULTS;
    }

    /** No retry at all; the 10-minute deadline still holds. */
    public static RetryOptions none() {
        return NONE;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxRetries = maxRetries;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.maxRetryAfter = maxRetryAfter;
        b.deadline = deadline;
        return b;
    }

    /** How many times a call is repeated after its first attempt (so attempts = this + 1). */
    public int maxRetries() {
        return maxRetries;
    }

    /** The backoff before the first retry when the server names no wait. */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** The longest backoff the doubling reaches, before jitter. */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** The longest wait a server may ask for; a longer request means the call is not retried. */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** The most one call may take, all attempts and waits included. */
    public Duration deadline() {
        return deadline;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryOptions r
                && maxRetries == r.maxRetries
                && initialBackoff.equals(r.initialBackoff)
                && maxBackoff.equals(r.maxBackoff)
                && maxRetryAfter.equals(r.maxRetryAfter)
                && deadline.equals(r.deadline);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxRetries, initialBackoff, maxBackoff, maxRetryAfter, deadline);
    }

    @Override
    public String toString() {
        return "RetryOptions[maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff + ", maxBackoff="
                + maxBackoff + ", maxRetryAfter=" + maxRetryAfter + ", deadline=" + deadline + "]";
    }

    /** Builds {@link RetryOptions}; starts from the defaults. Not thread-safe. */
    public static final class Builder {

        private int maxRetries = 2;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private Duration deadline = Duration.ofMinutes(10);

        private Builder() {}

        /**
         * How many times to repeat a failed call (default 2).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries is " + maxRetries + "; it must be 0 or more");
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * The backoff before the first retry (default 0.5 s).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = positive(initialBackoff, "initialBackoff");
            return this;
        }

        /**
         * The cap of the doubling backoff (default 8 s).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = positive(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * The longest server-requested wait that is honoured (default 60 s).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = positive(maxRetryAfter, "maxRetryAfter");
            return this;
        }

        /**
         * The most one call may take, all attempts and waits included (default 10 minutes).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder deadline(Duration deadline) {
            this.deadline = positive(deadline, "deadline");
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalStateException if {@code initialBackoff} is longer than {@code maxBackoff}
         */
        public RetryOptions build() {
            if (initialBackoff.compareTo(maxBackoff) > 0) {
                throw new IllegalStateException("initialBackoff " + initialBackoff + " is longer than maxBackoff "
                        + maxBackoff + "; raise maxBackoff or lower initialBackoff");
            }
            return new RetryOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " is " + d + "; it must be positive");
            }
            return d;
        }
    }
}
