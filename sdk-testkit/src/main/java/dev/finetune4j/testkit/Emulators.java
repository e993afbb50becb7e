package dev.finetune4j.testkit;

import dev.finetune4j.LoggerNames;
import dev.finetune4j.testkit.spi.EmulatorFactory;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import dev.finetune4j.testkit.spi.RunningEmulator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every provider emulator on the class path on one port, for running outside tests
 * ({@code ./finetune4j emulator --port N}, or {@code java dev.finetune4j.testkit.Emulators --port N}).
 * The emulators are found with {@link java.util.ServiceLoader} ({@link EmulatorFactory}) and each
 * is mounted below {@code /PROVIDER_ID} so that their {@code /v1/...} routes do not collide; the
 * testkit's own:
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

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.TESTKIT);

    private final EmulatorHost host;
    private final List<RunningEmulator> running = new ArrayList<>();

    private Emulators(EmulatorHost host, JobProgression progression) {
        this.host = host;
        try {
            for (EmulatorFactory f : factories().values()) {
                running.add(f.start(EmulatorOptions.builder().host(host, "/" + f.providerId())
                        .progression(progression).recordRequests(false).build()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The emulator factories on the class path, by provider id, in discovery order (the testkit's
     * own first). A factory that cannot be loaded is logged and skipped without hiding the others;
     * of two with the same id the first wins.
     */
    public static Map<String, EmulatorFactory> factories() {
        Map<String, EmulatorFactory> found = new LinkedHashMap<>();
        var it = ServiceLoader.load(EmulatorFactory.class, Emulators.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return found;
                }
                EmulatorFactory f = it.next();
                if (found.putIfAbsent(f.providerId(), f) != null) {
                    LOG.warn("two emulators for '{}'; using {}", f.providerId(), found.get(f.providerId()).getClass().getName());
                }
            } catch (ServiceConfigurationError e) {
                LOG.warn("an emulator could not be loaded and is skipped: {}", e.getMessage());
            }
        }
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
        return new Emulators(EmulatorHost.start(port), progression);
    }

    /** The port they listen on. */
    public int port() {
        return host.port();
    }

    /** The running emulators, in the order their factories were found. */
    public List<RunningEmulator> running() {
        return Collections.unmodifiableList(running);
    }

    /** The OpenAI emulator (not one that {@link OpenAiEmulator.Builder#servesAs serves as} another provider). */
    public OpenAiEmulator openai() {
        return find(OpenAiEmulator.class, "openai");
    }

    /** The Mistral emulator. */
    public MistralEmulator mistral() {
        return find(MistralEmulator.class, "mistral");
    }

    /** The Hugging Face emulator. */
    public HuggingFaceEmulator huggingface() {
        return find(HuggingFaceEmulator.class, "huggingface");
    }

    private <T> T find(Class<T> type, String providerId) {
        return running.stream().filter(e -> type.isInstance(e) && e.providerId().equals(providerId)).map(type::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + type.getSimpleName() + " is running; running: "
                        + running.stream().map(RunningEmulator::providerId).toList()));
    }

    /**
     * Every emulator's named base URLs ({@code openai}, {@code mistral}, {@code huggingface} (the
     * Hub), {@code huggingface-serving}), in a stable order.
     */
    public Map<String, String> baseUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        running.forEach(r -> urls.putAll(r.baseUrls()));
        return urls;
    }

    /** Stops every emulator and the port; idempotent. */
    @Override
    public void close() {
        running.forEach(RunningEmulator::close);
        host.close();
    }

    /**
     * Runs the emulators until the process is stopped: {@code [--port N]} (default 8089). Prints
     * one line per base URL, {@code NAME BASE_URL}, on stdout.
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
