package dev.finetune4j.testkit.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Notifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.standalone.MappingsSource;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.StubMappings;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.finetune4j.testkit.ScriptedFault;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WireMock server on one port that hands every request to the emulator mounted on the
 * longest matching path prefix ({@code ""} for the root). The only class that touches WireMock.
 * Thread-safe.
 */
public final class EmulatorServer implements AutoCloseable {

    /** Handles the requests below one mount point. Must be thread-safe. */
    public interface Handler {
        Reply handle(HttpCall call);
    }

    /** A request as the server received it, and the scripted fault it was given, for assertions. */
    public record Received(String method, String url, Map<String, List<String>> headers, byte[] body,
            ScriptedFault fault) {}

    /** When a request was handled (its place in the order of handling) and the fault it got. */
    private record Handled(long sequence, ScriptedFault fault) {}

    private static final String TRANSFORMER = "finetune4j-emulator-router";

    private final Map<String, Handler> mounts = new ConcurrentHashMap<>();
    private final WireMockServer server;
    private final boolean recordRequests;
    private final Map<UUID, Handled> handled = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    private EmulatorServer(int port, boolean recordRequests) {
        this.recordRequests = recordRequests;
        WireMockConfiguration options = WireMockConfiguration.options()
                .port(port)
                // Loopback only: an emulator accepts any key and is nobody else's business.
                .bindAddress("127.0.0.1")
                .gzipDisabled(true)
                .templatingEnabled(false)
                .mappingSource(new NoMappings())
                .notifier(new QuietNotifier())
                .extensions(new Router());
        if (!recordRequests) {
            options.disableRequestJournal();
        }
        this.server = new WireMockServer(options);
    }

    /**
     * Starts a server on {@code port} (0 = a free port chosen by the system).
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static EmulatorServer start(int port, boolean recordRequests) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        EmulatorServer s = new EmulatorServer(port, recordRequests);
        try {
            s.server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the emulator on port " + port + ": " + e.getMessage(), e);
        }
        s.server.stubFor(any(anyUrl()).willReturn(ResponseDefinitionBuilder.responseDefinition()
                .withTransformers(TRANSFORMER)));
        return s;
    }

    /**
     * Routes requests whose path starts with {@code prefix} (e.g. {@code "/openai"}, or {@code ""}
     * for everything) to {@code handler}, which sees paths without the prefix.
     */
    public void mount(String prefix, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("mount prefix must be \"\" or start with '/' and not end with it: " + prefix);
        }
        if (mounts.putIfAbsent(prefix, handler) != null) {
            throw new IllegalStateException("an emulator is already mounted at '" + prefix + "'");
        }
    }

    public int port() {
        return server.port();
    }

    /** {@code http://localhost:PORT}. */
    public String rootUrl() {
        return "http://localhost:" + port();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /**
     * Requests received below {@code prefix}, in the order they were handled (empty when recording
     * is off); millisecond timestamps cannot order requests that arrive within one millisecond.
     */
    public List<Received> received(String prefix) {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        events.sort(Comparator.comparingLong((ServeEvent e) -> handled(e).sequence())
                .thenComparing(e -> e.getRequest().getLoggedDate()));
        List<Received> out = new ArrayList<>();
        for (ServeEvent e : events) {
            LoggedRequest r = e.getRequest();
            if (!under(r.getUrl(), prefix)) {
                continue;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (HttpHeader h : r.getHeaders().all()) {
                headers.put(h.key(), List.copyOf(h.values()));
            }
            out.add(new Received(r.getMethod().getName(), r.getUrl(), headers, r.getBody(), handled(e).fault()));
        }
        return out;
    }

    private Handled handled(ServeEvent e) {
        return handled.getOrDefault(e.getId(), new Handled(Long.MAX_VALUE, ScriptedFault.NONE));
    }

    /** Forgets the recorded requests. */
    public void forgetRequests() {
        server.resetRequests();
        handled.clear();
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
    }

    private static boolean under(String url, String prefix) {
        return prefix.isEmpty() || url.equals(prefix) || url.startsWith(prefix + "/") || url.startsWith(prefix + "?");
    }

    private final class Router implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return TRANSFORMER;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            LoggedRequest request = serveEvent.getRequest();
            String url = request.getUrl();
            String best = null;
            for (String prefix : mounts.keySet()) {
                if (under(url, prefix) && (best == null || prefix.length() > best.length())) {
                    best = prefix;
                }
            }
            if (best == null) {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"No emulator is mounted at " + url.replace("\"", "")
                                + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}")
                        .build();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (HttpHeader h : request.getHeaders().all()) {
                headers.put(h.key(), h.values());
            }
            HttpCall call = new HttpCall(request.getMethod().getName(), url.substring(best.length()), headers,
                    request.getBody());
            long order = sequence.incrementAndGet();
            Reply reply;
            try {
                reply = mounts.get(best).handle(call);
            } catch (RuntimeException e) {
                reply = Reply.json(500, Jsons.object().set("error", Jsons.object()
                        .put("message", "emulator bug: " + e)
                        .put("type", "server_error")
                        .putNull("param")
                        .putNull("code")));
            }
            if (recordRequests) {
                // Recorded before the reply leaves, so a client that reacts to it sees it journaled.
                handled.put(serveEvent.getId(), new Handled(order, reply.fault()));
            }
            return toWireMock(reply);
        }
    }

    private static ResponseDefinition toWireMock(Reply reply) {
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition();
        if (reply.isDropped()) {
            b.withFault(Fault.CONNECTION_RESET_BY_PEER);
        } else {
            b.withStatus(reply.status()).withBody(reply.bodyBytes());
            reply.headers().forEach(b::withHeader);
        }
        if (!reply.delay().isZero()) {
            b.withFixedDelay((int) Math.min(Integer.MAX_VALUE, reply.delay().toMillis()));
        }
        return b.build();
    }

    /**
     * WireMock would otherwise load stub files from {@code ./mappings} of the working directory;
     * an emulator's behaviour must not depend on where it runs.
     */
    private static final class NoMappings implements MappingsSource {
        @Override
        public void loadMappingsInto(StubMappings stubMappings) {}

        @Override
        public void save(List<StubMapping> stubMappings) {}

        @Override
        public void save(StubMapping stubMapping) {}

        @Override
        public void remove(StubMapping stubMapping) {}

        @Override
        public void removeAll() {}
    }

    /** Keeps WireMock's own logging off the test output; errors still go to stderr. */
    private static final class QuietNotifier implements Notifier {
        @Override
        public void info(String message) {}

        @Override
        public void error(String message) {
            System.err.println("[finetune4j emulator] " + message);
        }

        @Override
        public void error(String message, Throwable t) {
            System.err.println("[finetune4j emulator] " + message + ": " + t);
        }
    }
}
