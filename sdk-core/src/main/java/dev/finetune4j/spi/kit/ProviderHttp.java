package dev.finetune4j.spi.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.ProviderException;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.http.RetryOptions;
import dev.finetune4j.http.Sleeper;
import dev.finetune4j.internal.http.BoundedBody;
import dev.finetune4j.internal.http.ServerDelay;
import dev.finetune4j.internal.http.TimeoutWatchdog;
import dev.finetune4j.internal.json.Json;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client a provider module talks through: one base URL, its {@link Authentication} (a
 * bearer key by default), default headers, retries, timeouts and the mapping of error answers to
 * the {@code ProviderException} tree. Nothing in it is specific to a provider beyond reading their
 * error bodies ({@link ErrorParser}). Part of the provider kit (see the package documentation).
 *
 * <h2>Retries and time</h2>
 *
 * Every call has a deadline ({@link RetryOptions#deadline()}, counted from the call's start on the
 * injected {@link Clock}); each attempt's timeout is the client's {@code timeout} (or the
 * request's) cut to the time left, and a retry whose wait would reach the deadline is not taken.
 * The attempt's timeout is kept by a watchdog thread (it covers a JSON answer's body, and costs no
 * lock shared by all calls), not by {@code HttpRequest.timeout}; for an event stream it covers
 * the wait for the answer's headers, and the whole stream when the request sets its own timeout
 * ({@link #stream(ApiRequest)}).
 * Which failures are retried and how long to wait follow {@link RetryOptions}; the policy and the
 * exponential backoff are resilience4j's ({@link RetryConfig}, {@link IntervalFunction}), driven
 * through its {@link Retry.AsyncContext}, which computes waits without sleeping, so the waits pass
 * through the injected {@link Sleeper} (resilience4j's blocking context sleeps through one global,
 * static sleep function). POSTs say whether they are {@linkplain RetrySafety safe to repeat}.
 * Below this, the JDK client repeats on its own, once, a GET or HEAD whose pooled connection closed
 * before any answer and a request whose connection could not be opened; neither can duplicate a
 * create, and neither counts as an attempt here.
 *
 * <h2>What is never sent or shown</h2>
 *
 * The key or token goes only to the base URL's scheme, host and port; it is never logged, and
 * error bodies that echo it have it replaced by {@code ****}. Log lines (slf4j, DEBUG) carry the
 * method, the path without query string, the status, the attempt and the wait: never headers or
 * bodies. Redirects are followed by hand for GET and HEAD only, dropping the credential when the
 * origin changes; a request that takes a redirect as its answer ({@link
 * ApiRequest.Builder#redirectIsAnswer()}) gets it back instead.
 *
 * <p>Thread-safe.
 */
public final class ProviderHttp {

    /** The per-attempt timeout unless the builder or the request says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    /** The connect timeout of the default {@link HttpClient}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.HTTP);
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_RESOLVED = 256;
    private static final String USER_AGENT = "finetune4j";

    private final String provider;
    private final URI baseUrl;
    private final Authentication auth;
    private final List<Map.Entry<String, String>> defaultHeaders;
    private final HttpClient client;
    private final RetryOptions retryOptions;
    private final Duration timeout;
    private final Sleeper sleeper;
    private final Clock clock;
    private final DoubleSupplier random;
    private final IntervalFunction backoff;
    private final Retry retry;
    /** Paths already resolved against the base URL (the same few on every chat call), up to {@link #MAX_RESOLVED}. */
    private final Map<String, URI> resolved = new ConcurrentHashMap<>();

    private ProviderHttp(Builder b) {
        this.provider = b.provider;
        this.baseUrl = b.baseUrl;
        this.auth = b.auth;
        this.defaultHeaders = List.copyOf(b.headers);
        this.client = b.httpClient != null ? b.httpClient : DefaultClient.INSTANCE;
        this.retryOptions = b.retry;
        this.timeout = b.timeout;
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        this.random = b.random;
        this.backoff = IntervalFunction.ofExponentialBackoff(
                retryOptions.initialBackoff().toMillis(), 2.0, retryOptions.maxBackoff().toMillis());
        RetryConfig config = RetryConfig.<Attempt>custom()
                .maxAttempts(retryOptions.maxRetries() + 1)
                .retryOnResult(Attempt::wantsRetry)
                .retryOnException(t -> t instanceof AttemptFailure f && f.attempt.wantsRetry())
                .intervalBiFunction(this::waitMillis)
                .failAfterMaxAttempts(false)
                .build();
        this.retry = Retry.of(provider, config);
    }

    /**
     * A builder.
     *
     * @param provider the provider id used in messages and logs, such as {@code openai}
     * @param baseUrl where paths are resolved, such as {@code https://api.openai.com/v1}
     */
    public static Builder builder(String provider, URI baseUrl) {
        return new Builder(provider, baseUrl);
    }

    /** The provider id. */
    public String provider() {
        return provider;
    }

    /** The base URL, without a trailing slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The retry options. */
    public RetryOptions retryOptions() {
        return retryOptions;
    }

    /** GETs a path and parses the JSON answer. */
    public JsonNode getJson(String path) {
        return sendJson(ApiRequest.get(path).build()).body();
    }

    /** GETs a path with query parameters (in the map's order) and parses the JSON answer. */
    public JsonNode getJson(String path, Map<String, String> query) {
        return sendJson(ApiRequest.get(path).query(query).build()).body();
    }

    /**
     * POSTs a JSON body and parses the JSON answer.
     *
     * @param body a Jackson tree, a {@code Map}, or anything the library's mapper can write
     * @param safety {@link RetrySafety#UNSAFE} for a create that must not happen twice
     */
    public JsonNode postJson(String path, Object body, RetrySafety safety) {
        return sendJson(ApiRequest.post(path).json(body).retrySafety(safety).build()).body();
    }

    /**
     * POSTs a {@code multipart/form-data} body, streamed from disk, and parses the JSON answer.
     *
     * @param safety {@link RetrySafety#SAFE} when a duplicate upload is harmless or detectable
     */
    public JsonNode postMultipart(String path, Multipart parts, RetrySafety safety) {
        return sendJson(ApiRequest.post(path).multipart(parts).retrySafety(safety).build()).body();
    }

    /** DELETEs a path and parses the JSON answer ({@code MissingNode} when there is no body). */
    public JsonNode delete(String path) {
        return sendJson(ApiRequest.delete(path).build()).body();
    }

    /**
     * Sends a request and parses the JSON answer.
     *
     * @throws dev.finetune4j.NotFoundException for a 404, with its {@code providerError()}
     * @throws ProviderException for an error answer (after retries) or a body that is not JSON
     * @throws dev.finetune4j.TransportException when no answer came (after retries)
     * @throws FineTuneException when the calling thread is interrupted (the flag is set again)
     */
    public JsonResponse sendJson(ApiRequest request) {
        return sendJson(request, (answer, call) -> {
            byte[] bytes = answer.body();
            return new JsonResponse(answer.statusCode(), answer.headers(),
                    isBlank(bytes) ? MissingNode.getInstance() : Json.mapper().readTree(bytes));
        });
    }

    /**
     * Sends a request and hands the successful answer, received whole, to {@code reader}: for hot
     * paths that read a few fields with a streaming parser rather than building a tree.
     *
     * @throws dev.finetune4j.NotFoundException for a 404, with its {@code providerError()}
     * @throws ProviderException for an error answer (after retries), or when the reader throws a
     *     {@link JsonProcessingException} (the body is not the JSON expected); the reader may throw
     *     its own (such as {@link ProviderErrors#unexpectedBody}) for JSON that lacks what it needs
     * @throws dev.finetune4j.TransportException when no answer came (after retries)
     * @throws FineTuneException when the calling thread is interrupted (the flag is set again)
     */
    public <T> T sendJson(ApiRequest request, BodyReader<T> reader) {
        return execute(request, Body.BYTES, (response, call, started) -> {
            try {
                return reader.read(response, call);
            } catch (JsonProcessingException e) {
                throw ProviderErrors.unexpectedBody(call, response.statusCode(), response.headers(), response.body(),
                        "the body is not JSON");
            }
        });
    }

    /** Reads a successful answer's body; see {@link #sendJson(ApiRequest, BodyReader)}. */
    @FunctionalInterface
    public interface BodyReader<T> {
        /**
         * What the answer says.
         *
         * @param answer the 2xx answer, its body received whole
         * @param call the call, for the exceptions of {@link ProviderErrors} (it holds the secret
         *     they redact)
         * @throws IOException a {@link JsonProcessingException} when the body is not JSON
         */
        T read(HttpResponse<byte[]> answer, ProviderErrors.CallInfo call) throws IOException;
    }

    /**
     * Sends a request and hands back the successful answer unread (file contents). The caller must
     * close it.
     */
    public RawResponse send(ApiRequest request) {
        return execute(request, Body.STREAM, (response, call, started) ->
                new RawResponse(response.statusCode(), response.headers(), response.body()));
    }

    /**
     * Sends a request and reads the answer as server-sent events (a streamed chat completion: a
     * POST with {@code accept("text/event-stream")} and {@link RetrySafety#SAFE}). Retried like any
     * call until the answer's headers arrive, never after. An {@code event: error} in the stream
     * becomes a {@link ProviderException} ({@link ProviderErrors#fromStreamError}); a failed read a
     * {@link dev.finetune4j.TransportException}.
     *
     * <p>The client's timeout bounds the wait for the answer's headers only: a stream lasts as long
     * as the server keeps sending. A timeout the request sets itself ({@link
     * ApiRequest.Builder#timeout}) bounds the attempt to the end of the stream: when it passes, the
     * connection is closed and the reader throws a {@link dev.finetune4j.TransportException} whose
     * cause is an {@link HttpTimeoutException}. The caller must close the reader.
     */
    public SseReader stream(ApiRequest request) {
        return execute(request, Body.STREAM, (response, call, started) -> {
            SseReader reader = new SseReader(response.body(), call, response.statusCode(), response.headers());
            if (request.timeout() != null) {
                reader.limit(request.timeout(), request.timeout().minusNanos(System.nanoTime() - started));
            }
            return reader;
        });
    }

    /** What to make of a 2xx answer; an IOException from it counts as a failed attempt. */
    @FunctionalInterface
    private interface OnSuccess<B, T> {
        T handle(HttpResponse<B> response, ProviderErrors.CallInfo call, long startedNanos) throws IOException;
    }

    /**
     * How an answer's body is received: whole, as bytes (JSON answers: the JDK client hands over
     * the body complete, with no hand-off to a reading thread), or as a stream the caller reads
     * (files, event streams). Either way an error body is kept to at most {@link
     * ProviderException#MAX_RAW_BODY} bytes.
     */
    private record Body<B>(HttpResponse.BodyHandler<B> handler, ErrorText<B> errorText, Discard<B> discard) {

        static final Body<byte[]> BYTES = new Body<>(
                info -> info.statusCode() >= 200 && info.statusCode() <= 299
                        ? HttpResponse.BodySubscribers.ofByteArray()
                        : BoundedBody.subscriber(ProviderException.MAX_RAW_BODY),
                bytes -> new String(bytes, StandardCharsets.UTF_8),
                bytes -> { });

        static final Body<InputStream> STREAM = new Body<>(HttpResponse.BodyHandlers.ofInputStream(),
                ProviderHttp::readBounded, in -> in.close());
    }

    @FunctionalInterface
    private interface ErrorText<B> {
        String of(B body);
    }

    @FunctionalInterface
    private interface Discard<B> {
        void discard(B body) throws IOException;
    }

    private <B, T> T execute(ApiRequest request, Body<B> kind, OnSuccess<B, T> onSuccess) {
        URI uri = resolve(request);
        Authentication.Credential credential = auth.forCall(provider, request.authenticated());
        ProviderErrors.CallInfo call = new ProviderErrors.CallInfo(provider, request.method(), logPath(uri),
                credential == null ? null : credential.secret());
        Instant deadline = clock.instant().plus(retryOptions.deadline());
        // made at the first failure: most calls succeed at once
        Retry.AsyncContext<Attempt> context = null;
        int maxAttempts = retryOptions.maxRetries() + 1;
        for (int number = 1; ; number++) {
            Attempt attempt = new Attempt(number, request.retrySafety(), deadline);
            long waitMillis;
            try {
                long started = System.nanoTime();
                HttpResponse<B> response = sendFollowingRedirects(request, uri, credential, kind, deadline, call);
                int status = response.statusCode();
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} {} {} -> {} (attempt {}/{})", provider, call.method(), call.path(), status, number,
                            maxAttempts);
                }
                if (status >= 200 && status <= 299 || request.redirectIsAnswer() && isRedirect(status)) {
                    return onSuccess.handle(response, call, started);
                }
                String body = kind.errorText().of(response.body());
                attempt.answered(status, response.headers(), clock.instant());
                context = context != null ? context : retry.asyncContext();
                waitMillis = context.onResult(attempt);
                if (waitMillis < 0) {
                    throw ProviderErrors.fromResponse(call, status, response.headers(), body, attempt.retryable(),
                            attempt.serverDelay != null && !attempt.serverDelay.isNegative() ? attempt.serverDelay : null);
                }
            } catch (IOException e) {
                LOG.debug("{} {} {} failed: {} (attempt {}/{})", provider, call.method(), call.path(),
                        e.getClass().getSimpleName(), number, maxAttempts);
                attempt.failed(e);
                context = context != null ? context : retry.asyncContext();
                waitMillis = context.onError(new AttemptFailure(attempt, e));
                if (waitMillis < 0) {
                    throw ProviderErrors.transport(call, number, e, attempt.mayHaveReachedServer());
                }
            } catch (InterruptedException e) {
                throw interrupted(call, e);
            }
            LOG.debug("{} {} {}: retrying in {} ms", provider, call.method(), call.path(), waitMillis);
            try {
                sleeper.sleep(Duration.ofMillis(waitMillis));
            } catch (InterruptedException e) {
                throw interrupted(call, e);
            }
        }
    }

    private static FineTuneException interrupted(ProviderErrors.CallInfo call, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new FineTuneException(call.provider() + ": " + call.method() + " " + call.path() + " was interrupted", e);
    }

    /**
     * The wait in milliseconds before the next attempt, or -1 to stop: the server's wait if it
     * named one (stop if it is longer than {@code maxRetryAfter}), else the jittered exponential
     * backoff; stop if the wait would reach the deadline.
     */
    private Long waitMillis(Integer attemptNumber, Either<Throwable, Attempt> outcome) {
        Attempt attempt = outcome.isRight() ? outcome.get() : ((AttemptFailure) outcome.getLeft()).attempt;
        Duration wait;
        if (attempt.serverDelay != null && attempt.serverDelay.compareTo(Duration.ZERO) > 0) {
            if (attempt.serverDelay.compareTo(retryOptions.maxRetryAfter()) > 0) {
                LOG.debug("{}: the server asks to wait {}, longer than maxRetryAfter {}; not retrying", provider,
                        attempt.serverDelay, retryOptions.maxRetryAfter());
                return -1L;
            }
            wait = attempt.serverDelay;
        } else {
            double jitter = 1.0 - 0.25 * random.getAsDouble();
            wait = Duration.ofMillis(Math.round(backoff.apply(attemptNumber) * jitter));
        }
        wait = Duration.ofMillis((wait.toNanos() + 999_999) / 1_000_000);
        if (!clock.instant().plus(wait).isBefore(attempt.deadline)) {
            LOG.debug("{}: a wait of {} would reach the deadline; not retrying", provider, wait);
            return -1L;
        }
        return wait.toMillis();
    }

    private <B> HttpResponse<B> sendFollowingRedirects(ApiRequest request, URI uri,
            Authentication.Credential credential, Body<B> kind, Instant deadline, ProviderErrors.CallInfo call)
            throws IOException, InterruptedException {
        URI target = uri;
        boolean followable = (request.method().equals("GET") || request.method().equals("HEAD"))
                && !request.redirectIsAnswer();
        for (int redirects = 0; ; redirects++) {
            HttpResponse<B> response = sendWatched(build(request, target, credential), kind.handler(),
                    attemptTimeout(request, deadline));
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("location");
            boolean redirect = isRedirect(status);
            if (!redirect || !followable || location.isEmpty() || redirects == MAX_REDIRECTS) {
                return response;
            }
            kind.discard().discard(response.body());
            target = target.resolve(location.get());
            LOG.debug("{} {} {} -> {}, following to {}", provider, call.method(), call.path(), status, logPath(target));
        }
    }

    /**
     * Sends one request, interrupted by the {@link TimeoutWatchdog} when {@code timeout} passes
     * first: for a body received whole the timeout covers the body too, for a streamed one the
     * wait for the headers. (Not {@code HttpRequest.timeout}, which wakes the JDK client's selector
     * thread on every request, nor a wait on {@code sendAsync}'s future, which hands every answer
     * to two other threads.)
     */
    private <B> HttpResponse<B> sendWatched(HttpRequest request, HttpResponse.BodyHandler<B> handler,
            Duration timeout) throws IOException, InterruptedException {
        TimeoutWatchdog.Watch watch = TimeoutWatchdog.SHARED.watch(timeout);
        try {
            HttpResponse<B> response = client.send(request, handler);
            // time ran out just as the answer came: the answer counts
            watch.stop();
            return response;
        } catch (InterruptedException e) {
            if (watch.stop()) {
                throw new HttpTimeoutException("no answer within " + timeout);
            }
            throw e;
        } finally {
            watch.stop();
        }
    }

    /** The attempt's timeout: the request's or the client's, cut to what is left of the call's deadline. */
    private Duration attemptTimeout(ApiRequest request, Instant deadline) throws HttpConnectTimeoutException {
        Duration perAttempt = request.timeout() != null ? request.timeout() : timeout;
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.compareTo(Duration.ofMillis(1)) < 0) {
            // Nothing was sent, so say so the way a connect timeout does.
            throw new HttpConnectTimeoutException("the call's deadline of " + retryOptions.deadline()
                    + " passed before the attempt");
        }
        return perAttempt.compareTo(left) < 0 ? perAttempt : left;
    }

    private HttpRequest build(ApiRequest request, URI target, Authentication.Credential credential) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
                .method(request.method(), request.publisher())
                .header("User-Agent", USER_AGENT)
                .header("Accept", request.accept());
        if (request.contentType() != null) {
            b.header("Content-Type", request.contentType());
        }
        if (credential != null && request.authenticated() && sameOrigin(target, baseUrl)) {
            b.header(credential.header(), credential.value());
        }
        for (Map.Entry<String, String> h : defaultHeaders) {
            b.header(h.getKey(), h.getValue());
        }
        for (Map.Entry<String, String> h : request.headers()) {
            b.setHeader(h.getKey(), h.getValue());
        }
        return b.build();
    }

    /** The request's absolute URI: base URL + path + encoded query, or its own absolute URI. */
    URI resolve(ApiRequest request) {
        if (request.absolute() == null && request.query().isEmpty()) {
            URI known = resolved.get(request.path());
            if (known != null) {
                return known;
            }
            URI uri = URI.create(baseUrl + request.path());
            if (resolved.size() < MAX_RESOLVED) {
                resolved.put(request.path(), uri);
            }
            return uri;
        }
        StringBuilder sb = new StringBuilder(request.absolute() != null ? request.absolute().toString()
                : baseUrl.toString() + request.path());
        if (!request.query().isEmpty()) {
            sb.append(sb.indexOf("?") >= 0 ? '&' : '?');
            boolean first = true;
            for (Map.Entry<String, String> q : request.query()) {
                if (!first) {
                    sb.append('&');
                }
                first = false;
                sb.append(encodeQuery(q.getKey())).append('=').append(encodeQuery(q.getValue()));
            }
        }
        return URI.create(sb.toString());
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String encodeQuery(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String logPath(URI uri) {
        String path = uri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** At most {@link ProviderException#MAX_RAW_BODY} bytes of an error body, decoded leniently. */
    private static String readBounded(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while (out.size() < ProviderException.MAX_RAW_BODY
                    && (n = in.read(buf, 0, Math.min(buf.length, ProviderException.MAX_RAW_BODY - out.size()))) >= 0) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            // The status says what went wrong; a body cut short by the connection is still worth quoting.
            return "";
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** One attempt of a call: what came back, and what the retry policy needs to judge it. */
    private static final class Attempt {
        final int number;
        final RetrySafety safety;
        final Instant deadline;
        int status = -1;
        HttpHeaders headers;
        Duration serverDelay;
        IOException failure;

        Attempt(int number, RetrySafety safety, Instant deadline) {
            this.number = number;
            this.safety = safety;
            this.deadline = deadline;
        }

        void answered(int status, HttpHeaders headers, Instant now) {
            this.status = status;
            this.headers = headers;
            this.serverDelay = ServerDelay.of(status, headers, now).orElse(null);
        }

        void failed(IOException e) {
            this.failure = e;
        }

        /** The server's {@code x-should-retry}: TRUE, FALSE, or null when absent or neither. */
        Boolean shouldRetryHeader() {
            String v = headers.firstValue("x-should-retry").map(s -> s.strip().toLowerCase(Locale.ROOT)).orElse("");
            return v.equals("true") ? Boolean.TRUE : v.equals("false") ? Boolean.FALSE : null;
        }

        /** Whether the caller may repeat the call later, going by status and {@code x-should-retry}. */
        boolean retryable() {
            Boolean header = shouldRetryHeader();
            return header != null ? header : ProviderException.isRetryableStatus(status);
        }

        boolean mayHaveReachedServer() {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                    return false;
                }
            }
            return true;
        }

        boolean wantsRetry() {
            if (failure != null) {
                return safety == RetrySafety.SAFE || !mayHaveReachedServer();
            }
            if (status >= 200 && status <= 299) {
                return false;
            }
            if (safety == RetrySafety.UNSAFE) {
                // Only a 429 certainly left the request unprocessed.
                return status == 429 && !Boolean.FALSE.equals(shouldRetryHeader());
            }
            return retryable();
        }
    }

    /** Carries a failed attempt through resilience4j's exception path. */
    private static final class AttemptFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Attempt attempt;

        AttemptFailure(Attempt attempt, IOException cause) {
            super(cause.getMessage(), cause, false, false);
            this.attempt = attempt;
        }
    }

    /** The shared default client, made on first use: HTTP/1.1, connect timeout, no automatic redirects. */
    private static final class DefaultClient {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Builds an {@link ProviderHttp}. Not thread-safe. */
    public static final class Builder {

        private final String provider;
        private final URI baseUrl;
        private Authentication auth = Authentication.none();
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private HttpClient httpClient;
        private RetryOptions retry = RetryOptions.defaults();
        private Duration timeout = DEFAULT_TIMEOUT;
        private Sleeper sleeper = Sleeper.system();
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder(String provider, URI baseUrl) {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (provider.isBlank()) {
                throw new IllegalArgumentException("provider id is blank");
            }
            String scheme = baseUrl.getScheme();
            if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("base URL '" + baseUrl + "' is not an absolute http(s) URL with a host");
            }
            if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("base URL '" + baseUrl.getScheme() + "://" + baseUrl.getRawAuthority()
                        + baseUrl.getRawPath() + "' must not have a query or fragment");
            }
            this.provider = provider;
            String s = baseUrl.toString();
            while (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            this.baseUrl = URI.create(s);
        }

        /** The key sent as {@code Authorization: Bearer …}: {@code auth(Authentication.bearer(apiKey))}. */
        public Builder apiKey(ApiKey apiKey) {
            return auth(Authentication.bearer(Objects.requireNonNull(apiKey, "apiKey")));
        }

        /** How calls authenticate (default {@link Authentication#none()}: public endpoints, emulators). */
        public Builder auth(Authentication auth) {
            this.auth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /** A header sent with every call (such as {@code OpenAI-Organization}); never logged. */
        public Builder header(String name, String value) {
            headers.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            return this;
        }

        /**
         * The JDK client to send with (proxy, SSL context, executor). Its redirect policy should be
         * {@code NEVER}: this class follows redirects itself so the key never leaves the base URL's
         * origin. Default: a shared HTTP/1.1 client with a 10 s connect timeout.
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** How failed calls are retried, and each call's deadline. */
        public Builder retry(RetryOptions retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** The per-attempt timeout (default 10 minutes), cut to what is left of the call's deadline. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout is " + timeout + "; it must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /** How retry waits pass (default {@link Sleeper#system()}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The clock deadlines and HTTP-date waits are measured on (default the UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The source of backoff jitter, in [0, 1) (for tests; default a thread-local random). */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The client. */
        public ProviderHttp build() {
            return new ProviderHttp(this);
        }
    }
}
