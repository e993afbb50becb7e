package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A password in a JDBC URL never reaches the terminal, even under {@code --verbose}, where the stack
 * trace prints every cause (PgJDBC's {@code UnknownHostException: u:SECRET@host}) and the libraries
 * log at debug level: the CLI runs as a real process, and its whole stdout and stderr are checked.
 */
class CredentialsInOutputTest {

    private record Run(int exitCode, String stdout, String stderr) {}

    private static Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), FinetuneCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("FINETUNE4J_JDBC_URL");
        builder.environment().remove("FINETUNE4J_STORE");
        builder.environment().putAll(env);
        Process p = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:postgresql://u:SECRET@host:1/db",
        "jdbc:postgresql://u:SECRET@host.invalid:1/db?connectTimeout=2",
        "jdbc:postgresql://127.0.0.1:1/db?user=u&password=SECRET&connectTimeout=2",
        "jdbc:postgresql://127.0.0.1:1/db?password=SECRET&user=u&sslpassword=SECRET",
        "jdbc:postgresql://u:S%40CRET@host:1/db"})
    void verbose_jdbcUrlWithPassword_printsNoPassword(String url) throws Exception {
        Run r = run(Map.of(), "--verbose", "--jdbc", url, "dataset", "log", "a/b");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
        assertThat(r.stderr()).startsWith("finetune4j: ").contains("\tat ");
        assertThat(r.stdout() + r.stderr()).doesNotContain("SECRET").doesNotContain("S%40CRET").doesNotContain("S@CRET");
    }

    @Test
    void verbose_driverEchoingTheUserInfoAsAHost_showsTheCauseMasked() throws Exception {
        Run r = run(Map.of(), "--verbose", "--jdbc", "jdbc:postgresql://u:SECRET@host:1/db", "dataset", "log", "a/b");

        assertThat(r.stderr()).contains("UnknownHostException: u:***@host");
    }

    @Test
    void json_errorDocument_hasNoPassword() throws Exception {
        Run r = run(Map.of(), "--json", "--verbose", "--jdbc", "jdbc:postgresql://u:SECRET@host:1/db",
                "dataset", "log", "a/b");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).startsWith("{").contains("\"error\"");
        assertThat(r.stdout() + r.stderr()).doesNotContain("SECRET");
    }

    @Test
    void passwordFromTheEnvironment_isMaskedWhereverItShows() throws Exception {
        Run r = run(Map.of("FINETUNE4J_JDBC_URL", "jdbc:postgresql://u:SECRET@host:1/db",
                        "FINETUNE4J_JDBC_PASSWORD", "hunter2hunter2"),
                "--verbose", "dataset", "log", "a/b");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
        assertThat(r.stdout() + r.stderr()).doesNotContain("SECRET").doesNotContain("hunter2hunter2");
    }

    @Test
    void usageError_withAPasswordInANonPostgresUrl_printsNoPassword() throws Exception {
        Cli.Result r = Cli.run("--jdbc", "jdbc:mysql://u:SECRET@host/db", "--json", "dataset", "log", "a/b");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("u:***@host");
        assertThat(r.stdout() + r.stderr()).doesNotContain("SECRET");
    }
}
