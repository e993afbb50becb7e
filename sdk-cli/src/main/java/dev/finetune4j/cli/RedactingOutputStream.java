package dev.finetune4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The CLI's stderr: every byte written passes a {@link Redactor} a line at a time (or at a flush,
 * for a progress line that ends in {@code \r}), so no message, stack trace, cause or log line
 * prints a credential, whoever writes it. UTF-8. Thread-safe.
 */
final class RedactingOutputStream extends OutputStream {

    private final OutputStream out;
    private final Redactor redactor;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    RedactingOutputStream(OutputStream out, Redactor redactor) {
        this.out = out;
        this.redactor = redactor;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int from = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, from, i + 1 - from);
                emit();
                from = i + 1;
            }
        }
        line.write(b, from, off + len - from);
    }

    @Override
    public synchronized void flush() throws IOException {
        emit();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
    }

    private void emit() throws IOException {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        out.write(redactor.redact(text).getBytes(StandardCharsets.UTF_8));
    }
}
