package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes, usage errors, global options and the store choice. */
class CliConventionsTest {

    @TempDir
    Path dir;

    @Test
    void unknownCommand_exits2WithASuggestion() {
        Cli.Result r = Cli.run("validat", "x.jsonl");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).startsWith("finetune4j: ").contains("validate");
    }

    @Test
    void unknownOption_exits2() {
        Cli.Result r = Cli.run("validate", "x.jsonl", "--frobnicate");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--frobnicate").doesNotContain("Exception");
    }

    @Test
    void missingParameter_exits2() {
        assertThat(Cli.run("dataset", "append", "a/b").exitCode()).isEqualTo(2);
    }

    @Test
    void noCommand_exits2() {
        assertThat(Cli.run().exitCode()).isEqualTo(2);
        assertThat(Cli.run("dataset").exitCode()).isEqualTo(2);
    }

    @Test
    void usageError_json_printsOneErrorDocumentOnStdout() {
        Cli.Result r = Cli.run("--json", "stats", "x.jsonl", "--epochs", "many");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.json().get("error").get("type").asText()).isEqualTo("usage");
        assertThat(r.json().get("error").get("exit_code").asInt()).isEqualTo(2);
    }

    @Test
    void help_and_version_exit0() {
        Cli.Result help = Cli.run("--help");
        Cli.Result version = Cli.run("--version");
        Cli.Result subHelp = Cli.run("dataset", "append", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("quickstart", "validate", "stats", "convert", "dataset", "assistant",
                "assistants", "models", "versions", "activate", "deactivate", "rollback", "candidate", "delete",
                "timeline", "prompt", "prompts", "train", "jobs", "job", "chat", "eval", "promote", "emulator",
                "Exit codes", "OPENAI_API_KEY");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("finetune4j 0.");
        assertThat(subHelp.exitCode()).isZero();
        assertThat(subHelp.stdout()).contains("--strict", "--tag");
    }

    @Test
    void jsonFlag_worksBeforeAndAfterTheCommand() {
        Path file = Cli.sample(dir, Samples.SECOND_BATCH);

        assertThat(Cli.run("--json", "validate", file.toString()).json().get("valid").asLong()).isEqualTo(15);
        assertThat(Cli.run("validate", "--json", file.toString()).json().get("valid").asLong()).isEqualTo(15);
    }

    @Test
    void jdbc_withAnotherDatabaseThanPostgres_isAUsageError() {
        Cli.Result r = Cli.run("--jdbc", "jdbc:mysql://localhost/ft?password=secret", "dataset", "log", "a/b");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("needs a PostgreSQL URL", "jdbc:mysql://localhost/ft")
                .doesNotContain("secret");
    }

    @Test
    void storeAndJdbcInTheEnvironment_isAUsageError() {
        Cli.Result r = Cli.runWithEnv(Map.of("FINETUNE4J_STORE", dir.toString(),
                "FINETUNE4J_JDBC_URL", "jdbc:postgresql://localhost/ft"), "dataset", "log", "a/b");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("both FINETUNE4J_STORE and FINETUNE4J_JDBC_URL");
    }

    @Test
    void storeAndJdbcTogether_isAUsageError() {
        Cli.Result r = Cli.run("--store", dir.toString(), "--jdbc", "jdbc:x", "dataset", "log", "a/b");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("either --store or --jdbc");
    }

    @Test
    void storeFromEnvironment_isUsedWithoutStoreOption() {
        Path sample = Cli.sample(dir, Samples.FIRST_BATCH);
        Path store = dir.resolve("env-store");
        Map<String, String> env = Map.of("FINETUNE4J_STORE", store.toString());

        Cli.Result append = Cli.runWithEnv(env, "dataset", "append", "a/b", sample.toString());

        assertThat(append.exitCode()).as(append.toString()).isZero();
        assertThat(Files.isDirectory(store)).isTrue();
        assertThat(Cli.run("--store", store.toString(), "dataset", "log", "a/b").exitCode()).isZero();
    }

    @Test
    void invalidTenant_isAUsageError() {
        Cli.Result r = Cli.run("--tenant", "../etc", "--store", dir.toString(), "dataset", "log", "a/b");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--tenant");
    }
}
