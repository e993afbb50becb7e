package dev.finetune4j.internal.capture;

import dev.finetune4j.Tenant;
import dev.finetune4j.capture.CapturePolicy;
import dev.finetune4j.capture.CaptureStats;
import dev.finetune4j.capture.PruneResult;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.store.VersionStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture sink every router of one {@code FineTuning} hands its answered calls to, shared by
 * all its tenant views: the per-tenant, per-assistant policies, a bounded queue and one writer
 * thread that redacts, serialises and appends captures as segments.
 *
 * <p>The caller's side ({@link #completed}) never blocks and never throws: with no policy for the
 * assistant it returns after two map lookups; otherwise it samples, offers to the queue and, when
 * the queue is full, counts a drop. The writer thread starts on the first capture and ends after
 * {@value #IDLE_SECONDS} s without work, so an idle hub holds no thread. A batch gathers for up to
 * {@value #LINGER_MILLIS} ms after its first capture (a flush ends it at once); segments are cut at
 * {@value #BATCH} captures, {@value #SEGMENT_BYTES} bytes or call-id times
 * {@value CaptureSegments#MAX_SPAN_MILLIS} ms apart, whichever comes first (the last bounds the
 * listing that finds a call's segment by its time).
 *
 * <p>Before a batch, at most once an hour by the hub's clock, the writer applies the retention of
 * every policy that has one ({@link CaptureRetention}); a failure there is logged and never stops
 * the writing.
 */
public final class CaptureHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureHub.class);
    /** Captures waiting for the writer; beyond this they are dropped and counted. */
    public static final int QUEUE = 8192;
    /** The most captures written as one batch (one segment per tenant and assistant in it). */
    static final int BATCH = 1024;
    /** How long the writer gathers a batch after its first capture. */
    static final long LINGER_MILLIS = 1000;
    /** How often the writer looks at the queue while gathering. */
    static final long LOOK_EVERY_MILLIS = 10;
    /** The largest segment blob written, in bytes (one record can exceed it alone). */
    static final int SEGMENT_BYTES = 4 * 1024 * 1024;
    static final int IDLE_SECONDS = 30;
    /** The least time between two automatic retention runs. */
    static final long RETENTION_EVERY_MILLIS = 60 * 60 * 1000L;
    private static final AtomicLong HUBS = new AtomicLong();

    private final VersionStore store;
    private final Clock clock;
    /** When the writer last applied retention; only the writer thread touches it. */
    private long retentionRanAt = Long.MIN_VALUE;
    private final Map<Tenant, Map<String, CapturePolicy>> policies = new ConcurrentHashMap<>();
    private final ArrayBlockingQueue<Object> queue;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final String name = "finetune4j-capture-" + HUBS.incrementAndGet();
    private volatile Thread writer;
    private volatile boolean closed;

    /** One answered call waiting to be written. */
    private record Pending(Tenant tenant, CapturePolicy policy, ChatRequest request, ChatResponse response,
            long latencyNanos) {}

    /** A flush marker: counted down when everything queued before it is written. */
    private record Flush(CountDownLatch done) {}

    /** A hub writing to {@code store}, with a queue of {@value #QUEUE}; {@code clock} times retention. */
    public CaptureHub(VersionStore store, Clock clock) {
        this(store, clock, QUEUE);
    }

    /** A hub with a queue of {@code capacity} (tests use small ones). */
    public CaptureHub(VersionStore store, Clock clock, int capacity) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Applies the retention of every policy of the tenant that has one, now.
     *
     * @return what was deleted
     */
    public PruneResult applyRetention(Tenant tenant) {
        PruneResult total = PruneResult.NONE;
        Map<String, CapturePolicy> of = policies.get(tenant);
        if (of == null) {
            return total;
        }
        long now = clock.millis();
        for (Map.Entry<String, CapturePolicy> e : Map.copyOf(of).entrySet()) {
            Optional<Duration> keep = e.getValue().retention();
            if (keep.isPresent()) {
                total = total.plus(CaptureRetention.prune(store, tenant, e.getKey(), now - keep.get().toMillis()));
            }
        }
        return total;
    }

    /** On the writer thread: retention of every tenant, when the last run is an hour old. */
    private void retentionIfDue() {
        long now = clock.millis();
        if (retentionRanAt != Long.MIN_VALUE && now - retentionRanAt < RETENTION_EVERY_MILLIS) {
            return;
        }
        retentionRanAt = now;
        for (Tenant tenant : Set.copyOf(policies.keySet())) {
            try {
                PruneResult r = applyRetention(tenant);
                if (r.segments() > 0) {
                    LOG.debug("{}: retention deleted {} from tenant '{}'", name, r, tenant.id());
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: applying the capture retention of tenant '{}' failed; it is tried again in an hour",
                        name, tenant.id(), e);
            }
        }
    }

    /** Captures the tenant's assistant from now on. */
    public void enable(Tenant tenant, String assistant, CapturePolicy policy) {
        Objects.requireNonNull(assistant, "assistant");
        Objects.requireNonNull(policy, "policy");
        policies.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).put(assistant, policy);
    }

    /** Stops capturing the tenant's assistant. */
    public void disable(Tenant tenant, String assistant) {
        Map<String, CapturePolicy> of = policies.get(tenant);
        if (of != null) {
            of.remove(assistant);
        }
    }

    /** The policy in force. */
    public Optional<CapturePolicy> policy(Tenant tenant, String assistant) {
        Map<String, CapturePolicy> of = policies.get(tenant);
        return of == null ? Optional.empty() : Optional.ofNullable(of.get(assistant));
    }

    /**
     * An answered call: queued for writing when its assistant is captured and the call is sampled;
     * dropped and counted when the queue is full. Never blocks, never throws.
     */
    public void completed(Tenant tenant, ChatRequest request, ChatResponse response, long latencyNanos) {
        Map<String, CapturePolicy> of = policies.get(tenant);
        if (of == null) {
            return;
        }
        CapturePolicy policy = of.get(request.assistant());
        if (policy == null || closed) {
            return;
        }
        if (policy.sampling() < 1 && ThreadLocalRandom.current().nextDouble() >= policy.sampling()) {
            return;
        }
        if (!queue.offer(new Pending(tenant, policy, request, response, latencyNanos))) {
            if (dropped.incrementAndGet() == 1) {
                LOG.warn("{}: the store is slower than the traffic; captures are being dropped "
                        + "(Captures.stats().dropped() counts them)", name);
            }
            return;
        }
        startWriter();
    }

    private void startWriter() {
        if (!running.get() && running.compareAndSet(false, true)) {
            Thread t = new Thread(this::drain, name);
            t.setDaemon(true);
            writer = t;
            t.start();
        }
    }

    /** What was done so far. */
    public CaptureStats stats() {
        int pending = 0;
        for (Object o : queue) {
            if (o instanceof Pending) {
                pending++;
            }
        }
        return new CaptureStats(written.get(), dropped.get(), oversized.get(), failed.get(), pending);
    }

    /**
     * Waits until every capture queued before this call is written, at most {@code timeout}.
     *
     * @return whether it was in time
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Flush marker = new Flush(new CountDownLatch(1));
        try {
            if (!queue.offer(marker, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            startWriter();
            return marker.done().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The writer thread: takes batches until idle, then ends (a later capture starts a new one). */
    private void drain() {
        List<Object> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                Object first = queue.poll(IDLE_SECONDS, TimeUnit.SECONDS);
                if (first == null) {
                    running.set(false);
                    // a capture offered between the poll's end and the flag's reset found the flag
                    // still set and started no thread: this one carries on for it
                    if (queue.isEmpty() || !running.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                fill(batch, first instanceof Flush);
                writeBatch(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            running.set(false);
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Gathers captures for up to {@value #LINGER_MILLIS} ms after the first, up to {@value #BATCH}
     * or a flush: fewer, larger segments cost the store (and the CPU the callers share with the
     * writer) far less than one per capture. The writer sleeps between looks instead of waiting
     * on the queue, so that callers offering meanwhile have no thread to wake: an offer stays a
     * short lock hold.
     */
    private void fill(List<Object> batch, boolean flushed) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        int seen = batch.size();
        while (!flushed && batch.size() < BATCH) {
            queue.drainTo(batch, BATCH - batch.size());
            for (; seen < batch.size(); seen++) {
                flushed |= batch.get(seen) instanceof Flush;
            }
            long left = until - System.nanoTime();
            if (flushed || batch.size() >= BATCH || left <= 0 || closed) {
                return;
            }
            Thread.sleep(Math.min(LOOK_EVERY_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
    }

    private void writeBatch(List<Object> batch) {
        // first: a flush in this batch then also waits for the retention that was due
        retentionIfDue();
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Object item : batch) {
            if (item instanceof Flush f) {
                // everything before the marker goes to the store before the marker is released
                groups.values().forEach(this::writeGroup);
                groups.clear();
                f.done().countDown();
                continue;
            }
            Pending p = (Pending) item;
            String line;
            try {
                line = CaptureCodec.write(p.response().callId(), p.request(), p.response(), p.latencyNanos(),
                        p.policy().redactor());
            } catch (RuntimeException e) {
                // the redactor failed: writing the text unredacted is never an option
                countFailed(1, "the redactor threw; the capture was not written", e);
                continue;
            }
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > p.policy().maxRecordBytes()) {
                oversized.incrementAndGet();
                continue;
            }
            Group g = groups.computeIfAbsent(p.tenant().id() + "\u0000" + p.request().assistant(),
                    k -> new Group(p.tenant(), p.request().assistant()));
            long millis = CallIds.millis(p.response().callId());
            if (g.count > 0 && (g.out.size() + bytes.length + 1 > SEGMENT_BYTES || !g.spans(millis))) {
                writeGroup(g);
            }
            g.add(bytes, millis);
        }
        groups.values().forEach(this::writeGroup);
    }

    private void writeGroup(Group g) {
        if (g.count == 0) {
            return;
        }
        try {
            CaptureSegments.write(store, g.tenant, g.assistant, g.out.toByteArray(), g.count, g.from, g.to);
            written.addAndGet(g.count);
        } catch (RuntimeException e) {
            countFailed(g.count, "the store refused a capture segment of " + g.count + " captures", e);
        }
        g.reset();
    }

    private void countFailed(long n, String what, RuntimeException e) {
        if (failed.getAndAdd(n) == 0) {
            LOG.warn("{}: {} (Captures.stats().failed() counts lost captures; later failures are not logged)", name,
                    what, e);
        }
    }

    /** The captures of one tenant's assistant in a batch, as one growing segment. */
    private static final class Group {
        final Tenant tenant;
        final String assistant;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;

        Group(Tenant tenant, String assistant) {
            this.tenant = tenant;
            this.assistant = assistant;
        }

        /**
         * Whether a capture stamped at {@code millis} keeps the segment within
         * {@link CaptureSegments#MAX_SPAN_MILLIS}, as locating a call by its time needs.
         */
        boolean spans(long millis) {
            return Math.max(to, millis) - Math.min(from, millis) <= CaptureSegments.MAX_SPAN_MILLIS;
        }

        void add(byte[] line, long millis) {
            out.writeBytes(line);
            out.write('\n');
            count++;
            from = Math.min(from, millis);
            to = Math.max(to, millis);
        }

        void reset() {
            out.reset();
            count = 0;
            from = Long.MAX_VALUE;
            to = Long.MIN_VALUE;
        }
    }

    /**
     * Stops taking captures, writes what is queued (waiting at most 10 s for a slow store), then
     * stops the writer; what could not be written in time is counted as dropped. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread t = writer;
        if (t == null) {
            return;   // nothing was ever captured
        }
        // a flush, not a look at the queue: the writer may hold a batch it took but has not written
        flush(Duration.ofSeconds(10));
        t.interrupt();
        List<Object> left = new ArrayList<>();
        queue.drainTo(left);
        for (Object o : left) {
            if (o instanceof Pending) {
                dropped.incrementAndGet();
            } else {
                ((Flush) o).done().countDown();
            }
        }
    }

    @Override
    public String toString() {
        return "CaptureHub[" + name + ", " + stats() + "]";
    }
}
