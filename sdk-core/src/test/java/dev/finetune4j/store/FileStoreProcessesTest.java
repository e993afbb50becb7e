package dev.finetune4j.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.Tenant;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store across real processes: racing writers and writers killed with SIGKILL. */
class FileStoreProcessesTest {

    @TempDir
    Path dir;

    private Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StoreWorker.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void fourProcesses_racingCasWrites_neverShareARevision_andLeaveNoGaps() throws Exception {
        int processes = 4;
        int attempts = 1000;
        List<Process> workers = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            workers.add(start("cas", dir.toString(), String.valueOf(attempts), "p" + p));
        }
        Set<Long> won = new HashSet<>();
        int lost = 0;
        for (Process w : workers) {
            String out = new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(w.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(w.exitValue()).isZero();
            for (String line : out.split("\n")) {
                if (line.startsWith("WON ")) {
                    assertThat(won.add(Long.parseLong(line.substring(4)))).as("revision %s won twice", line).isTrue();
                } else if (line.equals("LOST")) {
                    lost++;
                }
            }
        }

        VersionStore store = VersionStores.file(dir);
        StoreKey key = new StoreKey(Tenant.DEFAULT, "race", "one-key");
        long latest = store.latest(key).orElseThrow().number();
        assertThat(won.size() + lost).isEqualTo(processes * attempts);
        assertThat(won).hasSize((int) latest);
        try (Stream<Revision> history = store.history(key)) {
            assertThat(history.map(Revision::number).toList())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, latest).boxed().toList());
        }
    }

    @Test
    void writerKilledAtRandomMoments_fiftyTimes_losesNoAcknowledgedWrite() throws Exception {
        Random random = new Random(42);
        StoreKey key = new StoreKey(Tenant.DEFAULT, "race", "one-key");
        long acknowledgedRecord = 0;
        long acknowledgedDataset = 0;
        for (int round = 0; round < 50; round++) {
            Process worker = start("crash", dir.toString());
            BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
            int acksBeforeKill = 1 + random.nextInt(40);
            for (int i = 0; i < acksBeforeKill; i++) {
                String line = out.readLine();
                assertThat(line).as("worker output in round %d", round).isNotNull();
                String[] parts = line.split(" ");
                if (parts[1].equals("record")) {
                    acknowledgedRecord = Math.max(acknowledgedRecord, Long.parseLong(parts[2]));
                } else {
                    acknowledgedDataset = Math.max(acknowledgedDataset, Long.parseLong(parts[2]));
                }
            }
            worker.destroyForcibly();
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();

            VersionStore store = VersionStores.file(dir);
            long latest = store.latest(key).orElseThrow().number();
            assertThat(latest).isGreaterThanOrEqualTo(acknowledgedRecord);
            try (Stream<Revision> history = store.history(key)) {
                assertThat(history.map(Revision::number).toList())
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, latest).boxed().toList());
            }
            Dataset dataset = FineTuning.builder().store(store).build().dataset("crash/main");
            if (acknowledgedDataset > 0) {
                DatasetVersion v = dataset.latest().orElseThrow();
                assertThat((long) v.number()).isGreaterThanOrEqualTo(acknowledgedDataset);
                try (Stream<Example> examples = dataset.examples(v)) {
                    assertThat(examples.count()).isEqualTo(v.examples());
                }
            }
        }
        try (Stream<Path> leftovers = Files.list(dir.resolve("tmp"))) {
            assertThat(leftovers.count()).as("temp files left by killed writers").isLessThanOrEqualTo(50);
        }
    }
}
