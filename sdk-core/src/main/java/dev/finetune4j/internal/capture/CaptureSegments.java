package dev.finetune4j.internal.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.ConflictException;
import dev.finetune4j.CorruptDataException;
import dev.finetune4j.Tenant;
import dev.finetune4j.capture.Capture;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VersionStore;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capture segments in the store: each is a blob of capture lines (JSONL, content-addressed and
 * verified on read like every blob) and a record naming it. Segments are written once; the only
 * change is the mark of a prune ({@link CaptureRetention}), after which readers skip the segment.
 *
 * <p>A segment's record lives in {@value #COLLECTION} with the id {@code TO-FROM-RANDOM/assistant}:
 * the call-id times of its last and first capture as 12 hex digits each, so the collection, listed
 * in id order, is ordered by end time across all assistants, and no segment spans more than
 * {@value #MAX_SPAN_MILLIS} ms (the writer cuts a batch that would). The segments that may hold a
 * time are therefore found by listing from {@code hex(time)} (the store's listing starts after
 * any id, see {@link VersionStore#list}) up to the first segment ending more than the span after
 * it; the first listed is, with one writer, the one holding the time, and a lookup stops there.
 * A handful of keys however many segments there are, and no record besides the segments to keep
 * consistent: a prune deletes a segment's record as before.
 *
 * <p>Stores written before that layout hold segments in {@value #LEGACY} with the id
 * {@code assistant/FROM-TO-RANDOM}, ordered by assistant and unbounded in span. They are still
 * read, by listing all of them: that costs a listing of every legacy segment on each lookup that
 * reaches them, until retention or {@code prune} deletes them. A store with none pays one empty
 * listing, and only for a call not found among the time-ordered segments. Processes of earlier
 * versions read only the legacy layout: they do not see segments written in this one.
 */
final class CaptureSegments {

    /** The collection of segment records, ordered by end time. */
    static final String COLLECTION = "capture-segments";
    /** The collection of segment records written before {@link #COLLECTION}: read and pruned, never written. */
    static final String LEGACY = "captures";
    /** The longest time between the first and the last capture of a segment, in milliseconds. */
    static final long MAX_SPAN_MILLIS = 2000;
    /** The keys of the first page of a time-bounded listing; each further page doubles it, up to 1000. */
    static final int FIRST_PAGE = 8;
    private static final HexFormat HEX = HexFormat.of();

    private CaptureSegments() {}

    /** One segment's record key, with the time range its id holds. */
    record Segment(StoreKey key, String assistant, long fromMillis, long toMillis) {
        boolean covers(long millis) {
            return fromMillis <= millis && millis <= toMillis;
        }

        boolean overlaps(long from, long to) {
            return fromMillis <= to && toMillis >= from;
        }
    }

    /**
     * Writes the lines (each without a line break) as one segment.
     *
     * @throws IllegalArgumentException if the captures span more than {@value #MAX_SPAN_MILLIS} ms
     *     (the writer cuts before) or a time is outside the 12 hex digits of call ids
     * @throws dev.finetune4j.StoreException when the store refuses; nothing visible is written then
     */
    static void write(VersionStore store, Tenant tenant, String assistant, byte[] jsonl, int count, long fromMillis,
            long toMillis) {
        if (fromMillis < 0 || toMillis < fromMillis || toMillis - fromMillis > MAX_SPAN_MILLIS
                || toMillis >= 1L << 48) {
            throw new IllegalArgumentException("a capture segment spans at most " + MAX_SPAN_MILLIS
                    + " ms of call-id times, was " + fromMillis + " to " + toMillis);
        }
        BlobRef blob = store.putBlob(tenant, new ByteArrayInputStream(jsonl));
        String value = "{\"blob\":\"" + blob.id() + "\",\"size\":" + blob.size() + ",\"count\":" + count + "}";
        for (int attempt = 0; ; attempt++) {
            String id = hex12(toMillis) + "-" + hex12(fromMillis) + "-"
                    + HEX.toHexDigits(ThreadLocalRandom.current().nextInt()) + "/" + assistant;
            try {
                store.write(new StoreKey(tenant, COLLECTION, id), value, 0);
                return;
            } catch (ConflictException e) {
                if (attempt == 3) {
                    throw e;   // four random ids taken: something else is wrong
                }
            }
        }
    }

    private static String hex12(long millis) {
        return HEX.toHexDigits(millis).substring(4);
    }

    /**
     * Every segment of the tenant (of one assistant when not null): the legacy ones first (in start
     * order for one assistant), then the time-ordered ones (in end order).
     */
    static Iterator<Segment> segments(VersionStore store, Tenant tenant, String assistant) {
        return segments(store, tenant, assistant, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The segments that may hold captures stamped from {@code fromMillis} to {@code toMillis}
     * (inclusive), of one assistant or all ({@code null}): the legacy ones first (all listed, the
     * overlapping ones returned), then the time-ordered ones of the range, listed from the first
     * ending at or after {@code fromMillis} up to the first ending more than
     * {@value #MAX_SPAN_MILLIS} ms after {@code toMillis}. Memory stays flat however many segments
     * there are.
     */
    static Iterator<Segment> segments(VersionStore store, Tenant tenant, String assistant, long fromMillis,
            long toMillis) {
        return concat(legacy(store, tenant, assistant, fromMillis, toMillis),
                timeOrdered(store, tenant, assistant, fromMillis, toMillis));
    }

    /** As {@link #segments(VersionStore, Tenant, String, long, long)}, the time-ordered ones first. */
    static Iterator<Segment> newestLayoutFirst(VersionStore store, Tenant tenant, String assistant, long fromMillis,
            long toMillis) {
        return concat(timeOrdered(store, tenant, assistant, fromMillis, toMillis),
                legacy(store, tenant, assistant, fromMillis, toMillis));
    }

    /**
     * The segments of {@value #COLLECTION} that may overlap the range, by end time: listed from the
     * first ending at or after {@code fromMillis} until one ends more than {@value #MAX_SPAN_MILLIS}
     * ms after {@code toMillis} (it and every later one start after the range).
     */
    static Iterator<Segment> timeOrdered(VersionStore store, Tenant tenant, String assistant, long fromMillis,
            long toMillis) {
        // ids greater than hex(from) are those ending at or after it ("X-..." sorts after "X")
        String start = fromMillis <= 0 ? null : hex12(Math.min(fromMillis, (1L << 48) - 1));
        long last = toMillis > Long.MAX_VALUE - MAX_SPAN_MILLIS ? Long.MAX_VALUE : toMillis + MAX_SPAN_MILLIS;
        return new Listing(store, tenant, COLLECTION, start, FIRST_PAGE) {
            @Override
            Segment accept(StoreKey k) {
                Segment s = parseTimeOrdered(k);
                if (s == null) {
                    return null;
                }
                if (s.toMillis() > last) {
                    stop();
                    return null;
                }
                return (assistant == null || s.assistant().equals(assistant)) && s.overlaps(fromMillis, toMillis)
                        ? s : null;
            }
        };
    }

    /** The segments of {@value #LEGACY} that overlap the range, in store order (all of them are listed). */
    static Iterator<Segment> legacy(VersionStore store, Tenant tenant, String assistant, long fromMillis,
            long toMillis) {
        return new Listing(store, tenant, LEGACY, null, 1000) {
            @Override
            Segment accept(StoreKey k) {
                Segment s = parseLegacy(k);
                return s != null && (assistant == null || s.assistant().equals(assistant))
                        && s.overlaps(fromMillis, toMillis) ? s : null;
            }
        };
    }

    private static Iterator<Segment> concat(Iterator<Segment> first, Iterator<Segment> second) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || second.hasNext();
            }

            @Override
            public Segment next() {
                return first.hasNext() ? first.next() : second.next();
            }
        };
    }

    /** The accepted keys of a collection, read a page at a time from a start id, until the end or a stop. */
    private abstract static class Listing implements Iterator<Segment> {
        private final java.util.ArrayDeque<Segment> page = new java.util.ArrayDeque<>();
        private final VersionStore store;
        private final Tenant tenant;
        private final String collection;
        private String after;
        private int limit;
        private boolean last;

        Listing(VersionStore store, Tenant tenant, String collection, String after, int limit) {
            this.store = store;
            this.tenant = tenant;
            this.collection = collection;
            this.after = after;
            this.limit = limit;
        }

        /** The segment of a listed key, or null to skip it. */
        abstract Segment accept(StoreKey k);

        /** Ends the listing after the current page's accepted keys. */
        final void stop() {
            last = true;
        }

        @Override
        public boolean hasNext() {
            while (page.isEmpty() && !last) {
                StorePage p = store.list(tenant, collection, after, limit);
                after = p.nextCursor();
                limit = Math.min(1000, limit * 2);
                boolean end = after == null;
                for (StoreKey k : p.keys()) {
                    Segment s = accept(k);
                    if (s != null) {
                        page.add(s);
                    }
                    if (last) {
                        break;
                    }
                }
                last |= end;
            }
            return !page.isEmpty();
        }

        @Override
        public Segment next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.poll();
        }
    }

    /** A key of {@value #COLLECTION}: {@code TO-FROM-RANDOM/assistant}; null if it is not one. */
    static Segment parseTimeOrdered(StoreKey k) {
        int slash = k.id().indexOf('/');
        if (slash < 0 || k.id().indexOf('/', slash + 1) >= 0) {
            return null;
        }
        return range(k, k.id().substring(0, slash), k.id().substring(slash + 1), true);
    }

    /** A key of {@value #LEGACY}: {@code assistant/FROM-TO-RANDOM}; null if it is not one. */
    static Segment parseLegacy(StoreKey k) {
        int slash = k.id().indexOf('/');
        if (slash < 0) {
            return null;
        }
        return range(k, k.id().substring(slash + 1), k.id().substring(0, slash), false);
    }

    private static Segment range(StoreKey k, String times, String assistant, boolean endFirst) {
        String[] range = times.split("-");
        if (range.length != 3 || range[0].length() != 12 || range[1].length() != 12) {
            return null;
        }
        try {
            long a = Long.parseLong(range[0], 16);
            long b = Long.parseLong(range[1], 16);
            return endFirst ? new Segment(k, assistant, b, a) : new Segment(k, assistant, a, b);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A segment record's value: the blob holding its captures, and whether a prune is deleting it. */
    record Record(ObjectNode node, String blob, long size, long count, boolean pruning) {

        /**
         * Reads a segment record's value.
         *
         * @throws CorruptDataException if it is not one
         */
        static Record parse(Revision r, StoreKey key) {
            try {
                ObjectNode n = (ObjectNode) Json.mapper().readTree(r.value());
                return new Record(n, n.get("blob").textValue(), n.path("size").asLong(), n.path("count").asLong(),
                        n.path("pruning").asBoolean(false));
            } catch (IOException | RuntimeException e) {
                throw new CorruptDataException(key.toString(), "not a capture segment record", e);
            }
        }
    }

    /**
     * The captures of one segment, in written order, read lazily; none when the segment was deleted
     * or is being pruned since it was listed. Close the iterator.
     */
    static CloseableIterator read(VersionStore store, Segment segment) {
        Optional<Revision> r = store.latest(segment.key());
        if (r.isEmpty()) {
            return CloseableIterator.empty();   // pruned since it was listed
        }
        Record record = Record.parse(r.get(), segment.key());
        if (record.pruning()) {
            return CloseableIterator.empty();
        }
        return open(store, segment.key().tenant(), record.blob(), segment.key().toString());
    }

    /**
     * The capture of one call in a segment; none when the segment was deleted or is being pruned
     * since it was listed, or does not hold the call. The data (verified by the store as it is read)
     * is scanned as bytes for the id's text and only a line holding it is decoded, instead of each
     * of the up to {@value CaptureHub#BATCH} captures; the decoded call id must equal the id (the
     * text may also appear in a message).
     */
    static Optional<Capture> find(VersionStore store, Segment segment, String callId) {
        Optional<Revision> r = store.latest(segment.key());
        if (r.isEmpty()) {
            return Optional.empty();
        }
        Record record = Record.parse(r.get(), segment.key());
        if (record.pruning()) {
            return Optional.empty();
        }
        byte[] needle = callId.getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = store.openBlob(segment.key().tenant(), record.blob())) {
            byte[] buf = new byte[1 << 16];
            int len = 0;         // bytes in buf
            int start = 0;       // the current line's first byte
            int scanned = 0;     // [start, scanned) holds no line break
            boolean eof = false;
            long line = 0;
            while (true) {
                int nl = indexOf(buf, (byte) '\n', scanned, len);
                if (nl < 0 && !eof) {
                    System.arraycopy(buf, start, buf, 0, len - start);
                    len -= start;
                    scanned = len;
                    start = 0;
                    if (len == buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2);   // a line longer than the buffer
                    }
                    int n = in.read(buf, len, buf.length - len);
                    if (n < 0) {
                        eof = true;
                    } else {
                        len += n;
                    }
                    continue;
                }
                int end = nl < 0 ? len : nl;
                if (end > start) {
                    line++;
                    if (indexOf(buf, needle, start, end) >= 0) {
                        Capture c = CaptureCodec.read(new String(buf, start, end - start, StandardCharsets.UTF_8),
                                segment.key() + " line " + line);
                        if (c.callId().equals(callId)) {
                            return Optional.of(c);
                        }
                    }
                }
                if (nl < 0) {
                    return Optional.empty();
                }
                start = nl + 1;
                scanned = start;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] a, byte[] needle, int from, int to) {
        outer:
        for (int i = from, last = to - needle.length; i <= last; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (a[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The captures of a segment's blob, read lazily; close the iterator. */
    static CloseableIterator open(VersionStore store, Tenant tenant, String blobId, String where) {
        InputStream in = store.openBlob(tenant, blobId);
        return new CloseableIterator(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), where);
    }

    /** The captures of a segment's blob; {@link #close()} releases the blob. */
    static final class CloseableIterator implements Iterator<Capture>, AutoCloseable {
        /** An iterator of no captures. */
        static CloseableIterator empty() {
            return new CloseableIterator(new BufferedReader(new java.io.StringReader("")), "no segment");
        }
        private final BufferedReader reader;
        private final String where;
        private String next;
        private long line;

        CloseableIterator(BufferedReader reader, String where) {
            this.reader = reader;
            this.where = where;
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    do {
                        next = reader.readLine();
                        line++;
                    } while (next != null && next.isEmpty());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return next != null;
        }

        @Override
        public Capture next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String l = next;
            next = null;
            return CaptureCodec.read(l, where + " line " + line);
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
