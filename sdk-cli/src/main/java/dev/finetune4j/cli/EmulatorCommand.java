package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.Emulators;
import dev.finetune4j.testkit.spi.RunningEmulator;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code finetune4j emulator [--port N]}: every emulator on the class path (the testkit's OpenAI,
 * Mistral and Hugging Face ones, and any other found through the testkit's emulator SPI) on one
 * loopback port, until interrupted. Prints the base URLs and the environment lines each emulator
 * says point a client at it. With {@code --json}: one document, {@code {"port", "base_urls":
 * {"openai", "mistral", ...}, "env": ["OPENAI_BASE_URL=...", ...]}}, printed as soon as they listen.
 */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = {
            "Run the OpenAI, Mistral, Hugging Face and Together AI emulators on this machine until interrupted "
                + "(Ctrl-C).",
            "They listen on one loopback port, each below its own path: OpenAI at http://localhost:PORT/openai/v1, "
                + "Mistral at http://localhost:PORT/mistral, the Hugging Face Hub at http://localhost:PORT/huggingface "
                + "(serving at .../huggingface/v1), Together AI at http://localhost:PORT/together/v1. They keep files, jobs and fine-tuned models in memory, move a job "
                + "one status per poll, and a fine-tuned model answers from its training data. Export the printed "
                + "lines in another terminal and every command (train, chat, eval ...) talks to them.",
            "State lives in this process only: stop it and every job and model it held is gone."
        })
final class EmulatorCommand extends BaseCommand {

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
            if (cli.json()) {
                cli.printJson(json(emulators));
            } else {
                print(cli.out(), emulators, runFor);
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

    /** The lines to export: each emulator's environment ({@code OPENAI_BASE_URL=...}, {@code OPENAI_API_KEY=test}, ...). */
    static List<String> env(Emulators emulators) {
        List<String> lines = new ArrayList<>();
        for (RunningEmulator e : emulators.running()) {
            e.environment().forEach((name, value) -> lines.add(name + "=" + value));
        }
        return lines;
    }

    static ObjectNode json(Emulators emulators) {
        ObjectNode doc = JsonDocs.object();
        doc.put("port", emulators.port());
        ObjectNode base = doc.putObject("base_urls");
        emulators.baseUrls().forEach(base::put);
        ArrayNode env = doc.putArray("env");
        env(emulators).forEach(env::add);
        return doc;
    }

    private static void print(PrintWriter out, Emulators emulators, Duration runFor) {
        Map<String, String> urls = emulators.baseUrls();
        out.println("finetune4j emulator: " + emulators.running().stream().map(RunningEmulator::displayName)
                .collect(Collectors.joining(", ")) + " emulators on port " + emulators.port()
                + " (loopback; one port, each below its own path)");
        int width = urls.keySet().stream().mapToInt(String::length).max().orElse(0);
        urls.forEach((id, url) -> out.println("  " + id + " ".repeat(width - id.length() + 2) + url));
        out.println("In another terminal:");
        env(emulators).forEach(l -> out.println("  export " + l));
        out.println("State lives in this process only: when it stops, every file, job and model it held is gone.");
        out.println(runFor == null ? "Running until interrupted (Ctrl-C)." : "Running for " + Reports.duration(runFor) + ".");
    }
}
