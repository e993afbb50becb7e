package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.EmulatorServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server side of one emulator: starting on its own port or sharing another's, closing, and
 * the JUnit callbacks' rules about who started it. Thread-safe.
 */
final class EmulatorLifecycle {

    private final String name;
    private final int port;
    private final boolean recordRequests;
    private final boolean resetBeforeEachTest;
    private final EmulatorServer.Handler handler;
    private final Runnable reset;
    private EmulatorServer server;
    private String mount = "";
    private boolean ownsServer;
    private boolean closed;
    private int lastPort;
    /** The JUnit context that started the emulator and therefore closes it. */
    private String startedBy;

    EmulatorLifecycle(String name, int port, boolean recordRequests, boolean resetBeforeEachTest,
                      EmulatorServer.Handler handler, Runnable reset) {
        this.name = name;
        this.port = port;
        this.recordRequests = recordRequests;
        this.resetBeforeEachTest = resetBeforeEachTest;
        this.handler = handler;
        this.reset = reset;
    }

    /** Starts on the configured port unless already running. */
    synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the " + name + " emulator was closed; create a new one");
        }
        if (server == null) {
            server = EmulatorServer.start(port, recordRequests);
            server.mount("", handler);
            ownsServer = true;
        }
    }

    /** Runs on a server someone else owns, below {@code prefix}. */
    synchronized void attach(EmulatorServer shared, String prefix) {
        shared.mount(prefix, handler);
        this.server = shared;
        this.mount = prefix;
        this.ownsServer = false;
    }

    /** {@code http://localhost:PORT} plus the mount prefix; starts the emulator if needed. */
    synchronized String rootUrl() {
        return "http://localhost:" + port() + mount;
    }

    /** The port; starts the emulator if needed; after close, the port it had. */
    synchronized int port() {
        if (!(closed && server != null)) {
            start();
        }
        if (lastPort == 0) {
            lastPort = server.port();
        }
        return lastPort;
    }

    synchronized boolean isRunning() {
        return server != null && !closed && server.isRunning();
    }

    synchronized List<RecordedRequest> requests() {
        if (server == null) {
            return List.of();
        }
        List<RecordedRequest> out = new ArrayList<>();
        for (EmulatorServer.Received r : server.received(mount)) {
            out.add(new RecordedRequest(r.method(), r.url().substring(mount.length()), Map.copyOf(r.headers()),
                    new String(r.body(), java.nio.charset.StandardCharsets.UTF_8), r.fault()));
        }
        return out;
    }

    synchronized void forgetRequests() {
        if (server != null && ownsServer) {
            server.forgetRequests();
        }
    }

    synchronized void close() {
        if (!closed && server != null && ownsServer) {
            server.close();
        }
        closed = true;
    }

    // ---------------------------------------------------------------- JUnit

    synchronized void beforeAll(ExtensionContext context) {
        if (server == null) {
            start();
            startedBy = context.getUniqueId();
        }
    }

    void beforeEach(ExtensionContext context) {
        boolean fresh;
        synchronized (this) {
            fresh = server == null;
            if (fresh) {
                start();
                startedBy = context.getUniqueId();
            }
        }
        if (!fresh && resetBeforeEachTest) {
            reset.run();
        }
    }

    synchronized void after(ExtensionContext context) {
        if (context.getUniqueId().equals(startedBy)) {
            close();
        }
    }
}
