package dev.finetune4j.chat;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sends chat calls to an assistant's live selection: the active model version (or the base model)
 * with the active prompt version and its few-shot examples, a sticky share of subjects to the
 * candidate, explicit pins for testing, and a walk down the assistant's fallback chain (the base
 * model by default; see {@code Assistant.setFallbacks}) when a version is gone or failing. A model
 * version with a deployment that serves it is called at the deployment's address (a deployment
 * scaled to zero is woken, waiting up to {@link Options#wakeUpWait()}); one whose provider needs a
 * deployment and has none that serves (failed, deleted) counts as a gone model. Obtain it from
 * {@code FineTuning.chatRouter(options)}. Thread-safe.
 *
 * <p><b>Create one router and reuse it</b> for every call with the same options, from any number of
 * threads; close it (or the {@code FineTuning} it came from) when the application is done with it.
 * A router holds selection caches, circuit breakers, a subscription to selection changes and, in
 * shadow mode, a small pool of daemon threads; creating one per request throws all of that away
 * each time.
 *
 * <pre>{@code
 * try (ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults())) {
 *     ChatResponse answer = router.chat(ChatRequest.of("avatar-42", "Hi!"));
 * }
 * }</pre>
 *
 * <p>Selections are cached: a change made through the same {@code FineTuning} takes effect on the
 * next call; a change made by another process within {@link Options#refreshInterval()}. A call
 * always uses one whole selection.
 */
public interface ChatRouter extends AutoCloseable {

    /**
     * One chat call.
     *
     * @throws dev.finetune4j.NotFoundException for an unknown assistant or pinned version, or (with
     *     {@code providerError()}) when the model is gone at the provider and no fallback answered
     * @throws dev.finetune4j.ProviderException when the call and its fallback failed
     */
    ChatResponse chat(ChatRequest request);

    /**
     * One streamed chat call: pieces of text and of tool calls go to {@code handler} as they
     * arrive, on the calling thread; the returned response holds the whole answer (text, tool calls
     * assembled from their pieces, finish reason, usage). A fallback can only happen before the
     * first piece.
     *
     * @throws dev.finetune4j.NotFoundException for an unknown assistant or pinned version, or (with
     *     {@code providerError()}) when the model is gone at the provider and no fallback answered
     * @throws dev.finetune4j.ProviderException when the call and its fallback failed, or the
     *     stream failed after its first piece
     * @throws dev.finetune4j.TransportException likewise, when no usable answer came (a stream that
     *     ended before the answer finished is one)
     */
    ChatResponse chatStream(ChatRequest request, ChatStreamHandler handler);

    /**
     * One streamed chat call whose text pieces go to {@code onText}; tool-call pieces are only in
     * the returned response. See {@link #chatStream(ChatRequest, ChatStreamHandler)}.
     */
    default ChatResponse chatStream(ChatRequest request, Consumer<String> onText) {
        return chatStream(request, ChatStreamHandler.ofText(onText));
    }

    /** Forgets cached selections, so the next call of each assistant reads the store. */
    void invalidate();

    /**
     * How many shadow copies this router dropped instead of sending: a shadow router sends at most 2
     * copies at a time and keeps at most 64 waiting; a copy that finds both full is dropped (the
     * caller's call never waits for its shadow), and so are the copies still waiting when the router
     * closes. Always 0 without shadow mode.
     */
    long droppedShadowCalls();

    /**
     * Closes the router: it stops listening to selection changes, its shadow calls in flight are
     * interrupted and the waiting ones dropped, and its shadow threads end. Calls already running
     * finish; later {@link #chat} and {@link #chatStream} calls throw {@link IllegalStateException}.
     * Idempotent.
     */
    @Override
    void close();

    /** Hears about the usage and cost of every call (for "cost per version" charts). */
    @FunctionalInterface
    interface UsageListener {
        /** Called after every answered call, on the calling thread. */
        void onUsage(ServedBy servedBy, Usage usage, ChatResponse response);
    }

    /** Hears shadow calls: the candidate's answer to a request the active version answered. */
    @FunctionalInterface
    interface ShadowListener {
        /**
         * Called on one of the router's shadow threads; {@code shadow} is null when the candidate
         * call failed. Copies the pool cannot take are not reported here: see
         * {@link ChatRouter#droppedShadowCalls()}.
         */
        void onShadow(ChatRequest request, ChatResponse primary, ChatResponse shadow, RuntimeException error);
    }

    /**
     * Router options: immutable, built with {@link #builder()} or changed with the {@code with*}
     * methods and {@link #toBuilder()}. A final class rather than a record so that an option can be
     * added without breaking callers.
     *
     * <p>{@code refreshInterval}: how long a cached selection is used before the store is read again.
     * {@code fallback}: whether a failing version falls back along the assistant's fallback chain (the
     * base model by default). {@code failuresToOpen}: consecutive failures of one model after which its
     * circuit opens; {@code openFor}: how long an open circuit sends the model's traffic to the
     * fallback. {@code shadow}: whether the candidate gets shadow copies of calls instead of a share of
     * them (sent from a bounded pool of the router's; see {@link ChatRouter#droppedShadowCalls()}).
     * {@code usageListener} hears every call's usage, {@code shadowListener} hears shadow answers.
     * {@code wakeUpWait}: how long a call to a deployment that scaled to zero may wait for it to wake
     * up (the provider holds the call that long: Hugging Face's {@code X-Scale-Up-Timeout}); a
     * deployment still waking after it answers as a failing version does (fallback, circuit breaker).
     * {@link Duration#ZERO} never waits.
     *
     * <p>Thread-safe. {@code equals} compares every option (listeners by identity).
     */
    final class Options {

        /** How long a call waits for a deployment scaled to zero unless set: 60 seconds. */
        public static final Duration DEFAULT_WAKE_UP_WAIT = Duration.ofSeconds(60);

        private static final UsageListener NO_USAGE_LISTENER = (s, u, r) -> { };
        private static final ShadowListener NO_SHADOW_LISTENER = (q, p, s, e) -> { };

        private final Duration refreshInterval;
        private final boolean fallback;
        private final int failuresToOpen;
        private final Duration openFor;
        private final boolean shadow;
        private final UsageListener usageListener;
        private final ShadowListener shadowListener;
        private final Duration wakeUpWait;

        private Options(Builder b) {
            this.refreshInterval = Objects.requireNonNull(b.refreshInterval, "refreshInterval");
            this.fallback = b.fallback;
            this.failuresToOpen = b.failuresToOpen;
            this.openFor = Objects.requireNonNull(b.openFor, "openFor");
            this.shadow = b.shadow;
            this.usageListener = Objects.requireNonNull(b.usageListener, "usageListener");
            this.shadowListener = Objects.requireNonNull(b.shadowListener, "shadowListener");
            this.wakeUpWait = Objects.requireNonNull(b.wakeUpWait, "wakeUpWait");
            if (refreshInterval.isNegative()) {
                throw new IllegalArgumentException("refreshInterval must not be negative, was " + refreshInterval);
            }
            if (failuresToOpen < 1) {
                throw new IllegalArgumentException("failuresToOpen must be >= 1, was " + failuresToOpen);
            }
            if (openFor.isNegative()) {
                throw new IllegalArgumentException("openFor must not be negative, was " + openFor);
            }
            if (wakeUpWait.isNegative()) {
                throw new IllegalArgumentException("wakeUpWait must not be negative, was " + wakeUpWait);
            }
        }

        /**
         * Defaults: refresh every 5 s, fall back along the fallback chain, open a circuit after 3
         * consecutive failures for 30 s, canary by traffic share (no shadow), no listeners, wait up
         * to 60 s for a deployment scaled to zero.
         */
        public static Options defaults() {
            return builder().build();
        }

        /** A builder holding the {@linkplain #defaults() defaults}. */
        public static Builder builder() {
            return new Builder();
        }

        /** A builder holding these options, to change some of them. */
        public Builder toBuilder() {
            return new Builder(this);
        }

        /** How long a cached selection is used before the store is read again. */
        public Duration refreshInterval() {
            return refreshInterval;
        }

        /** Whether a failing version falls back along the assistant's fallback chain. */
        public boolean fallback() {
            return fallback;
        }

        /** Consecutive failures of one model after which its circuit opens. */
        public int failuresToOpen() {
            return failuresToOpen;
        }

        /** How long an open circuit sends the model's traffic to the fallback. */
        public Duration openFor() {
            return openFor;
        }

        /** Whether the candidate gets shadow copies of calls instead of a share of them. */
        public boolean shadow() {
            return shadow;
        }

        /** Who hears every call's usage (a no-op by default). */
        public UsageListener usageListener() {
            return usageListener;
        }

        /** Who hears shadow answers (a no-op by default). */
        public ShadowListener shadowListener() {
            return shadowListener;
        }

        /** How long a call to a deployment scaled to zero may wait for it to wake up. */
        public Duration wakeUpWait() {
            return wakeUpWait;
        }

        /** With another refresh interval. */
        public Options withRefreshInterval(Duration d) {
            return toBuilder().refreshInterval(d).build();
        }

        /** With fallback on or off. */
        public Options withFallback(boolean on) {
            return toBuilder().fallback(on).build();
        }

        /** With another circuit breaker. */
        public Options withCircuit(int failures, Duration open) {
            return toBuilder().circuit(failures, open).build();
        }

        /** With shadow mode on (the candidate answers copies, the caller always gets the active version). */
        public Options withShadow(ShadowListener listener) {
            return toBuilder().shadow(listener).build();
        }

        /** With a usage listener. */
        public Options withUsageListener(UsageListener listener) {
            return toBuilder().usageListener(listener).build();
        }

        /**
         * With another wake-up wait for deployments scaled to zero ({@link Duration#ZERO}: never
         * wait, fall back at once).
         *
         * @throws IllegalArgumentException when negative
         */
        public Options withWakeUpWait(Duration wait) {
            return toBuilder().wakeUpWait(wait).build();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Options x && refreshInterval.equals(x.refreshInterval) && fallback == x.fallback
                    && failuresToOpen == x.failuresToOpen && openFor.equals(x.openFor) && shadow == x.shadow
                    && usageListener == x.usageListener && shadowListener == x.shadowListener
                    && wakeUpWait.equals(x.wakeUpWait);
        }

        @Override
        public int hashCode() {
            return Objects.hash(refreshInterval, fallback, failuresToOpen, openFor, shadow,
                    System.identityHashCode(usageListener), System.identityHashCode(shadowListener), wakeUpWait);
        }

        @Override
        public String toString() {
            return "ChatRouter.Options[refreshInterval=" + refreshInterval + ", fallback=" + fallback
                    + ", failuresToOpen=" + failuresToOpen + ", openFor=" + openFor + ", shadow=" + shadow
                    + ", usageListener=" + (usageListener == NO_USAGE_LISTENER ? "none" : "set")
                    + ", shadowListener=" + (shadowListener == NO_SHADOW_LISTENER ? "none" : "set")
                    + ", wakeUpWait=" + wakeUpWait + "]";
        }

        /**
         * Builds {@link Options}; starts from the defaults. Not thread-safe; {@link #build()} checks
         * the values.
         */
        public static final class Builder {

            private Duration refreshInterval = Duration.ofSeconds(5);
            private boolean fallback = true;
            private int failuresToOpen = 3;
            private Duration openFor = Duration.ofSeconds(30);
            private boolean shadow;
            private UsageListener usageListener = NO_USAGE_LISTENER;
            private ShadowListener shadowListener = NO_SHADOW_LISTENER;
            private Duration wakeUpWait = DEFAULT_WAKE_UP_WAIT;

            private Builder() {
            }

            private Builder(Options o) {
                refreshInterval = o.refreshInterval;
                fallback = o.fallback;
                failuresToOpen = o.failuresToOpen;
                openFor = o.openFor;
                shadow = o.shadow;
                usageListener = o.usageListener;
                shadowListener = o.shadowListener;
                wakeUpWait = o.wakeUpWait;
            }

            /** How long a cached selection is used before the store is read again (5 s). */
            public Builder refreshInterval(Duration d) {
                this.refreshInterval = Objects.requireNonNull(d, "refreshInterval");
                return this;
            }

            /** Whether a failing version falls back along the fallback chain (on). */
            public Builder fallback(boolean on) {
                this.fallback = on;
                return this;
            }

            /** Consecutive failures after which a model's circuit opens, and for how long (3, 30 s). */
            public Builder circuit(int failures, Duration open) {
                this.failuresToOpen = failures;
                this.openFor = Objects.requireNonNull(open, "openFor");
                return this;
            }

            /** Shadow mode on, with who hears the shadow answers. */
            public Builder shadow(ShadowListener listener) {
                this.shadow = true;
                this.shadowListener = Objects.requireNonNull(listener, "shadowListener");
                return this;
            }

            /** Shadow mode on or off, keeping the shadow listener (off). */
            public Builder shadow(boolean on) {
                this.shadow = on;
                return this;
            }

            /** Who hears every call's usage (no one). */
            public Builder usageListener(UsageListener listener) {
                this.usageListener = Objects.requireNonNull(listener, "usageListener");
                return this;
            }

            /** How long a call may wait for a deployment scaled to zero (60 s; zero never waits). */
            public Builder wakeUpWait(Duration wait) {
                this.wakeUpWait = Objects.requireNonNull(wait, "wakeUpWait");
                return this;
            }

            /**
             * The options.
             *
             * @throws IllegalArgumentException when a value is out of range (a negative duration,
             *     fewer than one failure to open a circuit)
             */
            public Options build() {
                return new Options(this);
            }
        }
    }
}
