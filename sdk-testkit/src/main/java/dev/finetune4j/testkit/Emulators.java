package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.EmulatorServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * All provider emulators on one port, for running outside tests ({@code ./finetune4j emulator
 * --port N}, or {@code java dev.finetune4j.testkit.Emulators --port N}). Each provider is
 * mounted below its own path so that their {@code /v1/...} routes do not collide:
 * <ul>
 *   <li>OpenAI: {@code http://localhost:N/openai/v1} (use as {@code OPENAI_BASE_URL})
 *   <li>Mistral: {@code http://localhost:N/mistral} (use as {@code MISTRAL_BASE_URL})
 *   <li>Hugging Face: Hub {@code http://localhost:N/huggingface} (use as {@code HF_ENDPOINT}),
 *       serving {@code http://localhost:N/huggingface/v1} (use as {@code HF_SERVING_URL})
 * </ul>
 * Requests are not recorded, so memory stays flat however long it runs. Thread-safe.
 */
public final class Emulators implements AutoCloseable {

    /** The path below which the OpenAI emulator is mounted. */
    public static final String OPENAI_PREFIX = "/openai";
    /** The path below which the Mistral emulator is mounted. */
    public static final String MISTRAL_PREFIX = "/mistral";
    /** The path below which the Hugging Face emulator is mounted. */
    public static final String HUGGINGFACE_PREFIX = "/huggingface";

    private final EmulatorServer server;
    private final OpenAiEmulator openai;
    private final MistralEmulator mistral;
    private final HuggingFaceEmulator huggingface;

    private Emulators(EmulatorServer server, JobProgression progression) {
        this.server = server;
        this.openai = OpenAiEmulator.builder().progression(progression).recordRequests(false)
                .attach(server, OPENAI_PREFIX);
        this.mistral = MistralEmulator.builder().progression(progression).recordRequests(false)
                .attach(server, MISTRAL_PREFIX);
        this.huggingface = HuggingFaceEmulator.builder().progression(progression).recordRequests(false)
                .attach(server, HUGGINGFACE_PREFIX);
    }

    /**
     * Starts every emulator on {@code port} (0 = a free port), jobs moving one status per poll.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static Emulators startAll(int port) {
        return startAll(port, JobProgression.onPoll());
    }

    /**
     * Starts every emulator on {@code port} (0 = a free port) with this job progression.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static Emulators startAll(int port, JobProgression progression) {
        Objects.requireNonNull(progression, "progression");
        return new Emulators(EmulatorServer.start(port, false), progression);
    }

    /** The port they listen on. */
    public int port() {
        return server.port();
    }

    /** The OpenAI emulator. */
    public OpenAiEmulator openai() {
        return openai;
    }

    /** The Mistral emulator. */
    public MistralEmulator mistral() {
        return mistral;
    }

    /** The Hugging Face emulator. */
    public HuggingFaceEmulator huggingface() {
        return huggingface;
    }

    /**
     * Provider name ({@code openai}, {@code mistral}, {@code huggingface} (the Hub), {@code
     * huggingface-serving}) to base URL, in a stable order.
     */
    public Map<String, String> baseUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("openai", openai.baseUrl());
        urls.put("mistral", mistral.baseUrl());
        urls.put("huggingface", huggingface.hubUrl());
        urls.put("huggingface-serving", huggingface.servingUrl());
        return urls;
    }

    /** Stops every emulator; idempotent. */
    @Override
    public void close() {
        openai.close();
        mistral.close();
        huggingface.close();
        server.close();
    }

    /**
     * Runs the emulators until the process is stopped: {@code [--port N]} (default 8089). Prints
     * one line per provider, {@code NAME BASE_URL}, on stdout.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 8089;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else if (args[i].startsWith("--port=")) {
                port = Integer.parseInt(args[i].substring("--port=".length()));
            } else {
                System.err.println("usage: Emulators [--port N]");
                System.exit(2);
            }
        }
        Emulators emulators = startAll(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulators.close();
            stopped.countDown();
        }, "finetune4j-emulators-shutdown"));
        emulators.baseUrls().forEach((name, url) -> System.out.println(name + " " + url));
        System.out.flush();
        stopped.await();
    }
}
