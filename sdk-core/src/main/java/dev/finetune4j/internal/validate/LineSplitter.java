package dev.finetune4j.internal.validate;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it: strips a leading UTF-8 byte-order mark and
 * the {@code \r} of CRLF endings, and never buffers more than {@code maxLineBytes} of one line (the
 * rest of an over-long line is skipped and only counted). A stream that starts with a UTF-16 or
 * UTF-32 byte-order mark is not split at all: it gives one line naming that encoding. Not
 * thread-safe.
 */
final class LineSplitter {

    /**
     * One line: its number, bytes (empty for an over-long line), its full length, and the
     * encoding a foreign byte-order mark names ({@code UTF-16LE} ...), null for a UTF-8 line.
     */
    record RawLine(long number, byte[] bytes, long length, boolean tooLong, String encoding) {}

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private long lineNumber;
    private boolean eof;
    private byte[] line = new byte[1024];

    LineSplitter(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** How many lines were returned so far. */
    long lines() {
        return lineNumber;
    }

    /** The next line, or {@code null} at the end of input. A final line without '\n' counts. */
    RawLine next() throws IOException {
        if (lineNumber == 0 && !eof) {
            String foreign = foreignByteOrderMark();
            if (foreign != null) {
                eof = true;
                pos = limit;
                lineNumber++;
                return new RawLine(lineNumber, new byte[0], 0, false, foreign);
            }
        }
        if (eof && pos >= limit) {
            return null;
        }
        int length = 0;
        long fullLength = 0;
        boolean sawAny = false;
        while (true) {
            if (pos >= limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    eof = true;
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
            }
            sawAny = true;
            int start = pos;
            int newline = -1;
            for (int i = pos; i < limit; i++) {
                if (buffer[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline < 0 ? limit : newline;
            int chunk = end - start;
            fullLength += chunk;
            if (fullLength <= maxLineBytes) {
                if (length + chunk > line.length) {
                    line = Arrays.copyOf(line, Math.max(line.length * 2, length + chunk));
                }
                System.arraycopy(buffer, start, line, length, chunk);
                length += chunk;
            }
            pos = newline < 0 ? limit : newline + 1;
            if (newline >= 0) {
                break;
            }
        }
        lineNumber++;
        if (fullLength > maxLineBytes) {
            return new RawLine(lineNumber, new byte[0], fullLength, true, null);
        }
        int from = 0;
        if (lineNumber == 1 && length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB
                && line[2] == (byte) 0xBF) {
            from = 3;
        }
        int to = length;
        if (to > from && line[to - 1] == '\r') {
            to--;
        }
        byte[] bytes = Arrays.copyOfRange(line, from, to);
        if (line.length > 1 << 20) {
            line = new byte[1024];
        }
        return new RawLine(lineNumber, bytes, fullLength, false, null);
    }

    /**
     * Reads the first four bytes (or all there are) and names the encoding of a UTF-16 or UTF-32
     * byte-order mark among them; null for anything else, which stays in the buffer to be split.
     */
    private String foreignByteOrderMark() throws IOException {
        while (limit < 4) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                break;
            }
            limit += n;
        }
        int b0 = limit > 0 ? buffer[0] & 0xff : -1;
        int b1 = limit > 1 ? buffer[1] & 0xff : -1;
        int b2 = limit > 2 ? buffer[2] & 0xff : -1;
        int b3 = limit > 3 ? buffer[3] & 0xff : -1;
        if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0) {
            return "UTF-32LE";
        }
        if (b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) {
            return "UTF-32BE";
        }
        if (b0 == 0xFF && b1 == 0xFE) {
            return "UTF-16LE";
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            return "UTF-16BE";
        }
        return null;
    }
}
