package dev.finetune4j.spi.kit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful answer whose body the caller reads as it arrives (file contents). The caller must
 * close it; reading is not retried and not bounded by the call's deadline.
 *
 * @param status the HTTP status (2xx)
 * @param headers the response headers
 * @param body the body, read as it arrives
 */
public record RawResponse(int status, HttpHeaders headers, InputStream body) implements Closeable {

    /** Checks the parts. */
    public RawResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** The provider's request id ({@code x-request-id}). */
    public Optional<String> requestId() {
        return ProviderErrors.requestId(headers);
    }

    /** Closes the body, releasing the connection. */
    @Override
    public void close() throws IOException {
        body.close();
    }
}
