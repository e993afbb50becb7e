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
     * @throws dev.finetune4j.NotFoundException for an unknown assistant or pinned version
     * @throws dev.finetune4j.ProviderException when the call and its fallback failed
     */
    ChatResponse chat(ChatRequest request);

    /**
     * One streamed chat call: pieces of text and of tool calls go to {@code handler} as they
     * arrive, on the calling thread; the returned response holds the whole answer (text, tool calls
     * assembled from their pieces, finish reason, usage). A fallback can only happen before the
     * first piece.
     *
     * @throws dev.finetune4j.NotFoundException for an unknown assistant or pinned version
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
     * Router options.
     *
     * @param refreshInterval how long a cached selection is used before the store is read again
     * @param fallback whether a failing version falls back along the assistant's fallback chain (the base
     *     model by default)
     * @param failuresToOpen consecutive failures of one model after which its circuit opens
     * @param openFor how long an open circuit sends the model's traffic to the fallback
     * @param shadow whether the candidate gets shadow copies of calls instead of a share of them
     *     (sent from a bounded pool of the router's; see {@link ChatRouter#droppedShadowCalls()})
     * @param usageListener hears every call's usage
     * @param shadowListener hears shadow answers
     * @param wakeUpWait how long a call to a deployment that scaled to zero may wait for it to wake
     *     up (the provider holds the call that long: Hugging Face's {@code X-Scale-Up-Timeout});
     *     a deployment still waking after it answers as a failing version does (fallback, circuit
     *     breaker). {@link Duration#ZERO} never waits
     */
    record Options(Duration refreshInterval, boolean fallback, int failuresToOpen, Duration openFor, boolean shadow,
            UsageListener usageListener, ShadowListener shadowListener, Duration wakeUpWait) {

        /** How long a call waits for a deployment scaled to zero unless set: 60 seconds. */
        public static final Duration DEFAULT_WAKE_UP_WAIT = Duration.ofSeconds(60);

        /** Checks the values. */
        public Options {
            Objects.requireNonNull(refreshInterval, "refreshInterval");
            Objects.requireNonNull(openFor, "openFor");
            Objects.requireNonNull(usageListener, "usageListener");
            Objects.requireNonNull(shadowListener, "shadowListener");
            Objects.requireNonNull(wakeUpWait, "wakeUpWait");
            if (refreshInterval.isNegative()) {
                throw new IllegalArgumentException("refreshInterval must not be negative, was " + refreshInterval);
            }
            if (failuresToOpen < 1) {
                throw new IllegalArgumentException("failuresToOpen must be >= 1, was " + failuresToOpen);
            }
            if (wakeUpWait.isNegative()) {
                throw new IllegalArgumentException("wakeUpWait must not be negative, was " + wakeUpWait);
            }
        }

        /**
         * Options with the {@linkplain #DEFAULT_WAKE_UP_WAIT default wake-up wait}: the constructor
         * of the options before deployments existed, kept for source and binary compatibility.
         */
        public Options(Duration refreshInterval, boolean fallback, int failuresToOpen, Duration openFor,
                boolean shadow, UsageListener usageListener, ShadowListener shadowListener) {
            this(refreshInterval, fallback, failuresToOpen, openFor, shadow, usageListener, shadowListener,
                    DEFAULT_WAKE_UP_WAIT);
        }

        /**
         * Defaults: refresh every 5 s, fall back along the fallback chain, open a circuit after 3
         * consecutive failures for 30 s, canary by traffic share (no shadow), no listeners, wait up
         * to 60 s for a deployment scaled to zero.
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(5), true, 3, Duration.ofSeconds(30), false,
                    (s, u, r) -> { }, (q, p, s, e) -> { }, DEFAULT_WAKE_UP_WAIT);
        }

        /** With another refresh interval. */
        public Options withRefreshInterval(Duration d) {
            return new Options(d, fallback, failuresToOpen, openFor, shadow, usageListener, shadowListener,
                    wakeUpWait);
        }

        /** With fallback on or off. */
        public Options withFallback(boolean on) {
            return new Options(refreshInterval, on, failuresToOpen, openFor, shadow, usageListener, shadowListener,
                    wakeUpWait);
        }

        /** With another circuit breaker. */
        public Options withCircuit(int failures, Duration open) {
            return new Options(refreshInterval, fallback, failures, open, shadow, usageListener, shadowListener,
                    wakeUpWait);
        }

        /** With shadow mode on (the candidate answers copies, the caller always gets the active version). */
        public Options withShadow(ShadowListener listener) {
            return new Options(refreshInterval, fallback, failuresToOpen, openFor, true, usageListener, listener,
                    wakeUpWait);
        }

        /** With a usage listener. */
        public Options withUsageListener(UsageListener listener) {
            return new Options(refreshInterval, fallback, failuresToOpen, openFor, shadow, listener, shadowListener,
                    wakeUpWait);
        }

        /**
         * With another wake-up wait for deployments scaled to zero ({@link Duration#ZERO}: never
         * wait, fall back at once).
         *
         * @throws IllegalArgumentException when negative
         */
        public Options withWakeUpWait(Duration wait) {
            return new Options(refreshInterval, fallback, failuresToOpen, openFor, shadow, usageListener,
                    shadowListener, wait);
        }
    }
}
