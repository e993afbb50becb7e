package dev.finetune4j.spi.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.finetune4j.TransportException;
import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.internal.chat.StreamedAnswer;
import dev.finetune4j.internal.json.ChatBody;
import dev.finetune4j.internal.json.ChatCompletion;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.internal.json.JsonValues;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatStreamListener;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Chat completions over the OpenAI chat completions protocol ({@code POST …/chat/completions},
 * plain and streamed as server-sent events), for every server that speaks it: OpenAI, Mistral,
 * vLLM, TGI, Hugging Face Inference Endpoints, Together AI, Azure OpenAI… A provider configures
 * what differs ({@link Builder}) and hands calls to it. Part of the provider kit (see the package
 * documentation).
 *
 * <h2>The request</h2>
 *
 * {@code model}, {@code messages} (role, {@code name} unless {@link Builder#sendMessageName(boolean)
 * turned off}, {@code content} when the message has text, {@code tool_calls}, {@code
 * tool_call_id}; never the training-only {@code weight}), {@code tools}, then each option the
 * call sets: {@code temperature}, {@code top_p}, the token limit (under {@link
 * Builder#maxTokensField}), {@code stop}, the seed (under {@link Builder#seedField}), {@code
 * response_format}; for a stream {@code stream: true} and, unless turned off, {@code
 * stream_options: {"include_usage": true}}; then the configured {@linkplain Builder#field fixed
 * fields} and the call's {@linkplain ChatOptions#extraFields() extra fields}. A call's extra field may
 * not name a field written from its own options ({@link IllegalArgumentException}, before
 * anything is sent); a fixed field gives way to a field of the same name the call writes. Chat
 * calls are safe to repeat, so they are retried like any safe call until an answer starts. The
 * call's {@linkplain ChatOptions#timeout() timeout}, when set, bounds each HTTP attempt: a plain
 * answer until it has arrived whole, a stream until it has ended. A call whose {@linkplain
 * ChatCall#servingUrl() serving URL} is not this client's base URL is refused ({@link
 * IllegalArgumentException}, nothing sent): a provider that serves deployments at their own
 * addresses builds one client per address.
 *
 * <h2>The answer</h2>
 *
 * Read without building a tree. A plain answer: the first choice's text (its {@code refusal} when
 * it has no text; text chunks of a list are joined), its tool calls (arguments sent as an object
 * are kept as their JSON text, missing arguments are {@code {}}), its finish reason ({@value
 * ChatResult#UNKNOWN_FINISH_REASON} when the server names none), the usage ({@link Usage#NONE}
 * when absent), the model (the one asked for when absent) and the {@code x-request-id}. An answer
 * without a choice, or that is not JSON, is a {@link dev.finetune4j.ProviderException} quoting a
 * bounded excerpt of it.
 *
 * <p>A stream: every {@code message} event is a chunk (other event types are skipped). Text pieces
 * and tool-call pieces go to the listener as they arrive; tool calls are assembled by their {@code
 * index} (several calls, each split across chunks). Then, once the stream has ended, {@link
 * ChatStreamListener#onComplete} gets the whole answer with the last finish reason and the last
 * usage reported. The rules, the same for every provider that uses this class:
 *
 * <ul>
 *   <li>a stream that ends (at {@code [DONE]} or at the end of input) without any chunk carrying a
 *       finish reason did not finish: {@link TransportException}, saying so and what arrived;
 *   <li>a chunk that is not JSON: {@link dev.finetune4j.ProviderException} with the provider, the
 *       path and a bounded excerpt of the chunk;
 *   <li>an error inside the stream ({@code event: error}, or a chunk holding an {@code error}
 *       object): {@link dev.finetune4j.ProviderException} mapped like an HTTP error ({@link
 *       ProviderErrors#fromStreamError});
 *   <li>the per-call timeout passing before the stream ended: {@link TransportException}.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenAiCompatibleChat implements ChatService {

    /** The path calls go to unless configured otherwise, under the client's base URL. */
    public static final String DEFAULT_PATH = "/chat/completions";

    private final ProviderHttp http;
    private final String path;
    private final ChatBody.Wire wire;
    private final List<Map.Entry<String, String>> headers;
    private final Consumer<ChatCall> beforeCall;

    private OpenAiCompatibleChat(Builder b) {
        this.http = b.http;
        this.path = b.path;
        this.wire = new ChatBody.Wire(b.maxTokensField, b.seedField, b.sendMessageName, b.defaultToolParameters,
                b.streamUsage, Collections.unmodifiableMap(new LinkedHashMap<>(b.fields)));
        this.headers = List.copyOf(b.headers);
        this.beforeCall = b.beforeCall;
    }

    /** A builder of a client that sends through {@code http} (its base URL is the endpoint). */
    public static Builder builder(ProviderHttp http) {
        return new Builder(http);
    }

    /**
     * One chat completion.
     *
     * @throws dev.finetune4j.NotFoundException for a 404 (an unknown or deleted model), with its
     *     {@code providerError()}
     * @throws dev.finetune4j.ProviderException for an error answer (after retries) or an answer
     *     that is not a chat completion
     * @throws TransportException when no answer came (after retries) within the call's timeout
     * @throws IllegalArgumentException when an extra field names a field the call writes itself, or
     *     the call's serving URL is another server's
     */
    @Override
    public ChatResult chat(ChatCall call) {
        Objects.requireNonNull(call, "call");
        requireOwnAddress(call);
        beforeCall.accept(call);
        return http.sendJson(request(call, false), (answer, info) -> result(answer, info, call));
    }

    private static ChatResult result(HttpResponse<byte[]> answer, ProviderErrors.CallInfo info, ChatCall call)
            throws IOException {
        ChatCompletion c = ChatCompletion.read(answer.body());
        if (!c.hasChoice()) {
            throw ProviderErrors.unexpectedBody(info, answer.statusCode(), answer.headers(), answer.body(),
                    "the chat completion has no choices");
        }
        String content = c.content() != null ? c.content() : c.refusal();
        List<ToolCall> calls = new ArrayList<>(c.toolCalls().size());
        for (ChatCompletion.RawToolCall t : c.toolCalls()) {
            calls.add(new ToolCall(t.id() == null ? "" : t.id(), t.name() == null ? "" : t.name(),
                    t.arguments() == null ? "{}" : t.arguments()));
        }
        return new ChatResult(content == null ? "" : content, calls,
                c.finishReason() == null ? ChatResult.UNKNOWN_FINISH_REASON : c.finishReason(),
                c.hasUsage() ? new Usage(c.promptTokens(), c.completionTokens()) : Usage.NONE,
                c.model() == null ? call.model() : c.model(),
                ProviderErrors.requestId(answer.headers()).orElse(""));
    }

    /**
     * One streamed chat completion; see the class documentation for what reaches the listener and
     * how a stream can fail. What the listener throws ends the call with that exception.
     *
     * @throws dev.finetune4j.NotFoundException for a 404 (an unknown or deleted model), with its
     *     {@code providerError()}
     * @throws dev.finetune4j.ProviderException for an error answer or an error inside the stream,
     *     or a chunk that is not JSON
     * @throws TransportException when no answer came, the stream ended before the answer finished,
     *     or the call's timeout passed
     * @throws IllegalArgumentException when an extra field names a field the call writes itself, or
     *     the call's serving URL is another server's
     */
    @Override
    public void chatStream(ChatCall call, ChatStreamListener listener) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(listener, "listener");
        requireOwnAddress(call);
        beforeCall.accept(call);
        StreamedAnswer answer = new StreamedAnswer();
        try (SseReader events = http.stream(request(call, true))) {
            while (events.hasNext()) {
                SseEvent event = events.next();
                if (!event.event().equals("message")) {
                    continue;
                }
                ChatCompletion chunk;
                try {
                    chunk = ChatCompletion.read(event.data());
                } catch (JsonProcessingException e) {
                    throw events.unexpectedData(event.data(), "a chunk of the chat stream is not JSON");
                } catch (IOException e) {
                    // a parser over a string does no I/O
                    throw new IllegalStateException(e);
                }
                if (chunk.hasError()) {
                    throw events.errorData(event.data());
                }
                answer.accept(chunk, listener);
            }
            if (!answer.finished()) {
                throw new TransportException(http.provider() + ": the chat stream of POST " + http.baseUrl().getRawPath()
                        + path + " for " + call.model() + " ended before the answer finished: no chunk carried a "
                        + "finish_reason (received " + answer.received() + "); the answer is incomplete", null,
                        http.provider(), true);
            }
            listener.onComplete(answer.result(call.model(), events.requestId().orElse("")));
        }
    }

    /**
     * A call meant for another server (a deployment's {@link ChatCall#servingUrl()}) is refused
     * rather than sent to this client's base URL: the provider must route it to a client for that
     * address.
     */
    private void requireOwnAddress(ChatCall call) {
        call.servingUrl().ifPresent(url -> {
            if (!trimmed(url).equals(trimmed(http.baseUrl()))) {
                throw new IllegalArgumentException(http.provider() + ": this chat client sends to " + http.baseUrl()
                        + ", not to the call's serving URL " + url + "; use a client built for that address");
            }
        });
    }

    private static String trimmed(java.net.URI url) {
        String s = url.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private ApiRequest request(ChatCall call, boolean stream) {
        ApiRequest.Builder b = ApiRequest.post(path).body(ChatBody.write(call, wire, stream), "application/json")
                .retrySafety(RetrySafety.SAFE);
        if (stream) {
            b.accept("text/event-stream");
        }
        for (Map.Entry<String, String> h : headers) {
            b.header(h.getKey(), h.getValue());
        }
        call.options().timeout().ifPresent(b::timeout);
        return b.build();
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleChat[" + http.baseUrl() + path + "]";
    }

    /**
     * Builds an {@link OpenAiCompatibleChat}: every setting has the default of the OpenAI
     * protocol as most servers implement it. Not thread-safe.
     */
    public static final class Builder {
        private final ProviderHttp http;
        private String path = DEFAULT_PATH;
        private String maxTokensField = "max_tokens";
        private String seedField = "seed";
        private boolean sendMessageName = true;
        private String defaultToolParameters;
        private boolean streamUsage = true;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private Consumer<ChatCall> beforeCall = call -> { };

        private Builder(ProviderHttp http) {
            this.http = Objects.requireNonNull(http, "http");
        }

        /**
         * The path under the client's base URL (default {@value #DEFAULT_PATH}; Mistral's base URL
         * is its host, so it sets {@code /v1/chat/completions}).
         *
         * @throws IllegalArgumentException if it does not start with {@code /} or carries a query
         */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            // the request builder's own checks, now rather than on the first call
            ApiRequest.post(path);
            this.path = path;
            return this;
        }

        /**
         * The field the token limit is sent under: {@code max_tokens} (default; Mistral, vLLM,
         * TGI) or {@code max_completion_tokens} (OpenAI, whose reasoning models refuse the other).
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder maxTokensField(String name) {
            this.maxTokensField = JsonValues.name(name, "max tokens field");
            return this;
        }

        /**
         * The field the seed is sent under: {@code seed} (default) or Mistral's {@code
         * random_seed}.
         *
         * @throws IllegalArgumentException if blank
         */
        public Builder seedField(String name) {
            this.seedField = JsonValues.name(name, "seed field");
            return this;
        }

        /** Whether a message's {@code name} is sent (default true; Mistral's chat has no such field). */
        public Builder sendMessageName(boolean send) {
            this.sendMessageName = send;
            return this;
        }

        /**
         * The parameters schema sent for a tool defined without one (Mistral requires {@code
         * parameters}: {@code {"type":"object","properties":{}}}); by default {@code parameters}
         * is left out.
         *
         * @throws IllegalArgumentException if it is not a JSON object
         */
        public Builder defaultToolParameters(String schemaJson) {
            Objects.requireNonNull(schemaJson, "schemaJson");
            this.defaultToolParameters = Json.compactObject(schemaJson, "the default tool parameters");
            return this;
        }

        /**
         * Whether a stream asks for its usage with {@code stream_options: {"include_usage": true}}
         * (default true; Mistral sends the usage in its last chunk unasked, and its documented
         * request has no {@code stream_options}).
         */
        public Builder streamUsage(boolean ask) {
            this.streamUsage = ask;
            return this;
        }

        /** A header sent with every chat call, beside the client's own headers. */
        public Builder header(String name, String value) {
            headers.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            return this;
        }

        /**
         * A field every call's body carries (replacing one of the same name set before), unless the
         * call writes that name itself.
         *
         * @param value a JSON value: null, String, Boolean, Number, List, or Map of String to such
         *     values (copied)
         * @throws IllegalArgumentException for a blank name or a value that is not JSON
         */
        public Builder field(String name, Object value) {
            JsonValues.name(name, "field");
            fields.put(name, JsonValues.copy(value, "field '" + name + "'"));
            return this;
        }

        /**
         * Runs before every call, plain or streamed, on the calling thread, before anything is
         * sent (Hugging Face checks that its serving endpoint serves the model). What it throws
         * reaches the caller and nothing is sent. Default: nothing.
         */
        public Builder beforeCall(Consumer<ChatCall> check) {
            this.beforeCall = Objects.requireNonNull(check, "check");
            return this;
        }

        /** The client. */
        public OpenAiCompatibleChat build() {
            return new OpenAiCompatibleChat(this);
        }
    }
}
