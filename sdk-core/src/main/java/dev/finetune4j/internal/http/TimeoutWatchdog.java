package dev.finetune4j.internal.http;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupts a thread still waiting in a blocking call when its time is up: the JDK client's
 * {@code send} then cancels the exchange and throws {@code InterruptedException}, which the
 * watched code turns into a timeout. A watch may instead run an action of its own when the time
 * is up (closing a stream that another thread reads, without interrupting that thread).
 *
 * <p>Why not {@code HttpRequest.timeout}: the JDK client files each such timeout in one
 * client-wide queue under a lock and wakes its selector thread for every request, which many
 * concurrent calls pay for in throughput; and it stops counting once the headers arrive, so a body
 * that trickles in is never timed out. A watch here costs an add to and a remove from a concurrent
 * set; one daemon thread looks at the watches every tick (10 ms for {@link #SHARED}) and ends
 * itself when none has been set for a while (10 s). A timeout fires up to one tick late.
 *
 * <p>Thread-safe.
 */
public final class TimeoutWatchdog {

    /** The one shared by every {@code ProviderHttp}. */
    public static final TimeoutWatchdog SHARED = new TimeoutWatchdog(Duration.ofMillis(10), Duration.ofSeconds(10));

    private final long tickNanos;
    private final long idleTicksBeforeExit;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean();

    TimeoutWatchdog(Duration tick, Duration idleBeforeExit) {
        this.tickNanos = tick.toNanos();
        this.idleTicksBeforeExit = Math.max(1, idleBeforeExit.toNanos() / tickNanos);
    }

    /** Starts watching the calling thread; {@link Watch#stop()} must follow on every path. */
    public Watch watch(Duration timeout) {
        return add(new Watch(Thread.currentThread(), null, System.nanoTime() + timeout.toNanos()));
    }

    /**
     * Runs {@code action} on the watchdog's thread once {@code timeout} has passed, unless {@link
     * Watch#stop()} came first. The action must be quick and must not throw.
     */
    public Watch watch(Duration timeout, Runnable action) {
        return add(new Watch(null, action, System.nanoTime() + timeout.toNanos()));
    }

    private Watch add(Watch w) {
        watches.add(w);
        if (!running.get() && running.compareAndSet(false, true)) {
            start();
        }
        return w;
    }

    /** Whether the watchdog's thread is alive (for tests). */
    boolean running() {
        return running.get();
    }

    private void start() {
        Thread t = new Thread(this::run, "finetune4j-timeouts");
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        long idle = 0;
        while (true) {
            LockSupport.parkNanos(this, tickNanos);
            if (watches.isEmpty()) {
                if (++idle < idleTicksBeforeExit) {
                    continue;
                }
                running.set(false);
                // a watch set between the check and the flag would otherwise go unwatched
                if (watches.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
            }
            idle = 0;
            long now = System.nanoTime();
            for (Watch w : watches) {
                if (now - w.deadline >= 0) {
                    w.fire();
                }
            }
        }
    }

    /** One watched wait. */
    public final class Watch {
        private static final int WATCHING = 0;
        private static final int FIRING = 1;
        private static final int FIRED = 2;
        private static final int STOPPED = 3;

        private final Thread thread;
        private final Runnable action;
        private final long deadline;
        private final AtomicInteger state = new AtomicInteger(WATCHING);
        /** Only the watched thread (the one that stops the watch) reads and writes it. */
        private Boolean timedOut;

        private Watch(Thread thread, Runnable action, long deadline) {
            this.thread = thread;
            this.action = action;
            this.deadline = deadline;
        }

        private void fire() {
            watches.remove(this);
            if (state.compareAndSet(WATCHING, FIRING)) {
                if (action == null) {
                    thread.interrupt();
                } else {
                    try {
                        action.run();
                    } catch (RuntimeException e) {
                        // the other watches must still be kept
                    }
                }
                state.set(FIRED);
            }
        }

        /**
         * Stops watching; later calls return the first call's answer. Call it from the watched
         * thread.
         *
         * @return whether the time was up: the thread was interrupted by this watch, and that
         *     interrupt is now cleared (or, for a watch with an action, the action has run)
         */
        public boolean stop() {
            if (timedOut != null) {
                return timedOut;
            }
            watches.remove(this);
            if (state.compareAndSet(WATCHING, STOPPED)) {
                timedOut = false;
                return false;
            }
            // the watchdog decided to fire: wait the instant until its interrupt has landed, then take it back
            while (state.get() != FIRED) {
                Thread.onSpinWait();
            }
            if (action == null) {
                Thread.interrupted();
            }
            timedOut = true;
            return true;
        }
    }
}
