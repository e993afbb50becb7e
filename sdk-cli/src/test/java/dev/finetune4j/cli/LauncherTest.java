package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./finetune4j} launcher of the repository, run by bash with stand-ins for Maven and
 * Java on the path: what it tells a user on the first run, and that Maven's escape codes never
 * reach the user's stderr.
 */
class LauncherTest {

    @TempDir
    Path root;

    @Test
    void firstRun_saysWhatItBuildsAndHowLong_andStripsMavensColourCodes_thenRunsTheJar() throws Exception {
        Path bin = standIns(0);

        Run first = launch(bin, "stats", "file.jsonl");

        assertThat(first.exit).as(first.stderr).isZero();
        assertThat(first.stderr).contains("finetune4j: first run: building the command-line jar with Maven")
                .contains("1-3 minutes, once")
                .contains("[INFO] compiling")
                .contains("finetune4j: built ")
                .doesNotContain("\u001b");
        assertThat(first.stdout).contains("-jar " + root.resolve("sdk-cli/target/finetune4j-cli.jar"))
                .endsWith("stats file.jsonl\n");

        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        // newer than the jar the first run built, without reading the clock
        Path jar = root.resolve("sdk-cli/target/finetune4j-cli.jar");
        Files.setLastModifiedTime(root.resolve("pom.xml"),
                FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Run rebuilt = launch(bin, "validate", "x");
        assertThat(rebuilt.stderr).contains("sources changed since the last build; rebuilding").doesNotContain("\u001b");
    }

    @Test
    void aFailedBuild_exits1_sayingSo_withoutRunningJava() throws Exception {
        Path bin = standIns(1);

        Run run = launch(bin, "stats", "file.jsonl");

        assertThat(run.exit).isEqualTo(1);
        assertThat(run.stderr).contains("finetune4j: the build failed (see the Maven output above)")
                .doesNotContain("\u001b");
        assertThat(run.stdout).doesNotContain("-jar");
    }

    /** A {@code mvn} that prints colour codes, then makes the jar (or fails), and a {@code java} that echoes. */
    private Path standIns(int mavenExit) throws IOException {
        Files.copy(Path.of("..", "finetune4j"), root.resolve("finetune4j"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Path bin = Files.createDirectories(root.resolve("stand-ins/bin"));
        script(bin.resolve("mvn"), "#!/usr/bin/env bash\n"
                + "printf '\\033[0m\\033[0m[INFO] compiling\\033[1;31m\\n'\n"
                + "printf '\\033[0m' >&2\n"
                + (mavenExit == 0 ? "mkdir -p sdk-cli/target && echo jar > sdk-cli/target/finetune4j-cli.jar\n" : "")
                + "exit " + mavenExit + "\n");
        script(bin.resolve("java"), "#!/usr/bin/env bash\necho \"java $*\"\n");
        return bin;
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exit, String stdout, String stderr) {}

    private Run launch(Path bin, String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = root.resolve("finetune4j").toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("JAVA_HOME", bin.getParent().toString());
        pb.environment().remove("FINETUNE4J_JAVA_OPTS");
        Path out = root.resolve("stdout.txt");
        Path err = root.resolve("stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
