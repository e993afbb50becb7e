package dev.finetune4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process with captured stdout and stderr. */
final class Cli {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Cli() {}

    static Result run(String... args) {
        return runWithEnv(Map.of(), args);
    }

    static Result runWithEnv(Map<String, String> env, String... args) {
        return run(env, false, args);
    }

    /** Runs as if stderr were a terminal: progress lines are drawn there. */
    static Result runOnTerminal(Map<String, String> env, String... args) {
        return run(env, true, args);
    }

    /**
     * The day every CLI test runs on unless it sets {@code FINETUNE4J_TODAY} itself: the tests tell
     * the same story on any real date, before and after the providers' lifecycle dates.
     */
    static final String TODAY = "2026-12-04";

    private static Result run(Map<String, String> env, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> withToday = new java.util.HashMap<>(env);
        withToday.putIfAbsent(Today.ENV, TODAY);
        int code = new FinetuneCli(out, err, withToday, terminal).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Copies a shipped sample into {@code dir}. */
    static Path sample(Path dir, String name) {
        try (InputStream in = Samples.open(name)) {
            Path file = dir.resolve(name);
            Files.copy(in, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    record Result(int exitCode, String stdout, String stderr) {
        /** stdout parsed as one JSON document (fails if there is anything else). */
        JsonNode json() {
            try {
                return MAPPER.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON document: " + stdout, e);
            }
        }

        List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
