package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.testkit.OpenAiEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees in the logs of a whole training run, in a real CLI process: logger names
 * from {@link dev.finetune4j.LoggerNames} (never an internal class), job status changes at DEBUG
 * only, and nothing at the default level.
 */
class LoggerNamesTest {

    @RegisterExtension
    static OpenAiEmulator openai = OpenAiEmulator.create();

    @TempDir
    Path dir;

    @Test
    void aTrainingRun_logsUnderStableNames_withStatusChangesAtDebugOnly() throws Exception {
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        ok(cli("dataset", "append", "coach/main", sample.toString()));
        ok(cli("assistant", "create", "coach", "--provider", "openai", "--model", Emulated.BASE));

        String quiet = ok(cli("train", "coach", "--wait"));
        String verbose = ok(cli("--verbose", "train", "coach", "--again", "--wait"));

        assertThat(logLines(quiet)).isEmpty();
        List<String> lines = logLines(verbose);
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(".internal."));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("[DEBUG] dev.finetune4j.jobs - job ")
                .contains(" -> "));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("[INFO] dev.finetune4j.jobs - job ")
                .contains("registered as model version 2"));
        assertThat(lines).noneSatisfy(line -> assertThat(line).startsWith("[INFO] dev.finetune4j.jobs").contains(" -> "));
    }

    /** Lines of slf4j-simple's format ({@code [LEVEL] logger - message}) from our loggers. */
    private static List<String> logLines(String stderr) {
        return stderr.lines().filter(l -> l.matches("\\[(TRACE|DEBUG|INFO|WARN|ERROR)] dev\\.finetune4j.*")).toList();
    }

    private static String ok(String[] run) {
        assertThat(run[0]).as(run[1]).isEqualTo("0");
        return run[1];
    }

    /** Runs the CLI as its own process on the emulator; {exit code, stderr}. */
    private String[] cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), FinetuneCli.class.getName(),
                "--store", dir.resolve("store").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("FINETUNE4J_JDBC_URL");
        builder.environment().remove("FINETUNE4J_STORE");
        builder.environment().put("OPENAI_BASE_URL", openai.baseUrl());
        builder.environment().put("OPENAI_API_KEY", "sk-test");
        Process p = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(p.exitValue()), err.get()};
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
