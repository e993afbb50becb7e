package dev.finetune4j.bench;

import static dev.finetune4j.bench.Bench.fmt;
import static dev.finetune4j.bench.Bench.mib;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune4j.FineTuning;
import dev.finetune4j.Tenant;
import dev.finetune4j.dataset.AppendResult;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.internal.dataset.IdIndex;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Append cost against dataset size: appending 1,000 fresh examples to a 500,000-example dataset
 * against appending 1,000 to an empty dataset, in the same run on the same store.
 *
 * <p>Target (issue): the append to the large dataset costs at most 2 times the append to an empty
 * one.
 *
 * <p>Run (builds the current sdk-core first; a few minutes at the full size):
 * <pre>
 * mvn -q -B -pl sdk-benchmarks -am package -DskipTests -Dbench=append
 * </pre>
 * Quick run: add {@code -Dexamples=50000}. Other settings: {@code -Drepeats=15} (measured pairs),
 * {@code -Dbatch=1000}, {@code -Dstores=memory,file} (which stores, in order), {@code -Dquiet=0.3} and {@code -DwaitQuiet=30} (before each pair, wait up
 * to that many seconds for other processes to use at most that many cores). Without Maven:
 * {@code java -Xmx3g -cp <classpath> dev.finetune4j.bench.AppendBenchmark}. The JVM gets a 3 GB
 * heap because the in-memory store keeps every blob in the heap: the 500k-example segment alone
 * is about 400 MB, and storing it reads it whole. The file store runs in a temp directory on
 * the local disk (every write forced to disk), deleted at exit.
 *
 * <p>Method: the generated file ({@link ChatCorpus}) is imported once into {@code bench/big}; then,
 * after warm-up appends, each pair appends a batch of examples never seen before to
 * {@code bench/big} and another fresh batch to a new empty dataset, in alternating order. Every
 * append goes through {@link Dataset#append}. A {@link CountingStore} around the store records
 * what each append read and wrote, which shows where a size-dependent cost comes from.
 */
public final class AppendBenchmark {

    private static final long FILE_SEED = 20250101L;
    private static final long FRESH_SEED = 99L;
    private static final int WARMUP_PAIRS = 5;
    private static final double TARGET_RATIO = 2.0;

    private AppendBenchmark() {}

    /** Runs the benchmark; settings come from system properties (see the class comment). */
    public static void main(String[] args) {
        int examples = Bench.intSetting("examples", 500_000);
        int batch = Bench.intSetting("batch", 1_000);
        int repeats = Bench.intSetting("repeats", 15);
        Bench.printEnvironment("AppendBenchmark");

        Path dir = Bench.tempDir("finetune4j-bench-append-");
        Path file = dir.resolve("chat.jsonl");
        long t0 = System.nanoTime();
        ChatCorpus.Stats stats = ChatCorpus.write(file, examples, FILE_SEED);
        System.out.println(fmt("input: %,d lines, %.0f MB, generated in %.1f s", stats.lines(), stats.bytes() / 1e6,
                (System.nanoTime() - t0) / 1e9));

        String stores = Bench.setting("stores") == null ? "memory,file" : Bench.setting("stores");
        for (String name : stores.split(",")) {
            switch (name.trim()) {
                case "memory" -> run("in-memory store (VersionStores.inMemory)", VersionStores::inMemory, file, batch,
                        repeats);
                case "file" -> run("file store (VersionStores.file, in " + dir.resolve("store") + ")",
                        () -> VersionStores.file(dir.resolve("store")), file, batch, repeats);
                default -> throw new IllegalArgumentException("-Dstores lists '" + name
                        + "'; use memory, file or both: memory,file");
            }
        }
    }

    private static void run(String storeName, Supplier<VersionStore> storeFactory, Path file, int batch, int repeats) {
        System.out.println();
        System.out.println("== " + storeName);
        CountingStore store = new CountingStore(storeFactory.get());
        try (FineTuning ft = FineTuning.builder().store(store).build()) {
            Dataset big = ft.dataset("bench/big");
            long t = System.nanoTime();
            AppendResult seeded = big.importJsonl(file, ImportOptions.defaults(), "seed");
            System.out.println(fmt("seeded bench/big: %,d examples in %.1f s (%s); heap used now %s",
                    seeded.version().orElseThrow().examples(), (System.nanoTime() - t) / 1e9,
                    seeded.report().summary(), mib(usedHeap())));

            long[] next = {0};
            Supplier<List<Example>> fresh = () -> {
                List<Example> list = ChatCorpus.examples(FRESH_SEED, next[0], batch);
                next[0] += batch;
                return list;
            };
            int[] empties = {0};
            for (int i = 0; i < WARMUP_PAIRS; i++) {
                append(big, fresh.get(), store, batch);
                append(ft.dataset("bench", "warm-" + empties[0]++), fresh.get(), store, batch);
            }

            double[] bigMs = new double[repeats];
            double[] emptyMs = new double[repeats];
            double[] ratio = new double[repeats];
            List<CountingStore.Counts> bigCounts = new ArrayList<>();
            List<CountingStore.Counts> emptyCounts = new ArrayList<>();
            double quiet = Bench.doubleSetting("quiet", 0.3);
            int waitQuiet = Bench.intSetting("waitQuiet", 30);
            int quietPairs = 0;
            for (int rep = 0; rep < repeats; rep++) {
                double waited = awaitQuiet(quiet, waitQuiet);
                quietPairs += waited >= 0 ? 1 : 0;
                // Fresh batches are made before the clock starts; the order alternates per pair.
                List<Example> forBig = fresh.get();
                List<Example> forEmpty = fresh.get();
                Dataset empty = ft.dataset("bench", "empty-" + rep);
                Timed b;
                Timed e;
                if (rep % 2 == 0) {
                    b = append(big, forBig, store, batch);
                    e = append(empty, forEmpty, store, batch);
                } else {
                    e = append(empty, forEmpty, store, batch);
                    b = append(big, forBig, store, batch);
                }
                bigMs[rep] = b.nanos / 1e6;
                emptyMs[rep] = e.nanos / 1e6;
                ratio[rep] = bigMs[rep] / emptyMs[rep];
                bigCounts.add(b.counts);
                emptyCounts.add(e.counts);
                System.out.println(fmt("  pair %2d: big %7.1f ms, empty %7.1f ms, ratio %.2f%s", rep + 1, bigMs[rep],
                        emptyMs[rep], ratio[rep], waited < 0 ? "  (machine busy)" : ""));
            }
            double bigMedian = Bench.median(bigMs);
            double emptyMedian = Bench.median(emptyMs);
            double pairRatio = Bench.median(ratio);
            long bigSize = big.latest().orElseThrow().examples();
            System.out.println(fmt("%d of %d pairs started on a quiet machine (other processes <= %.2f cores)",
                    quietPairs, repeats, quiet));
            System.out.println(fmt("append %,d to bench/big (%,d examples at the end): median %.1f ms", batch,
                    bigSize, bigMedian));
            System.out.println(fmt("append %,d to an empty dataset: median %.1f ms", batch, emptyMedian));
            System.out.println(fmt("ratio big/empty: %.2f (median of %d pair ratios; ratio of medians %.2f);"
                            + " target <= %.1f: %s", pairRatio, repeats, bigMedian / emptyMedian, TARGET_RATIO,
                    pairRatio <= TARGET_RATIO ? "MET" : "MISSED"));
            printCounts("big", bigCounts, bigMedian);
            printCounts("empty", emptyCounts, emptyMedian);
            scanDiagnostic(store, bigMedian - emptyMedian);
        }
    }

    /**
     * Times the one part of an append that grows with the dataset: reading every id index of the
     * latest version to find which new examples it already has. Replays that scan the way
     * {@code StoredDataset.findPresent} does it (a {@link DataInputStream}, two {@code readLong}s
     * an id) and with a bulk decode of 64 KiB chunks, on the same blobs.
     *
     * <p>Reads the manifest format of sdk-core's internals; a diagnostic, to update if it changes.
     */
    private static void scanDiagnostic(VersionStore store, double extraMs) {
        StoreKey key = new StoreKey(Tenant.DEFAULT, "datasets", "bench/big");
        List<String> indexes = new ArrayList<>();
        long ids = 0;
        try {
            JsonNode manifest = new ObjectMapper().readTree(store.latest(key).orElseThrow().value());
            for (JsonNode e : manifest.path("log")) {
                if (e.hasNonNull("index")) {
                    indexes.add(e.get("index").asText());
                    ids += e.path("count").asLong();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IdIndex candidates = new IdIndex(1024);
        for (Example e : ChatCorpus.examples(FRESH_SEED + 1, 0, 1_000)) {
            candidates.add(e.id());
        }
        double[] perLong = new double[7];
        double[] bulk = new double[7];
        long found = 0;
        for (int round = 0; round < perLong.length; round++) {
            long t = System.nanoTime();
            for (String blob : indexes) {
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                        store.openBlob(Tenant.DEFAULT, blob), 1 << 16))) {
                    while (true) {
                        long hi;
                        try {
                            hi = in.readLong();
                        } catch (EOFException end) {
                            break;
                        }
                        long lo = in.readLong();
                        found += candidates.contains(hi, lo) ? 1 : 0;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            perLong[round] = (System.nanoTime() - t) / 1e6;
            t = System.nanoTime();
            byte[] buffer = new byte[1 << 16];
            for (String blob : indexes) {
                try (InputStream in = store.openBlob(Tenant.DEFAULT, blob)) {
                    ByteBuffer view = ByteBuffer.wrap(buffer);
                    int filled = 0;
                    for (int n; (n = in.read(buffer, filled, buffer.length - filled)) > 0 || filled > 0; ) {
                        filled += Math.max(n, 0);
                        int whole = filled - filled % 16;
                        for (int i = 0; i < whole; i += 16) {
                            found += candidates.contains(view.getLong(i), view.getLong(i + 8)) ? 1 : 0;
                        }
                        System.arraycopy(buffer, whole, buffer, 0, filled - whole);
                        filled -= whole;
                        if (n < 0) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            bulk[round] = (System.nanoTime() - t) / 1e6;
        }
        double[] measured = java.util.Arrays.copyOfRange(perLong, 2, perLong.length);
        double[] measuredBulk = java.util.Arrays.copyOfRange(bulk, 2, bulk.length);
        System.out.println(fmt("  size-dependent part: scanning the %d id indexes of bench/big (%,d ids, %.1f MB)"
                        + " takes %.1f ms read as findPresent does (DataInputStream.readLong), %.1f ms with a bulk"
                        + " decode of 64 KiB chunks (median of 5; %d of 1,000 unseen candidates found);"
                        + " big - empty = %.1f ms", indexes.size(), ids, ids * 16 / 1e6, Bench.median(measured),
                Bench.median(measuredBulk), found, extraMs));
    }

    private static double awaitQuiet(double quiet, int seconds) {
        try {
            return RunMonitor.awaitQuiet(quiet, seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private record Timed(long nanos, CountingStore.Counts counts) {}

    private static Timed append(Dataset dataset, List<Example> examples, CountingStore store, int batch) {
        store.reset();
        long t = System.nanoTime();
        AppendResult r = dataset.append(examples, "bench");
        long nanos = System.nanoTime() - t;
        if (!r.created() || r.added() != batch) {
            throw new IllegalStateException("the append to " + dataset.ref() + " added " + r.added() + " of "
                    + batch + " examples: " + r);
        }
        return new Timed(nanos, store.counts());
    }

    private static void printCounts(String name, List<CountingStore.Counts> counts, double medianMs) {
        double opened = Bench.median(counts.stream().mapToDouble(CountingStore.Counts::blobsOpened).toArray());
        double read = Bench.median(counts.stream().mapToDouble(CountingStore.Counts::bytesRead).toArray());
        double put = Bench.median(counts.stream().mapToDouble(CountingStore.Counts::bytesPut).toArray());
        double storeMs = Bench.median(counts.stream().mapToDouble(c -> c.storeNanos() / 1e6).toArray());
        System.out.println(fmt("  %-5s append, per call (medians): %.0f blobs opened, %.2f MB read from blobs,"
                        + " %.2f MB stored, %.1f ms inside store calls, %.1f ms elsewhere", name, opened, read / 1e6,
                put / 1e6, storeMs, medianMs - storeMs));
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
