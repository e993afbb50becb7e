package dev.finetune4j.huggingface.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.huggingface.HuggingFaceProviderFactory;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.ProviderErrors;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.ProviderJson;
import dev.finetune4j.spi.kit.RawResponse;
import dev.finetune4j.spi.kit.SseEvent;
import dev.finetune4j.spi.kit.SseReader;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a job's logs ({@code GET /api/jobs/{namespace}/{id}/logs}, server-sent events whose data
 * is {@code {"data": <line>, "timestamp": <ISO time>}}, with {@code : keep-alive} comments).
 *
 * <p>The server keeps the stream of a running job open and only sends keep-alives once the lines
 * printed so far are out, so a read never follows: like huggingface_hub without {@code follow},
 * it stops when no line arrived for the idle timeout (default 5 s) or after the total timeout
 * (default 30 s), whichever comes first, and returns what it has. A finished job's stream simply
 * ends. Every read starts from the first line; callers skip what they have seen (their cursor is
 * the number of lines seen). The timeouts run on real time (they bound network waits), on one
 * shared daemon thread that closes a stream that overstays. Thread-safe.
 */
public final class JobLogs {

    /** {@link #readAll} may take this many times the total timeout. */
    public static final int READ_ALL_FACTOR = 4;

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.provider(HuggingFaceProviderFactory.ID));
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "finetune4j-hf-logs-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final ProviderHttp http;
    private final Duration idle;
    private final Duration total;

    /**
     * A reader.
     *
     * @param idle stop when no line arrived for this long
     * @param total stop after this long in any case
     */
    public JobLogs(ProviderHttp http, Duration idle, Duration total) {
        this.http = Objects.requireNonNull(http, "http");
        this.idle = Objects.requireNonNull(idle, "idle");
        this.total = Objects.requireNonNull(total, "total");
    }

    /**
     * One log line.
     *
     * @param number its position, from 1
     * @param at its timestamp, or {@code null} when the server gave none
     * @param text the line
     */
    public record Line(long number, Instant at, String text) {}

    /**
     * The result of one read.
     *
     * @param lines the lines after the skipped ones, at most the limit
     * @param ended whether the stream ended (the job's log is complete) rather than timing out
     */
    public record Read(List<Line> lines, boolean ended) {}

    /**
     * Reads the lines available now.
     *
     * @param skip how many lines the caller has seen
     * @param limit the most lines to return
     */
    public Read read(String namespace, String jobId, long skip, int limit) {
        List<Line> lines = new ArrayList<>();
        boolean ended = read(namespace, jobId, (Line line) -> {
            if (line.number() > skip && lines.size() < limit) {
                lines.add(line);
            }
        }, () -> lines.size() >= limit);
        return new Read(lines, ended);
    }

    /**
     * Reads every line available now, in order, allowing {@value #READ_ALL_FACTOR} times the total
     * timeout (a finished job's whole log, for its final metrics).
     *
     * @return whether the stream ended
     */
    public boolean readAll(String namespace, String jobId, Consumer<Line> sink) {
        return read(namespace, jobId, sink, () -> false, total.multipliedBy(READ_ALL_FACTOR));
    }

    private boolean read(String namespace, String jobId, Consumer<Line> sink, BooleanSupplier enough) {
        return read(namespace, jobId, sink, enough, total);
    }

    private boolean read(String namespace, String jobId, Consumer<Line> sink, BooleanSupplier enough,
            Duration limit) {
        String path = "/api/jobs/" + ApiRequest.segment(namespace) + "/" + ApiRequest.segment(jobId) + "/logs";
        // The answer's headers must come within the read's limit too (a queued job's stream may be slow to start).
        RawResponse response = http.send(ApiRequest.get(path).accept("text/event-stream").timeout(limit).build());
        ProviderErrors.CallInfo call = new ProviderErrors.CallInfo(http.provider(), "GET", path, null);
        Watched in = new Watched(response.body());
        in.watch(idle, limit);
        long number = 0;
        try (SseReader events = new SseReader(in,
                data -> ProviderErrors.fromStreamError(call, response.status(), response.headers(), data),
                e -> in.expired.get() ? new Expired() : ProviderErrors.transport(call, 1, e, true))) {
            while (events.hasNext()) {
                SseEvent event = events.next();
                in.touch();
                number++;
                sink.accept(line(number, event.data()));
                if (enough.getAsBoolean()) {
                    return false;
                }
            }
            return !in.expired.get();
        } catch (Expired e) {
            LOG.debug("huggingface: stopped reading the logs of {} after {} lines (no more for now)", jobId, number);
            return false;
        } finally {
            in.done.set(true);
        }
    }

    /** A line from an event's data: the JSON form, or the data itself when it is not JSON. */
    static Line line(long number, String data) {
        if (data.startsWith("{")) {
            try {
                JsonNode node = ProviderJson.mapper().readTree(data);
                if (node.has("data")) {
                    return new Line(number, JobJson.instant(node.path("timestamp")), node.path("data").asText(""));
                }
            } catch (IOException notJson) {
                // the data is the line
            }
        }
        return new Line(number, null, data);
    }

    /** The watchdog ended the read: not an error, just the end of what is available now. */
    private static final class Expired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Expired() {
            super("the log stream was idle", null, false, false);
        }
    }

    /** The response body, closed by the watchdog when the read is idle or too long. */
    private static final class Watched extends InputStream {
        private final InputStream in;
        final AtomicBoolean expired = new AtomicBoolean();
        final AtomicBoolean done = new AtomicBoolean();
        private volatile long lastLine = System.nanoTime();
        private long start;
        private long idleNanos;
        private long totalNanos;

        Watched(InputStream in) {
            this.in = in;
        }

        void watch(Duration idle, Duration total) {
            start = System.nanoTime();
            lastLine = start;
            idleNanos = idle.toNanos();
            totalNanos = total.toNanos();
            schedule(Math.min(idleNanos, totalNanos));
        }

        void touch() {
            lastLine = System.nanoTime();
        }

        private void schedule(long nanos) {
            WATCHDOG.schedule(this::check, Math.max(1, nanos), TimeUnit.NANOSECONDS);
        }

        private void check() {
            if (done.get()) {
                return;
            }
            long now = System.nanoTime();
            long idleLeft = lastLine + idleNanos - now;
            long totalLeft = start + totalNanos - now;
            if (idleLeft <= 0 || totalLeft <= 0) {
                expired.set(true);
                try {
                    in.close();
                } catch (IOException e) {
                    LOG.debug("could not close an idle log stream", e);
                }
                return;
            }
            schedule(Math.min(idleLeft, totalLeft));
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n < 0 && expired.get()) {
                throw new IOException("closed by the idle watchdog");
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            done.set(true);
            in.close();
        }
    }
}
