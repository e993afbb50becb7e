package dev.finetune4j.bench.chat;

import dev.finetune4j.FineTuning;
import dev.finetune4j.Tenant;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.bench.Machine;
import dev.finetune4j.bench.Settings;
import dev.finetune4j.capture.CapturePolicy;
import dev.finetune4j.capture.CaptureQuery;
import dev.finetune4j.capture.CaptureStats;
import dev.finetune4j.capture.Captures;
import dev.finetune4j.capture.CurationResult;
import dev.finetune4j.capture.Feedback;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.DatasetVersion;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.ImportOptions;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.openai.OpenAiProviderFactory;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.store.StoreKey;
import dev.finetune4j.store.StorePage;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.store.VersionStores;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Curating a large capture history into a dataset version (issue 20, data flywheel): does
 * {@link Captures#curate} stream, one segment at a time, with the heap bounded?
 *
 * <p>Run it with {@code mvn -q -B -pl sdk-benchmarks -am package -DskipTests -Dbench=curation}
 * (the profile's JVM has {@code -Xmx64m}; {@code -Dcuration.heap=32m} changes it). Settings, in {@code -Dbench.args="name=value ..."}:
 * {@code captures} (default 1,000,000), {@code upEvery} (every n-th call is rated up, default 100:
 * 1 %), {@code correctEvery} (every n-th call is rated up with a corrected answer, default 1000:
 * 0.1 %).
 *
 * <ol>
 *   <li>Writes the captures through the real path: a {@link ChatRouter} with capture on at 100 %
 *       sampling over an embedded file store in a temp directory, answered at once by a provider
 *       that makes a different answer for each call (system + user + answer, ~300 bytes). Every
 *       4,096 calls it waits for the capture writer ({@link Captures#flush}) so nothing is dropped
 *       (the queue holds 8,192).
 *   <li>Gives feedback to a share of them through {@link Captures#feedback}: a third (with the
 *       corrections) on the time-ordered segments, a third after moving every segment record to
 *       the layout written before it (found by listing every segment: the baseline), the last
 *       third after moving them back; it prints the ms a call of each and the ratio.
 *   <li>Resets the heap pools' peaks, runs a GC, then curates {@code CaptureQuery...withFeedback()}
 *       into a new version of a dataset, and reports wall time, captures scanned a second, the sum
 *       of the heap pools' peak use, GC counts, and what was appended.
 *   <li>Checks that every corrected answer is in the new version, tagged with its call id (the
 *       benchmark fails otherwise), and that nothing was dropped.
 * </ol>
 */
public final class CurationBenchmark {

    private static final String ASSISTANT = "support-bot";
    private static final String BASE_MODEL = "gpt-4o-mini-2024-07-18";
    private static final String MODEL = "ft:gpt-4o-mini-2024-07-18:acme::curation";
    private static final String SYSTEM = "You are the support assistant of Acme Rail. Answer briefly and politely.";
    private static final String[] TOPICS = {"my refund", "a delayed train", "a seat reservation", "my bike ticket",
        "the night train", "a lost suitcase", "my season pass", "a group booking"};
    private static final int FLUSH_EVERY = 4096;
    /** The collection of capture segments, ordered by time, and the one stores held them in before. */
    private static final String SEGMENTS = "capture-segments";
    private static final String LEGACY = "captures";

    private CurationBenchmark() {}

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        int n = settings.integer("captures", 1_000_000);
        int upEvery = settings.integer("upEvery", 100);
        int correctEvery = settings.integer("correctEvery", 1000);
        System.out.println("CurationBenchmark: " + Machine.describe());
        System.out.printf(Locale.ROOT, "settings: captures=%,d upEvery=%d correctEvery=%d, max heap %d MiB%n", n,
                upEvery, correctEvery, Runtime.getRuntime().maxMemory() >> 20);
        Machine machine = new Machine();
        Path dir = Files.createTempDirectory("ft4j-bench-curation");
        try (StubServer stub = new StubServer(4)) {
            Provider openai = new OpenAiProviderFactory().create(
                    ProviderConfig.builder().endpoint(stub.baseUrl()).apiKey(ApiKey.of("test")).build());
            VersionStore store = VersionStores.file(dir);
            FineTuning ft = FineTuning.builder().store(store).provider(new CannedProvider(openai, CurationBenchmark::answer))
                    .build();
            Assistant assistant = ft.createAssistant(ASSISTANT, "openai", BASE_MODEL);
            assistant.activate(assistant.importModel("openai", MODEL, BASE_MODEL, "bench").number(),
                    Change.by("bench", "start"));
            Captures captures = ft.captures();
            captures.enable(ASSISTANT, CapturePolicy.builder().sampling(1.0).build());
            ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults());

            // 1. write the captures
            List<String> upIds = new ArrayList<>();
            Map<String, String> corrections = new HashMap<>();
            machine.mark();
            long t0 = System.nanoTime();
            long bytes = 0;
            for (int i = 1; i <= n; i++) {
                String user = "Hello, I have a question about " + TOPICS[i % TOPICS.length] + ", booking number "
                        + (100_000_000 + i) + ". Can you help me?";
                ChatRequest request = ChatRequest.builder(ASSISTANT).message(Message.system(SYSTEM)).user(user).build();
                String callId = router.chat(request).callId();
                if (i % correctEvery == 0) {
                    corrections.put(callId, "Corrected answer " + i + ": please use the refund form at acme.example/refund.");
                } else if (i % upEvery == 0) {
                    upIds.add(callId);
                }
                if (i % FLUSH_EVERY == 0 && !captures.flush(Duration.ofMinutes(2))) {
                    throw new IllegalStateException("the capture writer did not catch up in 2 minutes");
                }
                if (i % 100_000 == 0) {
                    System.out.printf(Locale.ROOT, "  written %,d captures in %.1f s%n", i, seconds(t0));
                }
            }
            if (!captures.flush(Duration.ofMinutes(2))) {
                throw new IllegalStateException("the capture writer did not catch up in 2 minutes");
            }
            double writeSeconds = seconds(t0);
            double writeOthers = machine.othersSinceMark();
            CaptureStats stats = captures.stats();
            System.out.printf(Locale.ROOT, "write: %,d captures in %.1f s (%,.0f captures/s), others used %.2f cores; "
                    + "%s%n", n, writeSeconds, n / writeSeconds, writeOthers, stats);
            if (stats.dropped() != 0 || stats.failed() != 0) {
                throw new IllegalStateException("captures were dropped or failed: " + stats);
            }
            long storeBytes = sizeOf(dir);
            System.out.printf(Locale.ROOT, "store: %.1f MiB on disk (%.0f bytes a capture)%n", storeBytes / 1048576.0,
                    (double) storeBytes / n);

            // 2. feedback through the public API: a third of the calls (and the corrections) on the
            // time-ordered segments, a third on the same segments moved to the legacy layout (every
            // segment listed: the lookup before the time-ordered layout), the last third back on the
            // time-ordered ones, so that a change of the machine's load shows as a difference of the two
            int segments = keys(store, ft.tenant(), SEGMENTS).size();
            List<List<String>> thirds = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < upIds.size(); i++) {
                thirds.get(i % 3).add(upIds.get(i));
            }
            settle(machine);
            machine.mark();
            t0 = System.nanoTime();
            for (String id : thirds.get(0)) {
                captures.feedback(id, Feedback.up());
            }
            for (Map.Entry<String, String> e : corrections.entrySet()) {
                captures.feedback(e.getKey(), Feedback.up().withCorrection(e.getValue()));
            }
            double firstMs = seconds(t0) * 1e3 / Math.max(1, thirds.get(0).size() + corrections.size());
            double firstOthers = machine.othersSinceMark();
            double firstFindMs = findMillis(captures, thirds.get(0));
            moveSegments(store, ft, SEGMENTS, LEGACY);
            settle(machine);
            machine.mark();
            t0 = System.nanoTime();
            for (String id : thirds.get(1)) {
                captures.feedback(id, Feedback.up());
            }
            double legacyMs = seconds(t0) * 1e3 / Math.max(1, thirds.get(1).size());
            double legacyOthers = machine.othersSinceMark();
            double legacyFindMs = findMillis(captures, thirds.get(1));
            moveSegments(store, ft, LEGACY, SEGMENTS);
            settle(machine);
            machine.mark();
            t0 = System.nanoTime();
            for (String id : thirds.get(2)) {
                captures.feedback(id, Feedback.up());
            }
            double lastMs = seconds(t0) * 1e3 / Math.max(1, thirds.get(2).size());
            double lastOthers = machine.othersSinceMark();
            double lastFindMs = findMillis(captures, thirds.get(2));
            int rated = upIds.size() + corrections.size();
            System.out.printf(Locale.ROOT, "feedback at %,d segments: time-ordered %.2f ms a call (%,d calls, %,d with a "
                    + "correction; others %.2f cores), legacy layout (all segments listed) %.2f ms (%,d calls; others "
                    + "%.2f cores), time-ordered again %.2f ms (%,d calls; others %.2f cores): legacy / time-ordered "
                    + "%.1fx%n", segments, firstMs, thirds.get(0).size() + corrections.size(), corrections.size(),
                    firstOthers, legacyMs, thirds.get(1).size(), legacyOthers, lastMs, thirds.get(2).size(), lastOthers,
                    legacyMs / ((firstMs + lastMs) / 2));
            System.out.printf(Locale.ROOT, "find(callId) at %,d segments (the lookup alone: no flush, no write): "
                    + "time-ordered %.2f ms, legacy layout %.2f ms, time-ordered again %.2f ms: legacy / time-ordered "
                    + "%.1fx%n", segments, firstFindMs, legacyFindMs, lastFindMs,
                    legacyFindMs / ((firstFindMs + lastFindMs) / 2));
            upIds = null;

            // 3. curate the rated captures into a new dataset version, heap measured
            Dataset dataset = ft.dataset(ASSISTANT, "curated");
            dataset.append(List.of(Example.of(Message.system(SYSTEM), Message.user("Hi"), Message.assistant("Hello!"))),
                    "seed");
            List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            System.gc();
            long usedBefore = used(heapPools);
            heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
            long gcCountBefore = gcCount();
            long gcMillisBefore = gcMillis();
            machine.mark();
            t0 = System.nanoTime();
            CurationResult result = captures.curate(CaptureQuery.builder(ASSISTANT).withFeedback().build(), dataset,
                    ImportOptions.defaults(), "curated from " + n + " captures");
            double curateSeconds = seconds(t0);
            double curateOthers = machine.othersSinceMark();
            long peak = 0;
            StringBuilder pools = new StringBuilder();
            for (MemoryPoolMXBean p : heapPools) {
                peak += p.getPeakUsage().getUsed();
                pools.append(String.format(Locale.ROOT, " %s %.1f", p.getName(), p.getPeakUsage().getUsed() / 1048576.0));
            }
            long gcs = gcCount() - gcCountBefore;
            long gcMs = gcMillis() - gcMillisBefore;
            System.gc();
            long usedAfter = used(heapPools);
            System.out.printf(Locale.ROOT, "curate: scanned %,d captures in %.1f s (%,.0f captures/s), others used %.2f "
                    + "cores%n", n, curateSeconds, n / curateSeconds, curateOthers);
            System.out.printf(Locale.ROOT, "curate: selected %,d, rejected %,d, appended %,d (duplicates %,d, invalid %,d)%n",
                    result.selected(), result.rejected(), result.appended().added(), result.appended().duplicates(),
                    result.appended().invalid());
            System.out.printf(Locale.ROOT, "heap: peak used during curation %.1f MiB (sum of heap pools' peaks:%s) of "
                    + "max %d MiB; live after a GC before %.1f MiB, after %.1f MiB; %d GCs, %d ms%n", peak / 1048576.0,
                    pools, Runtime.getRuntime().maxMemory() >> 20, usedBefore / 1048576.0, usedAfter / 1048576.0, gcs,
                    gcMs);

            // 4. verify
            if (result.selected() != rated || result.appended().added() != rated) {
                throw new IllegalStateException("expected " + rated + " selected and appended, got " + result);
            }
            DatasetVersion version = result.appended().version().orElseThrow();
            int found = 0;
            try (Stream<Example> examples = dataset.examples(version)) {
                for (Example e : (Iterable<Example>) examples::iterator) {
                    String expected = corrections.get(e.tags().get("call_id"));
                    if (expected != null) {
                        Message last = e.messages().get(e.messages().size() - 1);
                        if (last.role() != Role.ASSISTANT || !last.content().orElse("").equals(expected)
                                || !"true".equals(e.tags().get("corrected"))) {
                            throw new IllegalStateException("call " + e.tags().get("call_id")
                                    + " is curated without its correction: " + e);
                        }
                        found++;
                    }
                }
            }
            if (found != corrections.size()) {
                throw new IllegalStateException("only " + found + " of " + corrections.size()
                        + " corrected answers are in version " + version.number());
            }
            System.out.printf(Locale.ROOT, "verified: all %,d corrected answers are in version %d%n", found,
                    version.number());
            ft.close();
            openai.close();
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Before a timed phase: has the kernel write back what the run wrote so far ({@code sync}; a
     * feedback write forces its file to disk, and behind 640 MiB of dirty pages that takes far
     * longer than the lookup), then waits up to 30 s for the other processes to use at most a
     * quarter of a core.
     */
    private static void settle(Machine machine) throws InterruptedException {
        try {
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        } catch (IOException e) {
            // no sync command: the phase runs with what is still being written back
        }
        machine.waitQuiet(0.25, 30);
    }

    /** The mean ms of {@link Captures#find(String)} over the ids; each must be found. */
    private static double findMillis(Captures captures, List<String> ids) {
        long t0 = System.nanoTime();
        for (String id : ids) {
            if (captures.find(id).flatMap(c -> c.feedback()).isEmpty()) {
                throw new IllegalStateException("call " + id + " is not found with its feedback");
            }
        }
        return seconds(t0) * 1e3 / Math.max(1, ids.size());
    }

    /** The keys of a collection of the tenant. */
    private static List<StoreKey> keys(VersionStore store, Tenant tenant, String collection) {
        List<StoreKey> keys = new ArrayList<>();
        String after = null;
        do {
            StorePage page = store.list(tenant, collection, after, 1000);
            keys.addAll(page.keys());
            after = page.nextCursor();
        } while (after != null);
        return keys;
    }

    /**
     * Moves every capture segment record between the time-ordered layout ({@code TO-FROM-RANDOM/assistant}
     * in {@value #SEGMENTS}) and the one stores were written in before it ({@code assistant/FROM-TO-RANDOM}
     * in {@value #LEGACY}), the same value (the blob it names is not touched): the baseline of the
     * feedback lookup, in the same run on the same data.
     */
    private static void moveSegments(VersionStore store, FineTuning ft, String from, String to) {
        for (StoreKey k : keys(store, ft.tenant(), from)) {
            String[] parts = k.id().split("/");
            String[] times = (from.equals(SEGMENTS) ? parts[0] : parts[1]).split("-");
            String swapped = times[1] + "-" + times[0] + "-" + times[2];   // end first there, start first here
            String id = from.equals(SEGMENTS) ? parts[1] + "/" + swapped : swapped + "/" + parts[0];
            store.write(new StoreKey(ft.tenant(), to, id), store.latest(k).orElseThrow().value(), 0);
            store.delete(k);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static long used(List<MemoryPoolMXBean> pools) {
        return pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * An answer made from the user's question, so captures differ as in production (the booking
     * number the question names).
     */
    private static ChatResult answer(ChatCall call) {
        String question = call.messages().get(call.messages().size() - 1).content().orElse("");
        int number = question.indexOf("number ");
        String booking = number < 0 ? "" : question.substring(number + 7, Math.min(question.length(), number + 16));
        return new ChatResult("Of course. I found booking " + booking + ". It is confirmed; you will get "
                + "an e-mail with the details within the hour. Anything else?", List.of(), "stop",
                new Usage(40, 30), MODEL, "req_" + booking);
    }
}
