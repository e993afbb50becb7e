package dev.finetune4j.internal.json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.security.MessageDigest;

/**
 * A {@link Writer} that encodes what it is given as UTF-8 straight into a {@link MessageDigest} or
 * an {@link OutputStream}, through a small byte buffer: hashing or storing a canonical line costs
 * no string, no byte array of the line, and none of a charset encoder's buffers.
 *
 * <p>Encodes exactly as {@code new OutputStreamWriter(out, UTF_8)} and {@code String.getBytes(UTF_8)}
 * do, so ids and stored lines stay what they were: a surrogate that is not half of a pair becomes
 * {@code ?}, also across writes and at the end. {@link #close()} writes a pending unpaired surrogate
 * and flushes to the sink (it never closes an output stream); the writer can then be used again for
 * the next text ({@link #digest()} resets the digest). Not thread-safe.
 */
final class Utf8Writer extends Writer {

    /** Where the bytes go. */
    private interface Sink {
        void accept(byte[] bytes, int off, int len) throws IOException;
    }

    private final MessageDigest digest;
    private final Sink sink;
    private final byte[] buffer = new byte[2048];
    private int size;
    /** A high surrogate waiting for its low half, or 0. */
    private char high;

    /** A writer into {@code digest}. */
    Utf8Writer(MessageDigest digest) {
        this.digest = digest;
        this.sink = digest::update;
    }

    /** A writer into {@code out}, which it flushes to but never closes. */
    Utf8Writer(OutputStream out) {
        this.digest = null;
        this.sink = out::write;
    }

    @Override
    public void write(int c) {
        put((char) c);
    }

    @Override
    public void write(char[] chars, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            put(chars[i]);
        }
    }

    @Override
    public void write(String text, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            put(text.charAt(i));
        }
    }

    private void put(char c) {
        if (size > buffer.length - 4) {
            drain();
        }
        if (high != 0) {
            char h = high;
            high = 0;
            if (Character.isLowSurrogate(c)) {
                int cp = Character.toCodePoint(h, c);
                buffer[size++] = (byte) (0xf0 | (cp >> 18));
                buffer[size++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                buffer[size++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                buffer[size++] = (byte) (0x80 | (cp & 0x3f));
                return;
            }
            buffer[size++] = '?';
            if (size > buffer.length - 4) {
                drain();
            }
        }
        if (c < 0x80) {
            buffer[size++] = (byte) c;
        } else if (c < 0x800) {
            buffer[size++] = (byte) (0xc0 | (c >> 6));
            buffer[size++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isHighSurrogate(c)) {
            high = c;
        } else if (Character.isLowSurrogate(c)) {
            buffer[size++] = '?';
        } else {
            buffer[size++] = (byte) (0xe0 | (c >> 12));
            buffer[size++] = (byte) (0x80 | ((c >> 6) & 0x3f));
            buffer[size++] = (byte) (0x80 | (c & 0x3f));
        }
    }

    private void drain() {
        try {
            sink.accept(buffer, 0, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        size = 0;
    }

    @Override
    public void flush() {
        drain();
    }

    /** Ends the text: a pending high surrogate becomes {@code ?}; everything reaches the sink. */
    @Override
    public void close() {
        if (high != 0) {
            high = 0;
            put('?');
        }
        drain();
    }

    /** The digest of everything written since the last call; resets it (a writer into a digest only). */
    byte[] digest() {
        close();
        return digest.digest();
    }
}
