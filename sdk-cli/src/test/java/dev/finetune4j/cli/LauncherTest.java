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
 * Java on the path: what it tells a user on the first run, that Maven's escape codes never
 * reach the user's stderr, the JVM settings it passes (each left out when the user sets its own),
 * the class-data archive it dumps once per build, and which modules' sources make it rebuild.
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

    private static final String DEFAULTS =
            "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xlog:disable -Xlog:all=warning:stderr";

    @Test
    void runsTheJvm_withHeapCapSerialGcC1AndWarningsOnStderr_andAClassDataArchiveDumpedOncePerBuild() throws Exception {
        Path bin = standIns(0);
        Path archive = root.resolve("sdk-cli/target/finetune4j-cli.jsa");

        Run first = launch(bin, "stats", "file.jsonl");

        assertThat(first.exit).as(first.stderr).isZero();
        assertThat(first.stdout).isEqualTo("java " + DEFAULTS + " -XX:SharedArchiveFile=" + archive + " -jar "
                + root.resolve("sdk-cli/target/finetune4j-cli.jar") + " stats file.jsonl\n");
        assertThat(dumps()).as("the archive is dumped by a small stats run with the same settings").containsExactly(
                "java " + DEFAULTS + " -XX:ArchiveClassesAtExit=" + archive + ".TMP -jar "
                        + root.resolve("sdk-cli/target/finetune4j-cli.jar") + " stats "
                        + root.resolve("samples/workout-voice-commands.jsonl") + " --model gpt-4o-mini");
        assertThat(archive).exists();

        launch(bin, "validate", "file.jsonl");
        assertThat(dumps()).as("an archive newer than the jar is used as it is").hasSize(1);

        // a rebuilt jar is newer than the archive: dumped again
        Path jar = root.resolve("sdk-cli/target/finetune4j-cli.jar");
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        Run after = launch(bin, "validate", "file.jsonl");
        assertThat(dumps()).hasSize(2);
        assertThat(after.stdout).contains("-XX:SharedArchiveFile=" + archive);
    }

    @Test
    void aFailedArchiveDump_onlyMeansRunningWithoutIt() throws Exception {
        Path bin = standIns(0);
        script(bin.resolve("java"), "#!/usr/bin/env bash\n"
                + "[[ \"$*\" == *ArchiveClassesAtExit* ]] && exit 1\n"
                + "echo \"java $*\"\n");

        Run run = launch(bin, "stats", "file.jsonl");

        assertThat(run.exit).as(run.stderr).isZero();
        assertThat(run.stdout).startsWith("java " + DEFAULTS + " -jar ").doesNotContain("SharedArchiveFile");
        assertThat(root.resolve("sdk-cli/target/finetune4j-cli.jsa")).doesNotExist();
    }

    @Test
    void eachDefault_isLeftOut_whenTheUsersJavaOptionsSetTheirOwn() throws Exception {
        Path bin = standIns(0);

        Run all = launchWithJavaOpts(bin, "-Xmx2g -XX:+UseG1GC -XX:-TieredCompilation -Xlog:gc -Xshare:off -Dx=y", "stats", "f");
        assertThat(all.stdout).isEqualTo("java -Xmx2g -XX:+UseG1GC -XX:-TieredCompilation -Xlog:gc -Xshare:off -Dx=y -jar "
                + root.resolve("sdk-cli/target/finetune4j-cli.jar") + " stats f\n");
        assertThat(dumps()).isEmpty();

        Run some = launchWithJavaOpts(bin, "-XX:MaxRAMPercentage=50 -XX:TieredStopAtLevel=4", "stats", "f");
        assertThat(some.stdout).startsWith("java -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr "
                + "-XX:SharedArchiveFile=").contains(" -XX:MaxRAMPercentage=50 -XX:TieredStopAtLevel=4 -jar ");

        Run archive = launchWithJavaOpts(bin, "-XX:SharedArchiveFile=/mine.jsa", "stats", "f");
        assertThat(archive.stdout).startsWith("java " + DEFAULTS + " -XX:SharedArchiveFile=/mine.jsa -jar ");
    }

    @Test
    void onlyTheCommandsThatReadAFile_runWithC1Only_theOthersWithTheFullJit() throws Exception {
        Path bin = standIns(0);

        for (String[] fileOnly : new String[][] {{"validate", "f"}, {"--json", "stats", "f"}, {"convert", "f", "--to", "hf"},
                {"--store", "dataset", "--tenant", "t", "stats", "f"}}) {
            assertThat(launch(bin, fileOnly).stdout).as(String.join(" ", fileOnly)).contains(" -XX:TieredStopAtLevel=1 ");
        }
        for (String[] storing : new String[][] {{"dataset", "append", "a/main", "f"},
                {"--store", "stats", "dataset", "append", "a/main", "f"}, {"--store=x", "train", "a"}, {"quickstart"}}) {
            Run run = launch(bin, storing);
            assertThat(run.stdout).as(String.join(" ", storing)).doesNotContain("TieredStopAtLevel")
                    .startsWith("java -Xmx384m -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr -XX:SharedArchiveFile=");
        }
    }

    @Test
    void rebuilds_whenASourceOfAModuleTheCliDependsOnChanges_transitively_readFromThePoms() throws Exception {
        Path bin = standIns(0);
        // artifactIds need not be the directory names; test-scoped, excluded and unrelated modules do not count
        module("sdk-cli", "finetune4j-cli", dependency("finetune4j-core", null).replace("    </dependency>",
                "      <exclusions>\n        <exclusion>\n          <groupId>dev.finetune4j</groupId>\n"
                        + "          <artifactId>finetune4j-other</artifactId>\n        </exclusion>\n      </exclusions>\n"
                        + "    </dependency>") + dependency("tests-only", "test"));
        module("sdk-core", "finetune4j-core", dependency("finetune4j-json", null));
        module("sdk-json", "finetune4j-json", "");
        module("sdk-tests", "tests-only", "");
        module("sdk-other", "finetune4j-other", "");
        launch(bin, "stats", "f");
        Path jar = root.resolve("sdk-cli/target/finetune4j-cli.jar");
        long built = Files.getLastModifiedTime(jar).toMillis();

        for (String unrelated : new String[] {"sdk-other", "sdk-tests"}) {
            Path source = root.resolve(unrelated + "/src/main/java/X.java");
            Files.setLastModifiedTime(source, FileTime.fromMillis(built + 60_000));
            assertThat(launch(bin, "stats", "f").stderr).as(unrelated).doesNotContain("rebuilding");
        }

        Path transitive = root.resolve("sdk-json/src/main/java/X.java");
        Files.setLastModifiedTime(transitive, FileTime.fromMillis(built + 60_000));
        assertThat(launch(bin, "stats", "f").stderr).contains("sources changed since the last build; rebuilding");
    }

    private static String dependency(String artifactId, String scope) {
        return "    <dependency>\n      <groupId>dev.finetune4j</groupId>\n      <artifactId>" + artifactId
                + "</artifactId>\n" + (scope == null ? "" : "      <scope>" + scope + "</scope>\n") + "    </dependency>\n";
    }

    private void module(String dir, String artifactId, String dependencies) throws IOException {
        Files.createDirectories(root.resolve(dir + "/src/main/java"));
        Files.writeString(root.resolve(dir + "/pom.xml"), "<project>\n  <parent>\n    <groupId>dev.finetune4j</groupId>\n"
                + "    <artifactId>finetune4j-parent</artifactId>\n  </parent>\n  <artifactId>" + artifactId
                + "</artifactId>\n  <dependencies>\n" + dependencies + "  </dependencies>\n</project>\n");
        Path source = root.resolve(dir + "/src/main/java/X.java");
        Files.writeString(source, "class X {}\n");
        Files.setLastModifiedTime(source, FileTime.fromMillis(0));
        Files.setLastModifiedTime(root.resolve(dir + "/pom.xml"), FileTime.fromMillis(0));
    }

    /** The stand-in java's archive dumps so far, the temporary file's process id replaced by TMP. */
    private java.util.List<String> dumps() throws IOException {
        Path log = root.resolve("java-calls.log");
        if (!Files.exists(log)) {
            return java.util.List.of();
        }
        return Files.readAllLines(log).stream().filter(l -> l.contains("ArchiveClassesAtExit"))
                .map(l -> l.replaceAll("\\.jsa\\.[0-9]+\\.tmp", ".jsa.TMP")).toList();
    }

    /**
     * A {@code mvn} that prints colour codes, then makes the jar (or fails), and a {@code java} that
     * echoes, logs its calls, and writes the archive a dump run names.
     */
    private Path standIns(int mavenExit) throws IOException {
        Files.copy(Path.of("..", "finetune4j"), root.resolve("finetune4j"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(root.resolve("samples"));
        Files.writeString(root.resolve("samples/workout-voice-commands.jsonl"), "{}\n");
        Files.setLastModifiedTime(root.resolve("samples/workout-voice-commands.jsonl"), FileTime.fromMillis(0));
        Path bin = Files.createDirectories(root.resolve("stand-ins/bin"));
        script(bin.resolve("mvn"), "#!/usr/bin/env bash\n"
                + "printf '\\033[0m\\033[0m[INFO] compiling\\033[1;31m\\n'\n"
                + "printf '\\033[0m' >&2\n"
                + (mavenExit == 0 ? "mkdir -p sdk-cli/target && echo jar > sdk-cli/target/finetune4j-cli.jar\n" : "")
                + "exit " + mavenExit + "\n");
        script(bin.resolve("java"), "#!/usr/bin/env bash\n"
                + "echo \"java $*\" >> " + root.resolve("java-calls.log") + "\n"
                + "for a in \"$@\"; do [[ \"$a\" == -XX:ArchiveClassesAtExit=* ]] && echo cds > \"${a#*=}\"; done\n"
                + "echo \"java $*\"\n");
        return bin;
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exit, String stdout, String stderr) {}

    private Run launch(Path bin, String... args) throws Exception {
        return launchWith(bin, null, args);
    }

    private Run launchWithJavaOpts(Path bin, String javaOpts, String... args) throws Exception {
        return launchWith(bin, javaOpts, args);
    }

    private Run launchWith(Path bin, String javaOpts, String... args) throws Exception {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = root.resolve("finetune4j").toString();
        System.arraycopy(args, 0, command, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("JAVA_HOME", bin.getParent().toString());
        pb.environment().remove("FINETUNE4J_JAVA_OPTS");
        if (javaOpts != null) {
            pb.environment().put("FINETUNE4J_JAVA_OPTS", javaOpts);
        }
        Path out = root.resolve("stdout.txt");
        Path err = root.resolve("stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
