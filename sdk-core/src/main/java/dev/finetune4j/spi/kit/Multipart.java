package dev.finetune4j.spi.kit;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A {@code multipart/form-data} body (RFC 7578): text fields and files, with a random boundary.
 *
 * <p>File parts are streamed from disk when the body is sent ({@link BodyPublishers#ofFile}), so
 * memory does not grow with the file size, and every {@link #publisher()} opens the file again,
 * so a retried upload sends the whole file again. The content length is known up front, so the
 * request carries a {@code Content-Length} rather than chunked encoding.
 *
 * <p>Immutable and thread-safe, as long as the files are not changed while it is in use.
 */
public final class Multipart {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] CRLF = {'\r', '\n'};

    private final String boundary;
    private final List<Part> parts;

    private Multipart(String boundary, List<Part> parts) {
        this.boundary = boundary;
        this.parts = List.copyOf(parts);
    }

    /** A builder with a fresh random boundary. */
    public static Builder builder() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return new Builder("finetune4j-" + HexFormat.of().formatHex(bytes));
    }

    /** The boundary between parts. */
    public String boundary() {
        return boundary;
    }

    /** The value of the request's {@code Content-Type} header. */
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /**
     * The exact number of bytes {@link #publisher()} sends (file sizes read now).
     *
     * @throws UncheckedIOException if a file cannot be read
     */
    public long contentLength() {
        long total = 0;
        for (Part p : parts) {
            total += p.head(boundary).length + p.size() + CRLF.length;
        }
        return total + closing().length;
    }

    /**
     * A fresh publisher of the whole body; files are opened now and read as the body is sent.
     *
     * @throws UncheckedIOException if a file no longer exists
     */
    public BodyPublisher publisher() {
        List<BodyPublisher> pieces = new ArrayList<>();
        for (Part p : parts) {
            pieces.add(BodyPublishers.ofByteArray(p.head(boundary)));
            pieces.add(p.content());
            pieces.add(BodyPublishers.ofByteArray(CRLF));
        }
        pieces.add(BodyPublishers.ofByteArray(closing()));
        return BodyPublishers.concat(pieces.toArray(BodyPublisher[]::new));
    }

    private byte[] closing() {
        return ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A name or file name as it may stand between quotes in a {@code Content-Disposition} header:
     * quote, CR and LF percent-encoded as browsers do (WHATWG HTML, "multipart/form-data encoding").
     */
    static String quoted(String s) {
        return '"' + s.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A") + '"';
    }

    private interface Part {
        byte[] head(String boundary);

        long size();

        BodyPublisher content();
    }

    private record Field(String name, String value) implements Part {
        @Override
        public byte[] head(String boundary) {
            return ("--" + boundary + "\r\nContent-Disposition: form-data; name=" + quoted(name) + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public long size() {
            return value.getBytes(StandardCharsets.UTF_8).length;
        }

        @Override
        public BodyPublisher content() {
            return BodyPublishers.ofString(value, StandardCharsets.UTF_8);
        }
    }

    private abstract static class FilePart implements Part {
        final String name;
        final String filename;
        final String contentType;

        FilePart(String name, String filename, String contentType) {
            this.name = name;
            this.filename = filename;
            this.contentType = contentType;
        }

        @Override
        public byte[] head(String boundary) {
            return ("--" + boundary + "\r\nContent-Disposition: form-data; name=" + quoted(name) + "; filename="
                            + quoted(filename) + "\r\nContent-Type: " + contentType + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final class DiskFile extends FilePart {
        private final Path path;

        DiskFile(String name, Path path, String filename, String contentType) {
            super(name, filename, contentType);
            this.path = path;
        }

        @Override
        public long size() {
            try {
                return Files.size(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of " + path, e);
            }
        }

        @Override
        public BodyPublisher content() {
            try {
                return BodyPublishers.ofFile(path);
            } catch (FileNotFoundException e) {
                throw new UncheckedIOException("file " + path + " no longer exists", e);
            }
        }
    }

    private static final class Bytes extends FilePart {
        private final byte[] bytes;

        Bytes(String name, String filename, String contentType, byte[] bytes) {
            super(name, filename, contentType);
            this.bytes = bytes;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public BodyPublisher content() {
            return BodyPublishers.ofByteArray(bytes);
        }
    }

    /** Builds a {@link Multipart}. Not thread-safe. */
    public static final class Builder {

        private final String boundary;
        private final List<Part> parts = new ArrayList<>();

        private Builder(String boundary) {
            this.boundary = boundary;
        }

        /** Adds a text field, sent as UTF-8. */
        public Builder field(String name, String value) {
            parts.add(new Field(checkName(name), Objects.requireNonNull(value, "value")));
            return this;
        }

        /**
         * Adds a file part streamed from disk.
         *
         * @param name the field name, such as {@code file}
         * @param file the file to send
         * @param filename the name the server sees, such as {@code train.jsonl}
         * @param contentType such as {@code application/jsonl} or {@code application/octet-stream}
         * @throws IllegalArgumentException if the file is not a readable regular file
         */
        public Builder file(String name, Path file, String filename, String contentType) {
            Objects.requireNonNull(file, "file");
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot upload " + file + ": not a readable regular file");
            }
            parts.add(new DiskFile(checkName(name), file, checkName(filename), checkType(contentType)));
            return this;
        }

        /** Adds a file part held in memory (small payloads only). */
        public Builder bytes(String name, String filename, String contentType, byte[] content) {
            parts.add(new Bytes(checkName(name), checkName(filename), checkType(contentType),
                    Objects.requireNonNull(content, "content").clone()));
            return this;
        }

        /**
         * The body.
         *
         * @throws IllegalStateException if no part was added
         */
        public Multipart build() {
            if (parts.isEmpty()) {
                throw new IllegalStateException("a multipart body needs at least one part");
            }
            return new Multipart(boundary, parts);
        }

        private static String checkName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a multipart field or file name must not be empty");
            }
            return name;
        }

        private static String checkType(String contentType) {
            Objects.requireNonNull(contentType, "contentType");
            if (contentType.isBlank() || contentType.indexOf('\r') >= 0 || contentType.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("content type '" + contentType.strip() + "' is blank or has a line break");
            }
            return contentType;
        }
    }
}
