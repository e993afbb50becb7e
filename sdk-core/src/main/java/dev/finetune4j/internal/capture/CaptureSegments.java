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
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capture segments in the store: each is a blob of capture lines (JSONL, content-addressed and
 * verified on read like every blob) and a record in {@value #COLLECTION} whose id is
 * {@code assistant/FROM-TO-RANDOM} (the call-id times of its first and last capture as 12 hex
 * digits, so a call id's segment is found from the ids alone) and whose value names the blob.
 * Segments are written once; the only change is the mark of a prune ({@link CaptureRetention}),
 * after which readers skip the segment.
 */
final class CaptureSegments {

    /** The collection of segment records. */
    static final String COLLECTION = "captures";
    private static final HexFormat HEX = HexFormat.of();

    private CaptureSegments() {}

    /** One segment's record key, with the time range its id holds. */
    record Segment(StoreKey key, String assistant, long fromMillis, long toMillis) {
        boolean covers(long millis) {
            return fromMillis <= millis && millis <= toMillis;
        }
    }

    /**
     * Writes the lines (each without a line break) as one segment.
     *
     * @throws dev.finetune4j.StoreException when the store refuses; nothing visible is written then
     */
    static void write(VersionStore store, Tenant tenant, String assistant, byte[] jsonl, int count, long fromMillis,
            long toMillis) {
        BlobRef blob = store.putBlob(tenant, new ByteArrayInputStream(jsonl));
        String value = "{\"blob\":\"" + blob.id() + "\",\"size\":" + blob.size() + ",\"count\":" + count + "}";
        for (int attempt = 0; ; attempt++) {
            String id = assistant + "/" + hex12(fromMillis) + "-" + hex12(toMillis) + "-"
                    + HEX.toHexDigits(ThreadLocalRandom.current().nextInt());
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
     * The segments of the tenant (of one assistant when not null), in store order, read a page of
     * 1000 keys at a time: memory stays flat however many segments there are.
     */
    static Iterator<Segment> segments(VersionStore store, Tenant tenant, String assistant) {
        return new Iterator<>() {
            private final java.util.ArrayDeque<Segment> page = new java.util.ArrayDeque<>();
            private String after;
            private boolean last;

            @Override
            public boolean hasNext() {
                while (page.isEmpty() && !last) {
                    StorePage p = store.list(tenant, COLLECTION, after, 1000);
                    for (StoreKey k : p.keys()) {
                        Segment s = parse(k);
                        if (s != null && (assistant == null || s.assistant().equals(assistant))) {
                            page.add(s);
                        }
                    }
                    after = p.nextCursor();
                    last = after == null;
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
        };
    }

    private static Segment parse(StoreKey k) {
        int slash = k.id().indexOf('/');
        if (slash < 0) {
            return null;
        }
        String[] range = k.id().substring(slash + 1).split("-");
        if (range.length != 3 || range[0].length() != 12 || range[1].length() != 12) {
            return null;
        }
        try {
            return new Segment(k, k.id().substring(0, slash), Long.parseLong(range[0], 16), Long.parseLong(range[1], 16));
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
