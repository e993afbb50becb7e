package dev.finetune4j.spi.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseReaderTest {

    /** Every line ending, a BOM, comments, named events, multi-line data, ids, non-ASCII, then [DONE]. */
    private static final byte[] STREAM = bytes("\uFEFF: keep-alive\n"
            + "data: {\"a\":1}\r\n"
            + "\r\n"
            + "event: metric\n"
            + "data: line1\n"
            + "data: line2\n"
            + "id: 7\n"
            + "retry: 1000\n"
            + "\n"
            + "data:no-space\r"
            + "\r"
            + ": comment between events\r\n"
            + "data: 你好 🌍 héllo\n"
            + "\n"
            + "data\n"
            + "\n"
            + "event: ignored-because-no-data\n"
            + "\n"
            + "data:  two leading spaces keep one\n"
            + "\n"
            + "data: [DONE]\n"
            + "\n"
            + "data: never delivered\n\n");

    private static final List<SseEvent> EXPECTED = List.of(
            new SseEvent("message", "{\"a\":1}", ""),
            new SseEvent("metric", "line1\nline2", "7"),
            new SseEvent("message", "no-space", "7"),
            new SseEvent("message", "你好 🌍 héllo", "7"),
            new SseEvent("message", "", "7"),
            new SseEvent("message", " two leading spaces keep one", "7"));

    @Test
    void wholeStream_givesEveryEvent_andStopsAtDone() {
        assertThat(readAll(new ByteArrayInputStream(STREAM))).isEqualTo(EXPECTED);
    }

    @Test
    void streamFedByteByByte_givesTheSameEvents() {
        assertThat(readAll(new ChunkedInputStream(STREAM, () -> 1))).isEqualTo(EXPECTED);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99_999})
    void streamInRandomSplits_givesTheSameEvents(long seed) {
        Random random = new Random(seed);

        assertThat(readAll(new ChunkedInputStream(STREAM, () -> 1 + random.nextInt(17)))).isEqualTo(EXPECTED);
    }

    @Test
    void everySplitPoint_insideMultiByteCharactersToo_givesTheSameEvents() {
        for (int cut = 1; cut < STREAM.length; cut++) {
            int first = cut;
            boolean[] firstRead = {true};
            InputStream in = new ChunkedInputStream(STREAM, () -> {
                if (firstRead[0]) {
                    firstRead[0] = false;
                    return first;
                }
                return Integer.MAX_VALUE;
            });
            assertThat(readAll(in)).as("split after byte %d", cut).isEqualTo(EXPECTED);
        }
    }

    @Test
    void streamEndingWithoutDoneOrBlankLine_stillDeliversTheLastEvent() {
        List<SseEvent> events = readAll(new ByteArrayInputStream(bytes("data: {\"x\":1}\n\ndata: {\"x\":2}")));

        assertThat(events).extracting(SseEvent::data).containsExactly("{\"x\":1}", "{\"x\":2}");
    }

    @Test
    void hfLogStream_withKeepAlivesAndNoDone_endsWithTheInput() {
        String logs = "data: {\"data\":\"===== Job started\",\"timestamp\":\"2026-01-01T00:00:00Z\"}\n\n"
                + ": keep-alive\n\n"
                + "data: {\"data\":\"epoch 1 loss 0.42\",\"timestamp\":\"2026-01-01T00:00:01Z\"}\n\n";

        assertThat(readAll(new ByteArrayInputStream(bytes(logs)))).hasSize(2);
    }

    @Test
    void errorEvent_isThrownWithItsData_andTheInputIsClosed() {
        CloseTracking in = new CloseTracking(bytes("data: ok\n\nevent: error\ndata: {\"error\":\"overloaded\"}\n\ndata: later\n\n"));
        SseReader reader = new SseReader(in, data -> new IllegalArgumentException("error: " + data), UncheckedIOException::new);

        assertThat(reader.next().data()).isEqualTo("ok");
        assertThatThrownBy(reader::hasNext)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("error: {\"error\":\"overloaded\"}");
        assertThat(in.closed).isTrue();
        assertThat(reader.hasNext()).isFalse();
    }

    @Test
    void readFailure_goesThroughTheMapper() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Connection reset");
            }
        };
        SseReader reader = new SseReader(failing, IllegalStateException::new, e -> new IllegalStateException("mapped: " + e.getMessage()));

        assertThatThrownBy(reader::hasNext).hasMessage("mapped: Connection reset");
    }

    @Test
    void iteratingToTheEnd_closesTheInput_andNextThenFails() {
        CloseTracking in = new CloseTracking(bytes("data: a\n\ndata: [DONE]\n\n"));
        SseReader reader = new SseReader(in);

        assertThat(reader.next().data()).isEqualTo("a");
        assertThat(reader.hasNext()).isFalse();
        assertThat(in.closed).isTrue();
        assertThatThrownBy(reader::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void stream_closesTheReaderWhenClosed() {
        CloseTracking in = new CloseTracking(bytes("data: a\n\ndata: b\n\n"));

        try (var events = new SseReader(in).stream()) {
            assertThat(events.findFirst()).map(SseEvent::data).contains("a");
        }
        assertThat(in.closed).isTrue();
    }

    private static List<SseEvent> readAll(InputStream in) {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(in)) {
            reader.forEachRemaining(events::add);
        }
        return events;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Hands out the bytes in chunks of the sizes a supplier chooses, as a network would. */
    static final class ChunkedInputStream extends InputStream {
        private final byte[] data;
        private final IntSupplier chunk;
        private int pos;

        ChunkedInputStream(byte[] data, IntSupplier chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk.getAsInt()), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static final class CloseTracking extends ByteArrayInputStream {
        boolean closed;

        CloseTracking(byte[] buf) {
            super(buf);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
