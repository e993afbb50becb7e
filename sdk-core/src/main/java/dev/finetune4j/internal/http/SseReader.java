package dev.finetune4j.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
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
 * <p>Not thread-safe. {@link #close()} closes the input; iterating to the end closes it too.
 */
public final class SseReader implements Iterator<SseEvent>, Closeable {

    /** The data line that ends OpenAI-style streams. */
    public static final String DONE = "[DONE]";

    /** The longest line accepted, against a server that never ends one. */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final InputStream in;
    private final Function<String, ? extends RuntimeException> errorEvent;
    private final Function<IOException, ? extends RuntimeException> readFailure;
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
            throw readFailure.apply(e);
        } catch (RuntimeException e) {
            finish();
            throw e;
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

    private void finish() {
        finished = true;
        next = null;
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
