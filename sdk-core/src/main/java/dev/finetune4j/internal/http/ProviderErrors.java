package dev.finetune4j.internal.http;

import dev.finetune4j.AuthenticationException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.RateLimitedException;
import dev.finetune4j.ResourceNotFoundException;
import dev.finetune4j.ServerException;
import dev.finetune4j.TransportException;
import dev.finetune4j.http.ApiKey;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a provider's error answer (or a failed connection) into the library's exceptions, with
 * the one message format every provider shares and the API key redacted. Provider modules use it
 * too when they find an error inside a successful answer.
 */
public final class ProviderErrors {

    /** What replaces the API key wherever a provider echoed it. */
    public static final String REDACTED = "****";

    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);

    private ProviderErrors() {}

    /**
     * What the exceptions need to know about the call, besides the answer.
     *
     * @param provider the provider id
     * @param method the HTTP method
     * @param path the raw path of the URI, without the query string
     * @param apiKey the key to redact; may be null
     */
    public record CallInfo(String provider, String method, String path, ApiKey apiKey) {
        /** Checks the parts. */
        public CallInfo {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * The exception for an error response, of the subclass its status names.
     *
     * @param call the call
     * @param status the HTTP status
     * @param headers the response headers
     * @param body the (bounded) error body
     * @param retryable whether repeating the call later may succeed
     * @param retryAfter the wait the server asked for; may be null
     */
    public static ProviderException fromResponse(CallInfo call, int status, HttpHeaders headers, String body,
            boolean retryable, Duration retryAfter) {
        String rawBody = redact(body, call.apiKey());
        ErrorParser.ParsedError parsed = ErrorParser.parse(headers, rawBody);
        String code = redact(parsed.code(), call.apiKey());
        String requestId = requestId(headers).orElse(null);
        String message = message(call, status, code, requestId, redact(parsed.message(), call.apiKey()));
        String provider = call.provider();
        if (status == 401 || status == 403) {
            return new AuthenticationException(message, provider, status, code, requestId, rawBody, retryable);
        }
        if (status == 429) {
            return new RateLimitedException(message, provider, status, code, requestId, rawBody, retryable, retryAfter);
        }
        if (status == 400 || status == 413 || status == 422) {
            return new InvalidRequestException(message, provider, status, code, requestId, rawBody, retryable);
        }
        if (status == 404) {
            return new ResourceNotFoundException(message, provider, status, code, requestId, rawBody, retryable);
        }
        if (status >= 500 && status <= 599) {
            return new ServerException(message, provider, status, code, requestId, rawBody, retryable);
        }
        return new ProviderException(message, provider, status, code, requestId, rawBody, retryable);
    }

    /**
     * The exception for an error the provider sent inside an event stream ({@code event: error}),
     * whose data is parsed like an error body. Not retryable: part of the answer already arrived.
     */
    public static ProviderException fromStreamError(CallInfo call, int status, HttpHeaders headers, String data) {
        String rawBody = redact(data, call.apiKey());
        ErrorParser.ParsedError parsed = ErrorParser.parse(NO_HEADERS, rawBody);
        String code = redact(parsed.code(), call.apiKey());
        String requestId = requestId(headers).orElse(null);
        String message = message(call, status, code, requestId, "error event in the stream: "
                + redact(parsed.message(), call.apiKey()));
        return new ProviderException(message, call.provider(), status, code, requestId, rawBody, false);
    }

    /** The exception for a successful answer whose body is not what the call expects (not JSON). */
    public static ProviderException unexpectedBody(CallInfo call, int status, HttpHeaders headers, String body,
            String what) {
        String rawBody = redact(body, call.apiKey());
        String requestId = requestId(headers).orElse(null);
        String snippet = rawBody.strip();
        if (snippet.length() > ErrorParser.FALLBACK_CHARS) {
            snippet = snippet.substring(0, ErrorParser.FALLBACK_CHARS) + "…";
        }
        String message = message(call, status, null, requestId, what + (snippet.isEmpty() ? "" : ": " + snippet));
        return new ProviderException(message, call.provider(), status, null, requestId, rawBody, false);
    }

    /**
     * The exception for a call that got no usable answer.
     *
     * @param attempts how many attempts were made
     * @param mayHaveReachedServer false only when the connection could not be opened
     */
    public static TransportException transport(CallInfo call, int attempts, Throwable cause,
            boolean mayHaveReachedServer) {
        String reason = cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + redact(cause.getMessage(), call.apiKey()));
        String message = call.provider() + ": " + call.method() + " " + call.path() + " failed after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + " (" + reason + ")"
                + (mayHaveReachedServer
                        ? "; the request may have reached the server"
                        : "; the request did not reach the server");
        return new TransportException(message, cause, call.provider(), mayHaveReachedServer);
    }

    /** The provider's request id: {@code x-request-id} (any case), else {@code X-Amzn-Trace-Id}. */
    public static Optional<String> requestId(HttpHeaders headers) {
        return headers.firstValue("x-request-id")
                .or(() -> headers.firstValue("X-Amzn-Trace-Id"))
                .filter(s -> !s.isBlank());
    }

    /** {@code text} with every occurrence of the key replaced by {@value #REDACTED}; null stays null. */
    public static String redact(String text, ApiKey key) {
        if (text == null || key == null) {
            return text;
        }
        return text.replace(key.value(), REDACTED);
    }

    private static String message(CallInfo call, int status, String code, String requestId, String providerMessage) {
        StringBuilder sb = new StringBuilder()
                .append(call.provider()).append(" returned ").append(status);
        if (code != null) {
            sb.append(' ').append(code);
        }
        sb.append(" for ").append(call.method()).append(' ').append(call.path());
        if (requestId != null) {
            sb.append(" (request ").append(requestId).append(')');
        }
        if (providerMessage != null && !providerMessage.isBlank()) {
            sb.append(": ").append(providerMessage);
        }
        return sb.toString();
    }
}
