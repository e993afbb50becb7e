package dev.finetune4j.bench.chat;

import dev.finetune4j.FineTuning;
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
 *   <li>Gives feedback to a share of them through {@link Captures#feedback}.
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
            FineTuning ft = FineTuning.builder().store(VersionStores.file(dir)).provider(new CannedProvider(openai, CurationBenchmark::answer))
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

            // 2. feedback through the public API
            machine.mark();
            t0 = System.nanoTime();
            for (String id : upIds) {
                captures.feedback(id, Feedback.up());
            }
            for (Map.Entry<String, String> e : corrections.entrySet()) {
                captures.feedback(e.getKey(), Feedback.up().withCorrection(e.getValue()));
            }
            double feedbackSeconds = seconds(t0);
            int rated = upIds.size() + corrections.size();
            System.out.printf(Locale.ROOT, "feedback: %,d calls (%,d up, %,d up with a correction) in %.1f s "
                    + "(%.1f ms a call), others used %.2f cores%n", rated, upIds.size(), corrections.size(),
                    feedbackSeconds, feedbackSeconds * 1e3 / Math.max(1, rated), machine.othersSinceMark());
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
