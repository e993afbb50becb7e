package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.Emulators;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code finetune4j emulator [--port N]}: the testkit's emulators (OpenAI, Mistral, Hugging Face) on
 * one loopback port, until interrupted. Prints the base URLs and the environment lines that point
 * the CLI (or any client) at them. With {@code --json}: one document, {@code {"port", "base_urls":
 * {"openai", "mistral", ...}, "env": ["OPENAI_BASE_URL=...", ...]}}, printed as soon as they listen.
 */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = {
            "Run the OpenAI, Mistral and Hugging Face emulators on this machine until interrupted (Ctrl-C).",
            "They listen on one loopback port, each below its own path: OpenAI at http://localhost:PORT/openai/v1, "
                + "Mistral at http://localhost:PORT/mistral, the Hugging Face Hub at http://localhost:PORT/huggingface "
                + "(serving at .../huggingface/v1). They keep files, jobs and fine-tuned models in memory, move a job "
                + "one status per poll, and a fine-tuned model answers from its training data. Export the printed "
                + "lines in another terminal and every command (train, chat, eval ...) talks to them.",
            "State lives in this process only: stop it and every job and model it held is gone."
        })
final class EmulatorCommand extends BaseCommand {

    /** The key the printed environment lines use; the emulators accept any non-blank key. */
    static final String KEY = "test";

    @Option(names = "--port", paramLabel = "N", defaultValue = "8089",
            description = "The port, 0 for a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--run-for", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Stop after DURATION (90s, 30m, ...) instead of running until interrupted.")
    Duration runFor;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw usage("--port must be 0 to 65535, was " + port);
        }
        Emulators emulators;
        try {
            emulators = Emulators.startAll(port);
        } catch (IllegalStateException e) {
            throw new InputException("port", "cannot listen on port " + port + ": " + e.getMessage()
                    + " (choose another with --port N, or --port 0 for a free one)");
        }
        Thread hook = new Thread(() -> {
            stop.countDown();
            emulators.close();
        }, "finetune4j-emulator-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            FinetuneCli cli = cli();
            Map<String, String> urls = emulators.baseUrls();
            if (cli.json()) {
                cli.printJson(json(emulators.port(), urls));
            } else {
                print(cli.out(), emulators.port(), urls, runFor);
                cli.out().flush();
            }
            if (runFor != null) {
                stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                stop.await();
            }
            return ExitCodes.OK;
        } finally {
            emulators.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the emulators itself
            }
        }
    }

    /** Stops a running command (tests; Ctrl-C does the same through the shutdown hook). */
    void stop() {
        stop.countDown();
    }

    /**
     * The lines to export: base URL and key of each provider (for Hugging Face: the Hub, its token,
     * and the serving endpoint chat goes to).
     */
    static List<String> env(Map<String, String> urls) {
        List<String> lines = new ArrayList<>();
        urls.forEach((id, url) -> {
            if (id.equals("huggingface-serving")) {
                lines.add(ProviderRegistry.HF_SERVING_URL + "=" + url);
                return;
            }
            ProviderRegistry.urlVariable(id).ifPresent(v -> lines.add(v + "=" + url));
            lines.add(ProviderRegistry.keyVariable(id) + "=" + KEY);
        });
        return lines;
    }

    static ObjectNode json(int port, Map<String, String> urls) {
        ObjectNode doc = JsonDocs.object();
        doc.put("port", port);
        ObjectNode base = doc.putObject("base_urls");
        urls.forEach(base::put);
        ArrayNode env = doc.putArray("env");
        env(urls).forEach(env::add);
        return doc;
    }

    private static void print(PrintWriter out, int port, Map<String, String> urls, Duration runFor) {
        out.println("finetune4j emulator: " + urls.keySet().stream().filter(id -> !id.endsWith("-serving"))
                .map(ProviderRegistry::displayName).collect(java.util.stream.Collectors.joining(", "))
                + " emulators on port " + port + " (loopback; one port, each below its own path)");
        int width = urls.keySet().stream().mapToInt(String::length).max().orElse(0);
        urls.forEach((id, url) -> out.println("  " + id + " ".repeat(width - id.length() + 2) + url));
        out.println("In another terminal:");
        env(urls).forEach(l -> out.println("  export " + l));
        out.println("State lives in this process only: when it stops, every file, job and model it held is gone.");
        out.println(runFor == null ? "Running until interrupted (Ctrl-C)." : "Running for " + Reports.duration(runFor) + ".");
    }
}
