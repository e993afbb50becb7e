package dev.finetune4j.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune4j.CorruptDataException;
import dev.finetune4j.FineTuning;
import dev.finetune4j.Tenant;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.testing.Postgres;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real child JVMs killed with SIGKILL, then the store damaged behind its back, on the file and the
 * PostgreSQL store: staging files of a killed import never outlive the next open, and after random
 * kills and random bit flips {@code verify()} names every damaged item while no read returns one.
 * Bounded: a handful of kills, seconds each.
 */
class KilledProcessesTest {

    @TempDir
    Path dir;

    private Process start(Path tmpdir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Djava.io.tmpdir=" + tmpdir,
                "-cp", System.getProperty("java.class.path"), StoreWorker.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private Path input(int lines) throws IOException {
        Path file = dir.resolve("input.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                out.write("{\"messages\":[{\"role\":\"user\",\"content\":\"question " + i + " " + "q".repeat(300)
                        + "\"},{\"role\":\"assistant\",\"content\":\"answer " + i + "\"}]}\n");
            }
        }
        return file;
    }

    /**
     * The regular files under a directory. A running process may remove a file or directory while
     * the walk passes it (a staging directory renamed into place): the walk is then taken again.
     */
    private static List<Path> files(Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            if (!Files.exists(root)) {
                return List.of();
            }
            try (Stream<Path> walk = Files.walk(root)) {
                return walk.filter(Files::isRegularFile).toList();
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 100) {
                    throw e;
                }
            } catch (NoSuchFileException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** Kills an import while it has staged files, then opens the store in a fresh JVM with the same temp directory. */
    private void killedImportLeavesNoStagingAfterTheNextOpen(String store, Path storeTmp) throws Exception {
        Path systemTmp = Files.createDirectories(dir.resolve("system-tmp"));
        Path file = input(40_000);
        Process importer = start(systemTmp, "import", store, file.toString());
        List<Path> staged = List.of();
        for (int i = 0; i < 6000 && staged.isEmpty(); i++) {
            Thread.sleep(10);
            staged = Stream.concat(files(systemTmp).stream(), files(storeTmp).stream())
                    .filter(p -> p.getFileName().toString().contains("segment-")).toList();
        }
        assertThat(staged).as("staged segment of the running import").isNotEmpty();
        kill(importer);

        Process opener = start(systemTmp, "open", store);
        assertThat(new String(opener.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("OPEN");
        assertThat(opener.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(files(systemTmp)).as("files left in the system temp directory").isEmpty();
        assertThat(files(storeTmp)).as("files left in the store's staging directory").isEmpty();
    }

    @Test
    void fileStore_killedImport_leavesNoStagingFilesAnywhere_afterTheNextOpen() throws Exception {
        Path store = dir.resolve("store");
        killedImportLeavesNoStagingAfterTheNextOpen(store.toString(), store.resolve("tmp"));
    }

    @Test
    void jdbcStore_killedImport_leavesNoStagingFilesInTheSystemTempDirectory_afterTheNextOpen() throws Exception {
        Postgres.freshDatabase();
        killedImportLeavesNoStagingAfterTheNextOpen(Postgres.jdbcUrl(Postgres.lastDatabase()), dir.resolve("none"));
    }

    @Test
    void stagingOfALiveStore_survivesSweepsFromThisJvmAndFromOtherProcesses() throws Exception {
        Path root = dir.resolve("store");
        VersionStore live = VersionStores.file(root);
        Path staging = live.stagingDirectory();
        Files.writeString(staging.resolve("segment-1.jsonl"), "user data being imported");

        // POSIX record locks belong to the process: a sweep here must not drop the live store's lock
        VersionStores.file(root);
        Process opener = start(dir, "open", root.toString());
        assertThat(new String(opener.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("OPEN");
        assertThat(opener.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(staging.resolve("segment-1.jsonl")).hasContent("user data being imported");
        live.close();
        assertThat(staging).doesNotExist();
    }

    /** Every revision and blob the crash worker's records reference, read through the API. */
    private record Truth(Map<String, String> revisions, Map<String, byte[]> blobs, List<Example> examples) {}

    private static final StoreKey RECORD = new StoreKey(Tenant.DEFAULT, "race", "one-key");
    private static final StoreKey DATASET = new StoreKey(Tenant.DEFAULT, "datasets", "crash/main");

    private static Truth read(VersionStore store, Tamper t, Map<String, StoreKey> keys, Map<String, Long> numbers,
            Map<String, String> blobIds) throws IOException {
        Map<String, String> revisions = new HashMap<>();
        Map<String, byte[]> blobs = new HashMap<>();
        for (StoreKey k : List.of(RECORD, DATASET)) {
            try (Stream<Revision> h = store.history(k)) {
                for (Revision r : (Iterable<Revision>) h::iterator) {
                    String where = t.location(k, r.number());
                    revisions.put(where, r.value());
                    keys.put(where, k);
                    numbers.put(where, r.number());
                    if (k == DATASET) {
                        for (var e : new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.value()).get("log")) {
                            for (String field : List.of("blob", "index", "bloom")) {
                                if (e.hasNonNull(field)) {
                                    blobIds.put(t.location(Tenant.DEFAULT, e.get(field).asText()), e.get(field).asText());
                                }
                            }
                        }
                    }
                }
            }
        }
        for (var b : blobIds.entrySet()) {
            try (InputStream in = store.openBlob(Tenant.DEFAULT, b.getValue())) {
                blobs.put(b.getKey(), in.readAllBytes());
            }
        }
        Dataset dataset = FineTuning.builder().store(store).build().dataset("crash/main");
        List<Example> examples = new ArrayList<>();
        DatasetVersion latest = dataset.latest().orElse(null);
        if (latest != null) {
            try (Stream<Example> s = dataset.examples(latest)) {
                s.forEach(examples::add);
            }
        }
        return new Truth(revisions, blobs, examples);
    }

    private void crashTamperVerify(String storeArg, Supplier<VersionStore> open, Tamper t) throws Exception {
        Random random = new Random(20261121);
        for (int round = 0; round < 4; round++) {
            Process worker = start(dir, "crash", storeArg);
            BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
            for (int acks = 6 + random.nextInt(30); acks > 0; acks--) {
                assertThat(out.readLine()).as("worker output in round %d", round).isNotNull();
            }
            kill(worker);
        }
        VersionStore store = open.get();
        Map<String, StoreKey> keys = new HashMap<>();
        Map<String, Long> numbers = new HashMap<>();
        Map<String, String> blobIds = new HashMap<>();
        Truth truth = read(store, t, keys, numbers, blobIds);
        assertThat(store.verify(false).clean()).isTrue();
        assertThat(truth.blobs()).hasSizeGreaterThanOrEqualTo(3);

        Set<String> tampered = new HashSet<>();
        List<String> revisionLocations = new ArrayList<>(new java.util.TreeSet<>(truth.revisions().keySet()));
        List<String> blobLocations = new ArrayList<>(new java.util.TreeSet<>(truth.blobs().keySet()));
        for (int i = 0; i < 8; i++) {
            String where = revisionLocations.get(random.nextInt(revisionLocations.size()));
            if (tampered.add(where)) {
                t.flipBit(keys.get(where), numbers.get(where), random);
            }
        }
        for (int i = 0; i < 3; i++) {
            String where = blobLocations.get(random.nextInt(blobLocations.size()));
            if (tampered.add(where)) {
                t.flipBlobBit(Tenant.DEFAULT, blobIds.get(where), random.nextInt(truth.blobs().get(where).length));
            }
        }

        VerifyReport report = store.verify(false);

        assertThat(report.damage()).extracting(StoreIssue::location).containsExactlyInAnyOrderElementsOf(tampered);
        for (String where : revisionLocations) {
            try {
                String value = store.read(keys.get(where), numbers.get(where)).orElseThrow().value();
                assertThat(tampered).as("a tampered revision was returned: %s", where).doesNotContain(where);
                assertThat(value).isEqualTo(truth.revisions().get(where));
            } catch (CorruptDataException refused) {
                assertThat(refused.location()).isEqualTo(where);
            }
        }
        for (String where : blobLocations) {
            try (InputStream in = store.openBlob(Tenant.DEFAULT, blobIds.get(where))) {
                byte[] content = in.readAllBytes();
                assertThat(tampered).as("a tampered blob was returned: %s", where).doesNotContain(where);
                assertThat(content).isEqualTo(truth.blobs().get(where));
            } catch (CorruptDataException refused) {
                assertThat(refused.location()).isEqualTo(where);
            }
        }
        Dataset dataset = FineTuning.builder().store(store).build().dataset("crash/main");
        List<Example> got = new ArrayList<>();
        try {
            DatasetVersion latest = dataset.latest().orElseThrow();
            try (Stream<Example> s = dataset.examples(latest)) {
                s.forEach(got::add);
            }
            assertThat(got).isEqualTo(truth.examples());
        } catch (CorruptDataException refused) {
            assertThat(got).isEqualTo(truth.examples().subList(0, got.size()));
        }
    }

    /**
     * Kills a worker that writes and deletes records and blobs, at random points, then checks that
     * every record's chain has no gap (a half-deleted chain would) and every blob is whole or
     * absent, that what the last worker acknowledged as deleted is absent, and that the store
     * verifies clean.
     */
    private void killedDeletes(String storeArg, Supplier<VersionStore> open) throws Exception {
        Random random = new Random(20261204);
        int highest = 0;
        int deletedInLastRound = -1;
        for (int round = 0; round < 3; round++) {
            Process worker = start(dir, "delete", storeArg);
            BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
            deletedInLastRound = -1;
            for (int acks = 2 + random.nextInt(12); acks > 0; acks--) {
                String line = out.readLine();
                assertThat(line).as("worker output in round %d", round).isNotNull();
                int n = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
                highest = Math.max(highest, n);
                if (line.startsWith("ACK deleted")) {
                    deletedInLastRound = n;
                }
            }
            kill(worker);
        }
        VersionStore store = open.get();
        for (int i = 0; i <= highest + 1; i++) {
            StoreKey k = new StoreKey(Tenant.DEFAULT, "del", "n" + i);
            try (Stream<Revision> h = store.history(k)) {
                List<Long> numbers = h.map(Revision::number).toList();
                assertThat(numbers).as("revisions of %s", k).isSubsetOf(1L, 2L, 3L);
                for (int n = 0; n < numbers.size(); n++) {
                    assertThat(numbers.get(n)).isEqualTo(n + 1L);
                }
                if (i <= deletedInLastRound) {
                    assertThat(numbers).as("%s was acknowledged deleted", k).isEmpty();
                }
            }
            byte[] content = StoreWorker.deleteBlob(i);
            String blobId = java.util.HexFormat.of().formatHex(dev.finetune4j.internal.json.ExampleCodec.sha256(content));
            if (store.hasBlob(Tenant.DEFAULT, blobId)) {
                assertThat(i).as("blob %d was acknowledged deleted", i).isGreaterThan(deletedInLastRound);
                try (InputStream in = store.openBlob(Tenant.DEFAULT, blobId)) {
                    assertThat(in.readAllBytes()).isEqualTo(content);
                }
            }
        }
        VerifyReport report = store.verify(false);
        assertThat(report.clean()).as(report.issues().toString()).isTrue();
    }

    @Test
    void fileStore_killedWhileDeleting_leavesEveryRecordAndBlobWholeOrAbsent() throws Exception {
        Path store = dir.resolve("store");
        killedDeletes(store.toString(), () -> VersionStores.file(store));
    }

    @Test
    void jdbcStore_killedWhileDeleting_leavesEveryRecordAndBlobWholeOrAbsent() throws Exception {
        DataSource dataSource = Postgres.freshDatabase();
        VersionStores.jdbc(dataSource);
        killedDeletes(Postgres.jdbcUrl(Postgres.lastDatabase()), () -> VersionStores.jdbc(dataSource));
    }

    @Test
    void fileStore_randomKillsThenRandomBitFlips_verifyNamesEveryOne_andNoReadReturnsOne() throws Exception {
        Path store = dir.resolve("store");
        crashTamperVerify(store.toString(), () -> VersionStores.file(store), new FileTamper(store));
    }

    @Test
    void jdbcStore_randomKillsThenRandomBitFlips_verifyNamesEveryOne_andNoReadReturnsOne() throws Exception {
        DataSource dataSource = Postgres.freshDatabase();
        VersionStores.jdbc(dataSource);
        crashTamperVerify(Postgres.jdbcUrl(Postgres.lastDatabase()), () -> VersionStores.jdbc(dataSource),
                new JdbcTamper(dataSource));
    }
}
