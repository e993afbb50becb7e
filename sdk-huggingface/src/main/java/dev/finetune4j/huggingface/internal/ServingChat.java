package dev.finetune4j.huggingface.internal;

import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.kit.OpenAiCompatibleChat;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Hugging Face chat, wherever the model is served: a call without a serving URL (or with the
 * configured one) goes to the hand-configured serving endpoint, after its {@code /models} check; a
 * call with another serving URL (an Inference Endpoint of a deployment) goes there, with {@code
 * X-Scale-Up-Timeout} when the call may wait for a scaled-to-zero endpoint to wake (the proxy then
 * holds it until a replica is ready, instead of answering 503). Deployed endpoints are not checked
 * before each call: their adapter was checked once before the deployment was recorded ready, and
 * asking {@code /models} of an endpoint scaled to zero would wake it for nothing.
 *
 * <p>One client per endpoint URL and wake-up wait, kept (a few per deployment). Thread-safe.
 */
public final class ServingChat implements ChatService {

    /** The header that makes the endpoints' proxy hold a request while a replica starts (seconds). */
    public static final String SCALE_UP_TIMEOUT = "X-Scale-Up-Timeout";

    /** Clients kept at most; beyond that they are built per call (a run-away number of deployments). */
    static final int MAX_CLIENTS = 256;

    private final URI configured;
    private final ChatService configuredChat;
    private final BiFunction<URI, Duration, ProviderHttp> endpointHttp;
    private final Map<String, ChatService> clients = new ConcurrentHashMap<>();

    /**
     * @param configured the hand-configured serving URL, or null
     * @param configuredChat chat there (it fails, saying how to configure one, when there is none)
     * @param endpointHttp a client for an endpoint's URL whose attempts may last the given wake-up wait longer
     */
    public ServingChat(URI configured, ChatService configuredChat, BiFunction<URI, Duration, ProviderHttp> endpointHttp) {
        this.configured = configured;
        this.configuredChat = Objects.requireNonNull(configuredChat, "configuredChat");
        this.endpointHttp = Objects.requireNonNull(endpointHttp, "endpointHttp");
    }

    @Override
    public ChatResult chat(ChatCall call) {
        return serviceFor(call).chat(call);
    }

    @Override
    public void chatStream(ChatCall call, ChatStreamListener listener) {
        serviceFor(call).chatStream(call, listener);
    }

    private ChatService serviceFor(ChatCall call) {
        Objects.requireNonNull(call, "call");
        if (call.servingUrl().isEmpty() || call.servingUrl().get().equals(configured)) {
            return configuredChat;
        }
        URI url = call.servingUrl().get();
        Duration wait = call.wakeUpTimeout().orElse(Duration.ZERO);
        String key = url + " " + wait.getSeconds();
        ChatService known = clients.get(key);
        if (known != null) {
            return known;
        }
        OpenAiCompatibleChat.Builder b = OpenAiCompatibleChat.builder(endpointHttp.apply(url, wait));
        if (!wait.isZero()) {
            b.header(SCALE_UP_TIMEOUT, Long.toString(Math.max(1, wait.getSeconds())));
        }
        ChatService fresh = b.build();
        if (clients.size() < MAX_CLIENTS) {
            clients.putIfAbsent(key, fresh);
        }
        return fresh;
    }

    @Override
    public String toString() {
        return "ServingChat[configured=" + (configured == null ? "none" : configured) + ", endpoints=" + clients.size()
                + "]";
    }
}
