package dev.finetune4j.spi.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.finetune4j.internal.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One call to a provider, for {@link ProviderHttp#send}, {@link ProviderHttp#sendJson} and {@link
 * ProviderHttp#stream(ApiRequest)}: method, path (relative to the client's base URL) or absolute URI,
 * query, headers, body, whether it is safe to repeat, and an optional per-attempt timeout.
 *
 * <pre>{@code
 * ApiRequest.post("/fine_tuning/jobs").json(body).retrySafety(RetrySafety.UNSAFE).build();
 * ApiRequest.get("/fine_tuning/jobs/" + ApiRequest.segment(id) + "/events").query("limit", "100").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the same request may be sent any number of times.
 */
public final class ApiRequest {

    private static final Set<String> SAFE_BY_DEFAULT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final String method;
    private final String path;
    private final URI absolute;
    private final List<Map.Entry<String, String>> query;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final Multipart multipart;
    private final FileRegion file;
    private final String contentType;
    private final String accept;
    private final RetrySafety retrySafety;
    private final Duration timeout;
    private final boolean authenticated;
    private final boolean redirectIsAnswer;

    private ApiRequest(Builder b, RetrySafety safety) {
        this.method = b.method;
        this.path = b.path;
        this.absolute = b.absolute;
        this.query = List.copyOf(b.query);
        this.headers = List.copyOf(b.headers);
        this.body = b.body;
        this.multipart = b.multipart;
        this.file = b.file;
        this.contentType = b.contentType;
        this.accept = b.accept;
        this.retrySafety = safety;
        this.timeout = b.timeout;
        this.authenticated = b.authenticated;
        this.redirectIsAnswer = b.redirectIsAnswer;
    }

    /** A GET of a path under the base URL. */
    public static Builder get(String path) {
        return method("GET", path);
    }

    /** A POST to a path under the base URL; {@link Builder#retrySafety} must be set. */
    public static Builder post(String path) {
        return method("POST", path);
    }

    /** A PUT to a path under the base URL. */
    public static Builder put(String path) {
        return method("PUT", path);
    }

    /** A DELETE of a path under the base URL. */
    public static Builder delete(String path) {
        return method("DELETE", path);
    }

    /**
     * Any method on a path under the base URL.
     *
     * @param path starts with {@code /}, percent-encoded (see {@link #segment}), no query string
     */
    public static Builder method(String method, String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path '" + path + "' must start with '/'");
        }
        if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
            throw new IllegalArgumentException("path '" + path + "' must not carry a query or fragment; use query()");
        }
        return new Builder(checkMethod(method), path, null);
    }

    /**
     * Any method on an absolute URI (a pagination link, an upload URL the provider handed out).
     * The API key is sent only when the URI has the scheme, host and port of the base URL.
     */
    public static Builder absolute(String method, URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.isAbsolute() || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("'" + uri + "' is not an absolute http(s) URI");
        }
        return new Builder(checkMethod(method), null, uri);
    }

    /**
     * One path segment percent-encoded: everything but RFC 3986 {@code pchar}s, so {@code /},
     * {@code ?}, {@code #}, {@code %}, spaces and non-ASCII are encoded while {@code :} (as in
     * {@code ft:gpt-4o-mini:org::id}) stays.
     */
    public static String segment(String value) {
        Objects.requireNonNull(value, "value");
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** The method, upper case. */
    public String method() {
        return method;
    }

    /** The path under the base URL; null for an absolute request. */
    String path() {
        return path;
    }

    /** The absolute URI; null for a request under the base URL. */
    URI absolute() {
        return absolute;
    }

    List<Map.Entry<String, String>> query() {
        return query;
    }

    List<Map.Entry<String, String>> headers() {
        return headers;
    }

    String contentType() {
        return contentType;
    }

    String accept() {
        return accept;
    }

    /** Whether the call may be repeated after an unclear failure. */
    public RetrySafety retrySafety() {
        return retrySafety;
    }

    /** The per-attempt timeout, overriding the client's; null for the client's. */
    Duration timeout() {
        return timeout;
    }

    boolean authenticated() {
        return authenticated;
    }

    /** Whether a redirect is handed back as the answer instead of being followed or failing. */
    boolean redirectIsAnswer() {
        return redirectIsAnswer;
    }

    /** A fresh publisher of the body (files are opened again for every attempt). */
    BodyPublisher publisher() {
        if (multipart != null) {
            return multipart.publisher();
        }
        if (file != null) {
            return file.publisher();
        }
        if (body != null) {
            return BodyPublishers.ofByteArray(body);
        }
        return BodyPublishers.noBody();
    }

    /** A part of a file sent as the whole body, opened again for every attempt. */
    private record FileRegion(Path path, long offset, long length) {

        BodyPublisher publisher() {
            return BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(this::open), length);
        }

        private InputStream open() {
            try {
                FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                channel.position(offset);
                return new BoundedInputStream(Channels.newInputStream(channel), length);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
            }
        }
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static String checkMethod(String method) {
        Objects.requireNonNull(method, "method");
        String m = method.toUpperCase(Locale.ROOT);
        if (m.isEmpty() || !m.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("'" + method + "' is not an HTTP method");
        }
        return m;
    }

    /** Builds an {@link ApiRequest}. Not thread-safe. */
    public static final class Builder {

        private final String method;
        private final String path;
        private final URI absolute;
        private final List<Map.Entry<String, String>> query = new ArrayList<>();
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private byte[] body;
        private Multipart multipart;
        private FileRegion file;
        private String contentType;
        private String accept = "application/json";
        private RetrySafety retrySafety;
        private Duration timeout;
        private boolean authenticated = true;
        private boolean redirectIsAnswer;

        private Builder(String method, String path, URI absolute) {
            this.method = method;
            this.path = path;
            this.absolute = absolute;
        }

        /** Adds a query parameter; call again with the same name to repeat it ({@code stage=A&stage=B}). */
        public Builder query(String name, String value) {
            query.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            return this;
        }

        /** Adds every entry of a map as a query parameter, in the map's order. */
        public Builder query(Map<String, String> parameters) {
            Objects.requireNonNull(parameters, "parameters").forEach(this::query);
            return this;
        }

        /** Adds a header for this call only (beside the client's default headers). */
        public Builder header(String name, String value) {
            headers.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            return this;
        }

        /**
         * A JSON body: a Jackson tree, a {@code Map}, or anything the library's mapper can write.
         *
         * @throws IllegalArgumentException if the value cannot be written as JSON
         */
        public Builder json(Object value) {
            Objects.requireNonNull(value, "value");
            try {
                return body(Json.mapper().writeValueAsBytes(value), "application/json");
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write the request body as JSON: " + e.getOriginalMessage(), e);
            }
        }

        /** A body of bytes with its content type (such as {@code application/x-ndjson}). */
        public Builder body(byte[] bytes, String contentType) {
            this.body = Objects.requireNonNull(bytes, "bytes").clone();
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            this.multipart = null;
            this.file = null;
            return this;
        }

        /**
         * A body of {@code length} bytes of a file from {@code offset} (an upload, or one part of
         * it), streamed from disk and read again for every attempt.
         *
         * @throws IllegalArgumentException if the region does not lie within the file
         * @throws UncheckedIOException if the file's size cannot be read
         */
        public Builder file(Path path, long offset, long length, String contentType) {
            Objects.requireNonNull(path, "path");
            long size;
            try {
                size = Files.size(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the size of " + path + ": " + e.getMessage(), e);
            }
            if (offset < 0 || length < 0 || offset + length > size) {
                throw new IllegalArgumentException("bytes " + offset + " to " + (offset + length) + " are not within "
                        + path + " (" + size + " bytes)");
            }
            this.file = new FileRegion(path, offset, length);
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            this.body = null;
            this.multipart = null;
            return this;
        }

        /** A {@code multipart/form-data} body, streamed from disk. */
        public Builder multipart(Multipart parts) {
            this.multipart = Objects.requireNonNull(parts, "parts");
            this.contentType = parts.contentType();
            this.body = null;
            this.file = null;
            return this;
        }

        /** The {@code Accept} header (default {@code application/json}). */
        public Builder accept(String mediaType) {
            this.accept = Objects.requireNonNull(mediaType, "mediaType");
            return this;
        }

        /**
         * Whether the call may be repeated after an unclear failure. Required for POST and PATCH;
         * other methods default to {@link RetrySafety#SAFE}.
         */
        public Builder retrySafety(RetrySafety safety) {
            this.retrySafety = Objects.requireNonNull(safety, "safety");
            return this;
        }

        /** This call's per-attempt timeout (an upload of a large file needs more); still cut by the deadline. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout is " + timeout + "; it must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /** Sends no {@code Authorization} header (public endpoints, pre-signed upload URLs). */
        public Builder withoutAuth() {
            this.authenticated = false;
            return this;
        }

        /**
         * A redirect ({@code 301}, {@code 302}, {@code 303}, {@code 307}, {@code 308}) is this call's
         * answer: it is neither followed nor an error, and reaches the caller like a {@code 2xx} with
         * its {@code Location} and other headers ({@link ProviderHttp#send}). For a provider that
         * hands out an upload URL in a redirect (Together's {@code POST /files}). Other statuses are
         * treated as always.
         */
        public Builder redirectIsAnswer() {
            this.redirectIsAnswer = true;
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalStateException if a POST or PATCH does not say whether it is safe to repeat
         */
        public ApiRequest build() {
            RetrySafety safety = retrySafety;
            if (safety == null) {
                if (!SAFE_BY_DEFAULT.contains(method)) {
                    throw new IllegalStateException(method + " " + (path != null ? path : absolute.getRawPath())
                            + " must say whether it is safe to repeat: retrySafety(SAFE) or retrySafety(UNSAFE)");
                }
                safety = RetrySafety.SAFE;
            }
            return new ApiRequest(this, safety);
        }
    }
}
