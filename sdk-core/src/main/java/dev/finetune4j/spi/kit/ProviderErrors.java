package dev.finetune4j.spi.kit;

import dev.finetune4j.AuthenticationException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderError;
import dev.finetune4j.ProviderException;
import dev.finetune4j.RateLimitedException;
import dev.finetune4j.ServerException;
import dev.finetune4j.TransportException;
import dev.finetune4j.http.ApiKey;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a provider's error answer (or a failed connection) into the library's exceptions, with
 * the one message format every provider shares and the key or token redacted. {@link ProviderHttp}
 * uses it for every call; provider modules use it too when they find an error inside a successful
 * answer. Part of the provider kit (see the package documentation). Stateless and thread-safe.
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
     * @param secret the key or token the call sent, to redact from whatever is quoted; may be null
     */
    public record CallInfo(String provider, String method, String path, ApiKey secret) {
        /** Checks the parts. */
        public CallInfo {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
        }

        /** The provider, method and path; never the secret. */
        @Override
        public String toString() {
            return "CallInfo[" + provider + " " + method + " " + path + "]";
        }
    }

    /**
     * The exception for an error response, of the class its status names: a
     * {@link NotFoundException} carrying the {@link ProviderError} for 404, a
     * {@link ProviderException} (or one of its subclasses) for every other status.
     *
     * @param call the call
     * @param status the HTTP status
     * @param headers the response headers
     * @param body the (bounded) error body
     * @param retryable whether repeating the call later may succeed
     * @param retryAfter the wait the server asked for; may be null
     */
    public static FineTuneException fromResponse(CallInfo call, int status, HttpHeaders headers, String body,
            boolean retryable, Duration retryAfter) {
        String rawBody = redact(body, call.secret());
        ErrorParser.ParsedError parsed = ErrorParser.parse(headers, rawBody);
        String code = redact(parsed.code(), call.secret());
        String requestId = requestId(headers).orElse(null);
        String message = message(call, status, code, requestId, redact(parsed.message(), call.secret()));
        return ofStatus(message, call.provider(), status, code, requestId, rawBody, retryable, retryAfter);
    }

    /** The exception of the class the status names. */
    private static FineTuneException ofStatus(String message, String provider, int status, String code,
            String requestId, String rawBody, boolean retryable, Duration retryAfter) {
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
            return new NotFoundException(message, ProviderError.builder(provider, status).errorCode(code)
                    .requestId(requestId).rawBody(rawBody).build());
        }
        if (status >= 500 && status <= 599) {
            return new ServerException(message, provider, status, code, requestId, rawBody, retryable);
        }
        return new ProviderException(message, provider, status, code, requestId, rawBody, retryable);
    }

    /**
     * The exception for an error the provider sent inside an event stream ({@code event: error},
     * or a chunk holding an {@code error} object), whose data is parsed like an error body and
     * mapped like an HTTP error: when the error names an HTTP status ({@code error.code} or {@code
     * error.status}, or the same at the top level, a number from 400 to 599, as vLLM sends) the
     * exception is of the class that status names, with that status, retryable as that status is;
     * otherwise it is a {@link ProviderException} with the answer's status, not retryable. A named
     * 404 is a {@link NotFoundException}.
     *
     * @param status the answer's HTTP status (2xx: the stream had started)
     */
    public static FineTuneException fromStreamError(CallInfo call, int status, HttpHeaders headers, String data) {
        String rawBody = redact(data, call.secret());
        ErrorParser.ParsedError parsed = ErrorParser.parse(NO_HEADERS, rawBody);
        String code = redact(parsed.code(), call.secret());
        String requestId = requestId(headers).orElse(null);
        int named = ErrorParser.statusNamed(rawBody);
        if (named > 0 && Integer.toString(named).equals(code)) {
            // the number is the status, said once in the message
            code = null;
        }
        int effective = named > 0 ? named : status;
        String message = message(call, effective, code, requestId, "error in the stream: "
                + redact(parsed.message(), call.secret()));
        if (named > 0) {
            return ofStatus(message, call.provider(), named, code, requestId, rawBody,
                    ProviderException.isRetryableStatus(named), null);
        }
        return new ProviderException(message, call.provider(), status, code, requestId, rawBody, false);
    }

    /**
     * The exception for a successful answer whose body is not what the call expects (not JSON, or
     * JSON without what the call needs): a {@link ProviderException}, not retryable, quoting a
     * bounded excerpt of the body.
     *
     * @param body the body, of which at most {@link ProviderException#MAX_RAW_BODY} bytes are kept
     * @param what what is wrong, such as {@code "the body is not JSON"}
     */
    public static ProviderException unexpectedBody(CallInfo call, int status, HttpHeaders headers, byte[] body,
            String what) {
        return unexpectedBody(call, status, headers, new String(body, 0,
                Math.min(body.length, ProviderException.MAX_RAW_BODY), StandardCharsets.UTF_8), what);
    }

    /**
     * The exception for a successful answer whose body is not what the call expects; see {@link
     * #unexpectedBody(CallInfo, int, HttpHeaders, byte[], String)}. The message quotes at most
     * {@value ErrorParser#FALLBACK_CHARS} characters of it.
     */
    public static ProviderException unexpectedBody(CallInfo call, int status, HttpHeaders headers, String body,
            String what) {
        String rawBody = redact(body, call.secret());
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
                + (cause.getMessage() == null ? "" : ": " + redact(cause.getMessage(), call.secret()));
        String message = call.provider() + ": " + call.method() + " " + call.path() + " failed after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + " (" + reason + ")"
                + (mayHaveReachedServer
                        ? "; the request may have reached the server"
                        : "; the request did not reach the server");
        return new TransportException(message, cause, call.provider(), mayHaveReachedServer);
    }

    /**
     * The provider's request id: {@code x-request-id} (any case), else Azure's {@code
     * apim-request-id} (its data plane) or {@code x-ms-request-id} (Azure Resource Manager), else
     * {@code X-Amzn-Trace-Id}, else Cloudflare's {@code cf-ray} (what Together's clients report as
     * the request id).
     */
    public static Optional<String> requestId(HttpHeaders headers) {
        return headers.firstValue("x-request-id").filter(s -> !s.isBlank())
                .or(() -> headers.firstValue("apim-request-id").filter(s -> !s.isBlank()))
                .or(() -> headers.firstValue("x-ms-request-id").filter(s -> !s.isBlank()))
                .or(() -> headers.firstValue("X-Amzn-Trace-Id").filter(s -> !s.isBlank()))
                .or(() -> headers.firstValue("cf-ray").filter(s -> !s.isBlank()));
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
