package dev.finetune4j.internal.store;

import dev.finetune4j.internal.json.ExampleCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * How blobs are verified: in chunks of 1 MiB, each with its SHA-256 kept beside the blob (its chunk
 * table: the digests one after another), so a reader is handed a chunk only after the whole chunk
 * matched, even a reader that stops early. A blob of at most one chunk keeps no table: its id, the
 * SHA-256 of its content, is the digest of its only chunk.
 */
final class BlobChunks {

    /** The chunk size: also the JDBC store's row size. */
    static final int SIZE = 1 << 20;
    /** Bytes of one digest in a chunk table. */
    static final int DIGEST = 32;
    /** The id of the empty blob. */
    static final String EMPTY_ID = HexFormat.of().formatHex(ExampleCodec.sha256(new byte[0]));

    private BlobChunks() {}

    /** How many chunks a blob of {@code size} bytes has (0 for the empty blob). */
    static int count(long size) {
        long n = (size + SIZE - 1) / SIZE;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a blob of " + size + " bytes is too large");
        }
        return (int) n;
    }

    /** The length of chunk {@code seq} of a blob of {@code size} bytes. */
    static int length(long size, int seq) {
        return (int) Math.min(SIZE, size - (long) seq * SIZE);
    }

    /** Whether a blob of this size keeps a chunk table (it has more than one chunk). */
    static boolean hasTable(long size) {
        return count(size) > 1;
    }

    /**
     * What is wrong with a chunk table for a blob of {@code size} bytes, or null when it fits: a blob
     * of more than one chunk needs a table of one digest per chunk.
     */
    static String tableProblem(long size, byte[] table) {
        if (!hasTable(size)) {
            return null;
        }
        if (table == null) {
            return "its chunk checksums are missing";
        }
        if (table.length != count(size) * DIGEST) {
            return "its chunk table has " + table.length + " bytes; its " + count(size) + " chunks need "
                    + (count(size) * DIGEST);
        }
        return null;
    }

    /** The digest chunk {@code seq} must have: from the table, or the id for a one-chunk blob. */
    static byte[] expected(String id, byte[] table, int seq) {
        return table == null ? HexFormat.of().parseHex(id)
                : Arrays.copyOfRange(table, seq * DIGEST, (seq + 1) * DIGEST);
    }

    /**
     * Computes a blob's id and chunk table while its content streams by. The first chunk is hashed
     * once: its digest is the id's digest state copied at the chunk boundary (for a one-chunk blob
     * it is the id itself). The later chunks are hashed on the common fork-join pool while the caller's
     * thread hashes the whole content, so a large blob costs one pass of SHA-256 in wall time, not two;
     * at most {@value #IN_FLIGHT} chunks wait for their digest, so memory stays bounded.
     */
    static final class Hasher {
        /** Chunks handed to the pool and not yet digested, at most. */
        static final int IN_FLIGHT = 2;

        private final MessageDigest whole = ExampleCodec.sha256();
        private final ByteArrayOutputStream table = new ByteArrayOutputStream();
        private final ArrayDeque<Pending> pending = new ArrayDeque<>();
        private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
        private byte[] current;
        private long size;
        private int inChunk;
        private String id;

        /** A chunk being digested on the pool, and the buffer it was copied into (reused once it is done). */
        private record Pending(CompletableFuture<byte[]> digest, byte[] buffer) {}

        void update(byte[] b, int off, int len) {
            while (len > 0) {
                int n = Math.min(len, SIZE - inChunk);
                whole.update(b, off, n);
                if (size >= SIZE) {
                    if (current == null) {
                        current = spare.isEmpty() ? new byte[SIZE] : spare.pop();
                    }
                    System.arraycopy(b, off, current, inChunk, n);
                }
                size += n;
                inChunk += n;
                off += n;
                len -= n;
                if (inChunk == SIZE) {
                    if (size == SIZE) {
                        table.writeBytes(copy(whole).digest());
                    } else {
                        submit(SIZE);
                    }
                    inChunk = 0;
                }
            }
        }

        private void submit(int length) {
            if (pending.size() >= IN_FLIGHT) {
                drainOne();
            }
            byte[] chunk = current;
            current = null;
            pending.add(new Pending(CompletableFuture.supplyAsync(() -> {
                MessageDigest d = ExampleCodec.sha256();
                d.update(chunk, 0, length);
                return d.digest();
            }, ForkJoinPool.commonPool()), chunk));
        }

        private void drainOne() {
            Pending oldest = pending.poll();
            table.writeBytes(oldest.digest().join());
            spare.push(oldest.buffer());
        }

        private static MessageDigest copy(MessageDigest d) {
            try {
                return (MessageDigest) d.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the SHA-256 implementation cannot be copied", e);
            }
        }

        /** Ends the content; call once, then read {@link #id()}, {@link #size()}, {@link #table()}. */
        Hasher finish() {
            if (inChunk > 0 && size > SIZE) {
                submit(inChunk);
            }
            inChunk = 0;
            while (!pending.isEmpty()) {
                drainOne();
            }
            spare.clear();
            return this;
        }

        String id() {
            if (id == null) {
                id = HexFormat.of().formatHex(whole.digest());
            }
            return id;
        }

        long size() {
            return size;
        }

        /** The chunk table, or null for a blob of at most one chunk (which needs none). */
        byte[] table() {
            return hasTable(size) ? table.toByteArray() : null;
        }
    }

    /** Reads one chunk of a blob from where a store keeps it. */
    interface Source {
        /**
         * Reads chunk {@code seq} into {@code into} (at least {@code length} long): returns how many
         * bytes it has ({@code length} when intact, fewer when the blob is truncated, more when it
         * has grown), or -1 when the chunk is missing altogether.
         */
        int read(int seq, byte[] into, int length) throws IOException;
    }

    /** What a full check of a blob found; see {@link #check}. */
    record Check(String contentProblem, String tableProblem, byte[] table) {
        boolean ok() {
            return contentProblem == null && tableProblem == null;
        }
    }

    /**
     * Reads every chunk of a blob and checks it: the content against the id, then the chunk table
     * against the content. A table problem with intact content can be mended without guessing:
     * the returned {@code table} is then the right one.
     */
    static Check check(String id, long size, byte[] table, Source source) throws IOException {
        Hasher hasher = new Hasher();
        String missing = null;
        int count = count(size);
        byte[] buf = new byte[(int) Math.min(SIZE, size)];
        for (int seq = 0; seq < count && missing == null; seq++) {
            int n = source.read(seq, buf, length(size, seq));
            if (n < 0) {
                missing = "chunk " + seq + " of " + count + " is missing";
            } else if (n != length(size, seq)) {
                missing = "chunk " + seq + " of " + count + " has " + n + " bytes, not " + length(size, seq);
            } else {
                hasher.update(buf, 0, n);
            }
        }
        hasher.finish();
        if (missing != null) {
            return new Check(missing, null, null);
        }
        if (!hasher.id().equals(id)) {
            return new Check("its content hashes to " + hasher.id() + ", not to its id", null, null);
        }
        byte[] right = hasher.table();
        String tableProblem = tableProblem(size, table);
        if (tableProblem == null && right != null && !Arrays.equals(right, table)) {
            tableProblem = "its chunk checksums do not match its (intact) content";
        }
        return new Check(null, tableProblem, right);
    }
}
