package dev.finetune4j.spi.kit;

import dev.finetune4j.internal.http.TimeoutWatchdog;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a {@code text/event-stream} (WHATWG HTML, "Server-sent events") as an iterator of
 * {@link SseEvent}s.
 *
 * <p>Lines end with {@code \r\n}, {@code \n} or {@code \r}; a leading byte-order mark is skipped;
 * lines starting with {@code :} are comments (keep-alives); {@code data:} lines of one event are
 * joined with {@code \n}; the event type comes from {@code event:}. Lines are split on bytes and
 * decoded as whole lines, so a chunk boundary anywhere, even inside a multi-byte UTF-8 character,
 * changes nothing.
 *
 * <p>The stream ends at a {@code [DONE]} data line (OpenAI, Mistral, vLLM), which is not
 * delivered, or at the end of input; an event the input ends in the middle of is still delivered
 * when it has data (more lenient than the standard, which drops it). An {@code event: error} is
 * not delivered: {@link #hasNext()} throws the exception the error mapper makes of its data.
 *
 * <p>A reader {@link ProviderHttp#stream(ApiRequest)} made also knows the answer it reads: its
 * {@linkplain #headers() headers}, and the exceptions for data the caller cannot use ({@link
 * #unexpectedData}) or that reports an error ({@link #errorData}), with the call's provider, path
 * and status and the secret redacted. Part of the provider kit (see the package documentation).
 *
 * <p>Not thread-safe. {@link #close()} closes the input; iterating to the end closes it too.
 */
public final class SseReader implements Iterator<SseEvent>, Closeable {

    /** The data line that ends OpenAI-style streams. */
    public static final String DONE = "[DONE]";

    /** The longest line accepted, against a server that never ends one. */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);

    private final InputStream in;
    private final Function<String, ? extends RuntimeException> errorEvent;
    private final Function<IOException, ? extends RuntimeException> readFailure;
    private final ProviderErrors.CallInfo call;
    private final int status;
    private final HttpHeaders headers;
    /** Set by the watchdog's thread before it closes the input. */
    private volatile Duration timedOut;
    private TimeoutWatchdog.Watch watch;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;
    private boolean skipLineFeed;
    private boolean firstLine = true;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private String eventType = "";
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String lastId = "";

    private SseEvent next;
    private boolean finished;

    /**
     * A reader whose error events become {@link IllegalStateException}s and whose read failures
     * become {@link UncheckedIOException}s (for tests and simple uses).
     */
    public SseReader(InputStream in) {
        this(in, data -> new IllegalStateException("error event in the stream: " + data), UncheckedIOException::new);
    }

    /**
     * A reader.
     *
     * @param in the stream, read as it arrives
     * @param errorEvent makes the exception for the data of an {@code event: error}
     * @param readFailure makes the exception for a failed read
     */
    public SseReader(InputStream in, Function<String, ? extends RuntimeException> errorEvent,
            Function<IOException, ? extends RuntimeException> readFailure) {
        this.in = Objects.requireNonNull(in, "in");
        this.errorEvent = Objects.requireNonNull(errorEvent, "errorEvent");
        this.readFailure = Objects.requireNonNull(readFailure, "readFailure");
        this.call = null;
        this.status = 0;
        this.headers = NO_HEADERS;
    }

    /** The reader of a 2xx answer of {@link ProviderHttp#stream(ApiRequest)}. */
    SseReader(InputStream in, ProviderErrors.CallInfo call, int status, HttpHeaders headers) {
        this.in = Objects.requireNonNull(in, "in");
        this.call = Objects.requireNonNull(call, "call");
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.errorEvent = data -> ProviderErrors.fromStreamError(call, status, headers, data);
        this.readFailure = e -> ProviderErrors.transport(call, 1, e, true);
    }

    /**
     * Bounds the rest of the read: once {@code left} has passed, the input is closed (from the
     * watchdog's thread) and reading ends in a {@link dev.finetune4j.TransportException} naming
     * {@code timeout}.
     */
    void limit(Duration timeout, Duration left) {
        if (left.isNegative() || left.isZero()) {
            expire(timeout);
            return;
        }
        watch = TimeoutWatchdog.SHARED.watch(left, () -> expire(timeout));
    }

    private void expire(Duration timeout) {
        timedOut = timeout;
        try {
            in.close();
        } catch (IOException ignored) {
            // the reading thread sees the end of input, or a failed read, either way
        }
    }

    /** The answer's headers; none for a reader made over a bare stream. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The provider's request id from the answer's headers ({@link ProviderErrors#requestId}). */
    public Optional<String> requestId() {
        return ProviderErrors.requestId(headers);
    }

    /**
     * The exception for an event whose data the caller cannot use (not JSON, say): for a reader of
     * {@link ProviderHttp#stream(ApiRequest)} the {@link ProviderErrors#unexpectedBody} of the call,
     * quoting a bounded excerpt of the data; for a reader over a bare stream an {@link
     * IllegalStateException} with the same text. The reader is closed.
     *
     * @param what what is wrong, such as {@code "a chunk of the chat stream is not JSON"}
     */
    public RuntimeException unexpectedData(String data, String what) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(what, "what");
        finish();
        if (call == null) {
            return new IllegalStateException(what + ": " + data);
        }
        return ProviderErrors.unexpectedBody(call, status, headers, data, what);
    }

    /**
     * The exception for event data that reports an error (a chunk holding an {@code error}
     * object): what an {@code event: error} with this data becomes ({@link
     * ProviderErrors#fromStreamError} for a reader of {@link ProviderHttp#stream(ApiRequest)}).
     * The reader is closed.
     */
    public RuntimeException errorData(String data) {
        Objects.requireNonNull(data, "data");
        finish();
        return errorEvent.apply(data);
    }

    /**
     * Whether another event follows; reads until one is complete.
     *
     * @throws RuntimeException the mapped error event or read failure
     */
    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (finished) {
            return false;
        }
        try {
            next = readEvent();
        } catch (IOException e) {
            finish();
            throw timedOut != null ? timeout() : readFailure.apply(e);
        } catch (RuntimeException e) {
            finish();
            throw timedOut != null ? timeout() : e;
        }
        if (timedOut != null) {
            // what was read after the time was up may be cut anywhere
            next = null;
            finish();
            throw timeout();
        }
        if (next == null) {
            finish();
            return false;
        }
        return true;
    }

    @Override
    public SseEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the event stream has ended");
        }
        SseEvent e = next;
        next = null;
        return e;
    }

    /** The remaining events as a stream that closes this reader when it is closed. */
    public Stream<SseEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                        false)
                .onClose(this::close);
    }

    /** Stops reading and closes the input. */
    @Override
    public void close() {
        finish();
    }

    private RuntimeException timeout() {
        HttpTimeoutException cause = new HttpTimeoutException("the stream did not end within " + timedOut);
        return call == null ? new UncheckedIOException(cause) : ProviderErrors.transport(call, 1, cause, true);
    }

    private void finish() {
        finished = true;
        next = null;
        if (watch != null) {
            watch.stop();
        }
        try {
            in.close();
        } catch (IOException ignored) {
            // Nothing more will be read; a failure to release the connection changes nothing for the caller.
        }
    }

    /** The next event to deliver, or null at the end of the stream. */
    private SseEvent readEvent() throws IOException {
        while (true) {
            String l = readLine();
            if (l == null) {
                return hasData ? dispatch() : null;
            }
            if (l.isEmpty()) {
                if (hasData) {
                    return dispatch();
                }
                eventType = "";
                continue;
            }
            if (l.charAt(0) == ':') {
                continue;
            }
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            String value = colon < 0 ? "" : l.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> {
                    data.append(value).append('\n');
                    hasData = true;
                }
                case "event" -> eventType = value;
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastId = value;
                    }
                }
                default -> {
                    // "retry" and unknown fields are ignored, as the standard says.
                }
            }
        }
    }

    private SseEvent dispatch() {
        String d = data.substring(0, data.length() - 1);
        String type = eventType.isEmpty() ? "message" : eventType;
        data.setLength(0);
        hasData = false;
        eventType = "";
        if (DONE.equals(d)) {
            return null;
        }
        if ("error".equals(type)) {
            throw errorEvent.apply(d);
        }
        return new SseEvent(type, d, lastId);
    }

    /** The next line without its terminator, or null at the end of input with nothing pending. */
    private String readLine() throws IOException {
        line.reset();
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit == 0) {
                    continue;
                }
                if (limit < 0) {
                    limit = 0;
                    if (line.size() == 0) {
                        return null;
                    }
                    return decode();
                }
            }
            byte b = buffer[pos++];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                return decode();
            }
            if (b == '\r') {
                skipLineFeed = true;
                return decode();
            }
            if (line.size() == MAX_LINE_BYTES) {
                throw new IOException("event stream line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
    }

    private String decode() {
        byte[] bytes = line.toByteArray();
        int start = 0;
        if (firstLine) {
            firstLine = false;
            if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
                start = 3;
            }
        }
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }
}
