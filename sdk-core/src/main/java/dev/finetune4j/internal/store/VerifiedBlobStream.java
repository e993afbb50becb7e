package dev.finetune4j.internal.store;

import dev.finetune4j.CorruptDataException;
import dev.finetune4j.internal.json.ExampleCodec;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob's content, handed out one verified chunk at a time: chunk n is read whole and compared
 * with its digest (see {@link BlobChunks}) before any of its bytes is returned, so a reader that
 * stops early, or that meets damage late, has only ever been given verified bytes. Damage throws
 * {@link CorruptDataException} from {@code read}, naming the blob's location. Holds at most one
 * chunk (1 MiB) in memory.
 */
final class VerifiedBlobStream extends InputStream {

    private final String location;
    private final String id;
    private final long size;
    private final byte[] table;
    private final BlobChunks.Source source;
    private final Closeable resource;
    private final int count;
    private int seq;
    private byte[] chunk;
    private int limit;
    private int pos;

    /**
     * Opens the stream; the table is checked against the size here, the chunks as they are read.
     *
     * @param location the blob's file or rows, for messages
     * @param table the chunk table, null for a blob of at most one chunk
     * @param resource closed with the stream (the open file), or null
     * @throws CorruptDataException if the table does not fit the size, or the empty blob has another id
     */
    VerifiedBlobStream(String location, String id, long size, byte[] table, BlobChunks.Source source,
            Closeable resource) {
        this.location = location;
        this.id = id;
        this.size = size;
        this.table = BlobChunks.hasTable(size) ? table : null;
        this.source = source;
        this.resource = resource;
        this.count = BlobChunks.count(size);
        // one buffer for the stream's life: chunks are verified in it, then handed out from it
        this.chunk = new byte[(int) Math.min(BlobChunks.SIZE, size)];
        String problem = BlobChunks.tableProblem(size, table);
        if (problem == null && size == 0 && !id.equals(BlobChunks.EMPTY_ID)) {
            problem = "it is empty, but its id is not the empty content's: it was truncated";
        }
        if (problem != null) {
            closeQuietly();
            throw damaged(problem);
        }
    }

    private CorruptDataException damaged(String problem) {
        return new CorruptDataException(location, "blob " + id + " (" + location + ") is damaged: " + problem
                + "; restore it from a backup (`finetune4j store verify` lists every damaged item)");
    }

    private boolean fill() throws IOException {
        if (seq == count) {
            return false;
        }
        int length = BlobChunks.length(size, seq);
        limit = 0;
        pos = 0;
        int n = source.read(seq, chunk, length);
        long from = (long) seq * BlobChunks.SIZE;
        if (n < 0) {
            throw damaged("chunk " + seq + " of " + count + " (bytes " + from + "-" + (from + length - 1) + ") is missing");
        }
        if (n != length) {
            throw damaged("chunk " + seq + " of " + count + " has " + n + " bytes, not " + length
                    + " (it was truncated or extended)");
        }
        MessageDigest digest = ExampleCodec.sha256();
        digest.update(chunk, 0, length);
        if (!MessageDigest.isEqual(digest.digest(), BlobChunks.expected(id, table, seq))) {
            throw damaged("bytes " + from + "-" + (from + length - 1) + " do not match their checksum");
        }
        limit = length;
        seq++;
        return true;
    }

    @Override
    public int read() throws IOException {
        while (pos == limit) {
            if (!fill()) {
                return -1;
            }
        }
        return chunk[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos == limit) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return limit - pos;
    }

    @Override
    public void close() throws IOException {
        limit = 0;
        pos = 0;
        seq = count;
        if (resource != null) {
            resource.close();
        }
    }

    private void closeQuietly() {
        try {
            if (resource != null) {
                resource.close();
            }
        } catch (IOException ignored) {
            // the stream is refused anyway
        }
    }
}
