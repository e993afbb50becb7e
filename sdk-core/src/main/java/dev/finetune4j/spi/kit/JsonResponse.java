package dev.finetune4j.spi.kit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful answer with a JSON body.
 *
 * @param status the HTTP status (2xx)
 * @param headers the response headers
 * @param body the parsed body; a {@code MissingNode} when the body was empty
 */
public record JsonResponse(int status, HttpHeaders headers, JsonNode body) {

    /** Checks the parts. */
    public JsonResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** The provider's request id ({@code x-request-id}). */
    public Optional<String> requestId() {
        return ProviderErrors.requestId(headers);
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }
}
