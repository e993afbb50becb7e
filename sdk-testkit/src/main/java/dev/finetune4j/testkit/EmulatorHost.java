package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.EmulatorServer;

/**
 * One loopback port that several emulators share, each below its own path
 * ({@code http://localhost:PORT/openai/v1}, {@code .../mistral}): what {@link Emulators#startAll}
 * and {@code finetune4j emulator} run on. Requests are not recorded, so memory stays flat however
 * long it runs. Thread-safe.
 *
 * <pre>{@code
 * try (EmulatorHost host = EmulatorHost.start(0)) {
 *     OpenAiEmulator openai = OpenAiEmulator.builder().attach(host, "/openai");
 *     MistralEmulator mistral = MistralEmulator.builder().attach(host, "/mistral");
 *     ...
 * }
 * }</pre>
 */
public final class EmulatorHost implements AutoCloseable {

    private final EmulatorServer server;

    private EmulatorHost(EmulatorServer server) {
        this.server = server;
    }

    /**
     * Starts a host on {@code port} (0 = a free one).
     *
     * @throws IllegalArgumentException when the port is not 0..65535
     * @throws IllegalStateException when the port cannot be bound
     */
    public static EmulatorHost start(int port) {
        return new EmulatorHost(EmulatorServer.start(port, false));
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** Whether it is serving requests. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Stops serving, for every emulator on it; idempotent. */
    @Override
    public void close() {
        server.close();
    }

    EmulatorServer server() {
        return server;
    }

    @Override
    public String toString() {
        return "EmulatorHost[" + (isRunning() ? "http://localhost:" + port() : "stopped") + "]";
    }
}
