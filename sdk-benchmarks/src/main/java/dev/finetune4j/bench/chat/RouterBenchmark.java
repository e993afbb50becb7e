package dev.finetune4j.bench.chat;

import dev.finetune4j.bench.Machine;
import dev.finetune4j.bench.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.finetune4j.FineTuning;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.Change;
import dev.finetune4j.capture.CapturePolicy;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatRouter;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.openai.OpenAiProviderFactory;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.store.VersionStores;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of {@link ChatRouter} on top of the HTTP call it makes. A loopback stub of OpenAI's
 * {@code POST /v1/chat/completions} ({@link StubServer}) answers the same fixed completion to
 * every client making the same one-message call:
 *
 * <ol>
 *   <li>the baseline: a direct JDK {@link HttpClient} POST of the very body the router sends;
 *   <li>{@code router.chat(ChatRequest.of(...))}: finetune4j's router on an in-memory store, over
 *       the OpenAI provider of sdk-openai pointed at the stub, for an assistant whose active model
 *       version was imported with {@code importModel};
 *   <li>the official client, {@code com.openai:openai-java} (OkHttp), making the same call.
 * </ol>
 *
 * Then, to find where a difference comes from, the layers one at a time: the direct call reading
 * the body as an {@code InputStream}, the direct call plus building the request and parsing the
 * answer with Jackson trees (what a hand-written client does), plus a per-request {@code
 * HttpRequest.timeout}, the provider's own {@code chat(ChatCall)} (the HTTP core with its
 * watchdog timeout, headers and deadline; request and answer without trees), and the router over
 * a provider that answers at once (the router's own work, no I/O).
 *
 * <p>Measured, with the targets:
 * <ul>
 *   <li>sequential latency, p50 and p99 over {@code calls} calls per client after warm-up, the
 *       clients interleaved in rounds: router p50 − direct p50 within 50 µs; router p50 /
 *       openai-java p50 at most 1.0;
 *   <li>64 concurrent callers: router throughput at least 90 % of direct;
 *   <li>the same 64 callers on the router while another thread activates the two model versions
 *       back and forth ({@code assistant.activate}): no failed call. Also counted: calls that
 *       started after an activation returned and ended before the next began, yet were answered
 *       by the version that was no longer active ("stale").
 * </ul>
 *
 * <p>Run (builds the current sdk-core and sdk-openai first; about 5 minutes):
 * <pre>
 * mvn -q -B -pl sdk-benchmarks -am package -DskipTests -Dbench=router
 * </pre>
 * Settings, all optional: {@code -Dbench.args="calls=20000 warmup=5000 rounds=10 threads=64
 * seconds=3 concurrentRounds=9 concurrentWarmup=15 disturbed=0.4 retries=3 activationSeconds=10 pauseMillis=20
 * quiet=0.3 waitQuiet=20 parts=sequential,concurrent,activations clients=router,provider
 * concurrentClients=direct,router,openai-java"}:
 * {@code clients} limits the sequential part to some clients, {@code concurrentClients} chooses the
 * clients of the concurrent part, by the keys {@code direct direct-stream direct-json direct-timeout
 * provider router router-canned router-capture openai-java}; the baseline always runs.
 * {@code router-capture} is the router with capture on at 100 % sampling over an embedded file
 * store in a temporary directory (issue "data flywheel": at most 10 µs over the router's p50, at
 * least 95 % of its throughput under 64 callers; for its concurrent figure run with
 * {@code concurrentClients=direct,router,router-capture}). A concurrent run during which other
 * processes (or the host, as steal time) used more than {@code disturbed} cores is run again, up
 * to {@code retries} times.
 * Without Maven: {@code java -cp <classpath> dev.finetune4j.bench.chat.RouterBenchmark}.
 */
public final class RouterBenchmark {

    private static final String ASSISTANT = "bench";
    private static final String BASE_MODEL = "gpt-4o-mini-2024-07-18";
    private static final String MODEL_V1 = "ft:gpt-4o-mini-2024-07-18:bench::v1";
    private static final String MODEL_V2 = "ft:gpt-4o-mini-2024-07-18:bench::v2";
    private static final String TEXT = "Say hello in one short sentence.";
    private static final String EXPECTED = "Hello! How can I help you today?";

    private RouterBenchmark() {}

    /** One way of making the call; returns the answer's text. */
    @FunctionalInterface
    private interface Call {
        String run() throws Exception;
    }

    private record Client(String key, String label, Call call) {}

    /** Runs the benchmark; see the class comment for the settings. */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        int calls = settings.integer("calls", 20_000);
        int warmup = settings.integer("warmup", 5_000);
        int rounds = settings.integer("rounds", 10);
        int threads = settings.integer("threads", 64);
        double seconds = settings.decimal("seconds", 3);
        int concurrentRounds = settings.integer("concurrentRounds", 9);
        double concurrentWarmup = settings.decimal("concurrentWarmup", 15);
        double disturbed = settings.decimal("disturbed", 0.4);
        int retries = settings.integer("retries", 3);
        double activationSeconds = settings.decimal("activationSeconds", 10);
        int pauseMillis = settings.integer("pauseMillis", 20);
        double quiet = settings.decimal("quiet", 0.3);
        double waitQuiet = settings.decimal("waitQuiet", 20);
        List<String> parts = List.of(settings.text("parts", "sequential,concurrent,activations").split(","));
        System.out.println("RouterBenchmark: " + Machine.describe());
        System.out.printf(Locale.ROOT, "settings: calls=%d warmup=%d rounds=%d threads=%d seconds=%.1f "
                + "concurrentRounds=%d concurrentWarmup=%.1f disturbed=%.2f retries=%d activationSeconds=%.1f "
                + "pauseMillis=%d%n", calls, warmup, rounds, threads, seconds, concurrentRounds, concurrentWarmup,
                disturbed, retries, activationSeconds, pauseMillis);

        try (StubServer stub = new StubServer(16)) {
            URI base = stub.baseUrl();
            URI chatUri = URI.create(base + "/chat/completions");
            Provider openai = new OpenAiProviderFactory().create(
                    ProviderConfig.builder().endpoint(base).apiKey(ApiKey.of("test")).build());

            FineTuning ft = FineTuning.builder().store(VersionStores.inMemory()).provider(openai).build();
            Assistant assistant = ft.createAssistant(ASSISTANT, "openai", BASE_MODEL);
            int v1 = assistant.importModel("openai", MODEL_V1, BASE_MODEL, "bench v1").number();
            int v2 = assistant.importModel("openai", MODEL_V2, BASE_MODEL, "bench v2").number();
            assistant.activate(v1, Change.by("bench", "start"));
            ChatRouter router = ft.chatRouter(ChatRouter.Options.defaults());

            ChatResult canned = new ChatResult(EXPECTED, List.of(), "stop", new Usage(12, 9), MODEL_V1, "req_bench");
            FineTuning ftCanned = FineTuning.builder().store(VersionStores.inMemory())
                    .provider(new CannedProvider(openai, canned)).build();
            Assistant cannedAssistant = ftCanned.createAssistant(ASSISTANT, "openai", BASE_MODEL);
            cannedAssistant.activate(cannedAssistant.importModel("openai", MODEL_V1, BASE_MODEL, "bench").number(),
                    Change.by("bench", "start"));
            ChatRouter cannedRouter = ftCanned.chatRouter(ChatRouter.Options.defaults());

            // the same router with capture on at 100 % sampling, writing to an embedded file store
            java.nio.file.Path captureDir = java.nio.file.Files.createTempDirectory("ft4j-bench-capture");
            FineTuning ftCapture = FineTuning.builder().store(VersionStores.file(captureDir)).provider(openai).build();
            Assistant captured = ftCapture.createAssistant(ASSISTANT, "openai", BASE_MODEL);
            captured.activate(captured.importModel("openai", MODEL_V1, BASE_MODEL, "bench").number(),
                    Change.by("bench", "start"));
            ftCapture.captures().enable(ASSISTANT, CapturePolicy.builder().sampling(1.0).build());
            ChatRouter captureRouter = ftCapture.chatRouter(ChatRouter.Options.defaults());

            HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ObjectMapper mapper = new ObjectMapper();
            byte[] body = ("{\"model\":\"" + MODEL_V1 + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + TEXT
                    + "\"}]}").getBytes(StandardCharsets.UTF_8);
            OpenAIClient official = OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey("test").build();

            Client direct = new Client("direct", "direct JDK HttpClient, body as String (baseline)", () -> {
                HttpResponse<String> r = jdk.send(post(chatUri, body), HttpResponse.BodyHandlers.ofString());
                return check(r.statusCode(), r.body());
            });
            Client directStream = new Client("direct-stream", "  direct, body as InputStream + readAllBytes", () -> {
                HttpResponse<InputStream> r = jdk.send(post(chatUri, body), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = r.body()) {
                    return check(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            });
            Client directJson = new Client("direct-json", "  direct, InputStream + Jackson tree out and in", () ->
                jsonCall(jdk, mapper, post(chatUri, jsonBody(mapper))));
            Client directTimeout = new Client("direct-timeout", "  direct, InputStream + Jackson + request timeout",
                    () -> {
                        HttpRequest r = HttpRequest.newBuilder(chatUri)
                                .timeout(Duration.ofMinutes(10))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer test")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(jsonBody(mapper)))
                                .build();
                        return jsonCall(jdk, mapper, r);
                    });
            ChatService openaiChat = openai.chat().orElseThrow();
            Client provider = new Client("provider", "  OpenAiProvider.chat(ChatCall)", () ->
                    openaiChat.chat(ChatCall.builder(MODEL_V1).message(Message.user(TEXT)).build()).content());
            Client routed = new Client("router", "ChatRouter.chat", () -> {
                ChatResponse r = router.chat(ChatRequest.of(ASSISTANT, TEXT));
                return r.content();
            });
            Client routedCanned = new Client("router-canned", "  ChatRouter.chat over an instant provider (no I/O)",
                    () -> cannedRouter.chat(ChatRequest.of(ASSISTANT, TEXT)).content());
            Client routedCapture = new Client("router-capture", "ChatRouter.chat, capture on (100 %, file store)",
                    () -> captureRouter.chat(ChatRequest.of(ASSISTANT, TEXT)).content());
            Client openaiJava = new Client("openai-java", "openai-java " + openAiJavaVersion() + " (OkHttp)", () ->
                    official.chat().completions().create(ChatCompletionCreateParams.builder().model(MODEL_V1)
                            .addUserMessage(TEXT).build()).choices().get(0).message().content().orElse(""));
            List<Client> all = List.of(direct, directStream, directJson, directTimeout, provider, routed,
                    routedCanned, routedCapture, openaiJava);
            // the baseline always runs, first; the others can be chosen (keys as in the report)
            List<String> only = List.of(settings.text("clients", "").split(","));
            List<Client> clients = all.stream().filter(c -> only.contains("") || c == direct
                    || only.contains(c.key())).toList();
            for (Client c : clients) {
                if (!c.call().run().contains(EXPECTED)) {
                    throw new IllegalStateException(c.key() + " did not get the stub's answer");
                }
            }

            Machine machine = new Machine();
            if (parts.contains("sequential")) {
                sequential(clients, calls, warmup, rounds, machine, quiet, waitQuiet);
            }
            if (parts.contains("concurrent")) {
                List<String> keys = List.of(settings.text("concurrentClients", "direct,router,openai-java").split(","));
                List<Client> loaded = all.stream().filter(c -> c == direct || keys.contains(c.key())).toList();
                concurrent(loaded, threads, seconds, concurrentRounds, concurrentWarmup, disturbed, retries, machine, quiet,
                        waitQuiet);
            }
            if (parts.contains("activations")) {
                activations(router, assistant, v1, v2, threads, activationSeconds, pauseMillis, machine, quiet,
                        waitQuiet);
            }
            System.out.printf(Locale.ROOT, "%ncapture: %s (store %s)%n", ftCapture.captures().stats(), captureDir);
            ftCapture.close();
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(captureDir)) {
                for (java.nio.file.Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(f);
                }
            }
            System.out.printf(Locale.ROOT, "%nstub answered %d requests, %d without the API key%n", stub.requests(),
                    stub.unauthorized());
            official.close();
        }
        // the JDK client's and OkHttp's threads are not all daemons
        System.exit(0);
    }

    private static HttpRequest post(URI uri, byte[] body) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer test")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private static byte[] jsonBody(ObjectMapper mapper) throws IOException {
        ObjectNode req = mapper.createObjectNode();
        req.put("model", MODEL_V1);
        ObjectNode m = req.putArray("messages").addObject();
        m.put("role", "user");
        m.put("content", TEXT);
        return mapper.writeValueAsBytes(req);
    }

    private static String jsonCall(HttpClient jdk, ObjectMapper mapper, HttpRequest request)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> r = jdk.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            JsonNode answer = mapper.readTree(in.readAllBytes());
            return check(r.statusCode(), answer.path("choices").path(0).path("message").path("content").asText());
        }
    }

    private static String check(int status, String body) {
        if (status != 200) {
            throw new IllegalStateException("status " + status);
        }
        return body;
    }

    private static String openAiJavaVersion() {
        Package p = OpenAIClient.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? System.getProperty("openai-java.version", "") : v;
    }

    // ---- sequential ----------------------------------------------------------------------------

    private static void sequential(List<Client> clients, int calls, int warmup, int rounds, Machine machine,
            double quiet, double waitQuiet) throws Exception {
        int n = clients.size();
        int per = calls / rounds;
        for (int done = 0; done < warmup; done += 500) {
            for (Client c : clients) {
                for (int j = 0; j < 500; j++) {
                    c.call().run();
                }
            }
        }
        long[][] latencies = new long[n][per * rounds];
        double[][] roundP50 = new double[n][rounds];
        double[][] roundCpu = new double[n][rounds];
        double[][] roundAlloc = new double[n][rounds];
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double othersMax = 0;
        for (int r = 0; r < rounds; r++) {
            machine.waitQuiet(quiet, waitQuiet);
            machine.mark();
            for (int k = 0; k < n; k++) {
                int i = (k + r) % n;
                Call call = clients.get(i).call();
                long[] lat = latencies[i];
                long alloc0 = allocatedBytes();
                long cpu0 = os.getProcessCpuTime();
                for (int j = r * per; j < (r + 1) * per; j++) {
                    long t0 = System.nanoTime();
                    call.run();
                    lat[j] = System.nanoTime() - t0;
                }
                roundCpu[i][r] = (double) (os.getProcessCpuTime() - cpu0) / per;
                roundAlloc[i][r] = (double) (allocatedBytes() - alloc0) / per;
                roundP50[i][r] = percentile(Arrays.copyOfRange(lat, r * per, (r + 1) * per), 50);
            }
            othersMax = Math.max(othersMax, machine.othersSinceMark());
        }

        System.out.printf(Locale.ROOT, "%nSequential: %d calls per client after %d warm-up calls, in %d interleaved "
                + "rounds (other processes used up to %.2f cores meanwhile)%n", per * rounds, warmup, rounds, othersMax);
        System.out.println("p50 − direct (paired): median over rounds of the difference of the rounds' p50s. CPU: this "
                + "process's CPU time per call, stub server and all threads included, median over rounds; alloc: heap "
                + "allocated per call by all threads.");
        System.out.printf(Locale.ROOT, "%-52s %9s %9s %14s %14s %10s %12s %10s%n", "client", "p50 µs", "p99 µs",
                "p50 − direct", "(paired) µs", "CPU µs", "CPU − direct", "alloc KB");
        double directP50 = percentile(latencies[0], 50);
        for (int i = 0; i < n; i++) {
            double p50 = percentile(latencies[i], 50);
            System.out.printf(Locale.ROOT, "%-52s %9.1f %9.1f %14.1f %14.1f %10.1f %12.1f %10.1f%n",
                    clients.get(i).label(), p50 / 1e3, percentile(latencies[i], 99) / 1e3, (p50 - directP50) / 1e3,
                    pairedDifference(roundP50[i], roundP50[0]) / 1e3, median(roundCpu[i]) / 1e3,
                    pairedDifference(roundCpu[i], roundCpu[0]) / 1e3, median(roundAlloc[i]) / 1024);
        }
        int router = index(clients, "router");
        int official = index(clients, "openai-java");
        if (router >= 0) {
            double routerP50 = percentile(latencies[router], 50);
            double paired = pairedDifference(roundP50[router], roundP50[0]) / 1e3;
            System.out.printf(Locale.ROOT, "router p50 − direct p50: %.1f µs (paired by round: %.1f µs); target ≤ 50 µs: "
                    + "%s%n", (routerP50 - directP50) / 1e3, paired, paired <= 50 ? "met" : "MISSED");
            if (official >= 0) {
                double vsOfficial = routerP50 / percentile(latencies[official], 50);
                System.out.printf(Locale.ROOT, "router p50 / openai-java p50: %.2f; target ≤ 1.0: %s%n", vsOfficial,
                        vsOfficial <= 1.0 ? "met" : "MISSED");
            }
        }
        int capture = index(clients, "router-capture");
        if (router >= 0 && capture >= 0) {
            double paired = pairedDifference(roundP50[capture], roundP50[router]) / 1e3;
            System.out.printf(Locale.ROOT, "router-capture p50 − router p50 (paired by round): %.1f µs; target ≤ 10 µs: "
                    + "%s%n", paired, paired <= 10 ? "met" : "MISSED");
        }
        System.out.println("Where the router's time goes (paired differences of p50 latency and of CPU per call, µs):");
        String[][] steps = {
                {"direct-stream", "direct", "InputStream body handler instead of String"},
                {"direct-json", "direct-stream", "Jackson: build the request tree, parse the answer tree"},
                {"direct-timeout", "direct-json", "a per-request timeout on the JDK HttpRequest"},
                {"provider", "direct-timeout", "the provider instead: HTTP core (watchdog timeout, headers, retry "
                        + "bookkeeping), request written and answer read without trees"},
                {"router", "provider", "router on top of the provider"},
        };
        for (String[] s : steps) {
            int a = index(clients, s[0]);
            int b = index(clients, s[1]);
            if (a >= 0 && b >= 0) {
                System.out.printf(Locale.ROOT, "  %-14s − %-14s %8.1f latency %8.1f CPU   %s%n", s[0], s[1],
                        pairedDifference(roundP50[a], roundP50[b]) / 1e3,
                        pairedDifference(roundCpu[a], roundCpu[b]) / 1e3, s[2]);
            }
        }
        int canned = index(clients, "router-canned");
        if (canned >= 0) {
            System.out.printf(Locale.ROOT, "  router-canned alone             %8.1f latency %8.1f CPU   the router's own "
                    + "work per call, no I/O%n", median(roundP50[canned]) / 1e3, median(roundCpu[canned]) / 1e3);
        }
    }

    /** Bytes allocated so far by every live thread of this process (stub server and client threads too). */
    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, a);
        }
        return total;
    }

    private static int index(List<Client> clients, String key) {
        for (int i = 0; i < clients.size(); i++) {
            if (clients.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** Median over rounds of a − b. */
    private static double pairedDifference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return median(d);
    }

    // ---- concurrent ----------------------------------------------------------------------------

    private record LoadResult(long calls, long failures, double seconds, double p50Micros, double p99Micros,
            double callerCpuMicros, Map<String, Long> errors) {
        double throughput() {
            return calls / seconds;
        }
    }

    /** What one caller thread saw: start, end and the answering model version of each call (-1: failed). */
    private static final class Trace {
        /** The caller thread's own CPU time during the run. */
        long cpuNanos;
        long[] start = new long[1024];
        long[] end = new long[1024];
        int[] version = new int[1024];
        int size;
        final Map<String, Long> errors = new TreeMap<>();

        void add(long s, long e, int v) {
            if (size == start.length) {
                start = Arrays.copyOf(start, size * 2);
                end = Arrays.copyOf(end, size * 2);
                version = Arrays.copyOf(version, size * 2);
            }
            start[size] = s;
            end[size] = e;
            version[size] = v;
            size++;
        }
    }

    /** Something a caller thread does once per call; returns the answering model version (0 when unknown). */
    @FunctionalInterface
    private interface VersionedCall {
        int run() throws Exception;
    }

    private static List<Trace> load(VersionedCall call, int threads, double seconds) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
        List<Trace> traces = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Trace trace = new Trace();
            traces.add(trace);
            Thread w = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpu0 = mx.getCurrentThreadCpuTime();
                while (System.nanoTime() < stopAt.get()) {
                    long s = System.nanoTime();
                    int v;
                    try {
                        v = call.run();
                    } catch (Exception e) {
                        v = -1;
                        trace.errors.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1L, Long::sum);
                    }
                    trace.add(s, System.nanoTime(), v);
                }
                trace.cpuNanos = mx.getCurrentThreadCpuTime() - cpu0;
            }, "caller-" + t);
            w.start();
            workers.add(w);
        }
        ready.await();
        stopAt.set(System.nanoTime() + (long) (seconds * 1e9));
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        return traces;
    }

    private static LoadResult summarize(List<Trace> traces) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long ok = 0;
        long failed = 0;
        int total = traces.stream().mapToInt(t -> t.size).sum();
        long[] latencies = new long[total];
        int k = 0;
        Map<String, Long> errors = new TreeMap<>();
        for (Trace t : traces) {
            for (int i = 0; i < t.size; i++) {
                first = Math.min(first, t.start[i]);
                last = Math.max(last, t.end[i]);
                latencies[k++] = t.end[i] - t.start[i];
                if (t.version[i] < 0) {
                    failed++;
                } else {
                    ok++;
                }
            }
            t.errors.forEach((m, c) -> errors.merge(m, c, Long::sum));
        }
        long callerCpu = traces.stream().mapToLong(t -> t.cpuNanos).sum();
        return new LoadResult(ok, failed, (last - first) / 1e9, percentile(latencies, 50) / 1e3,
                percentile(latencies, 99) / 1e3, callerCpu / 1e3 / Math.max(1, ok + failed), errors);
    }

    private static void concurrent(List<Client> clients, int threads, double seconds, int rounds, double warmup,
            double disturbed, int retries, Machine machine, double quiet, double waitQuiet) throws Exception {
        System.out.printf(Locale.ROOT, "%n%d concurrent callers, %.1f s per run, %d rounds; in each round every client "
                + "runs once between two runs of direct%n", threads, seconds, rounds);
        int n = clients.size();
        // the warm-up: each client, then the whole sequence once more, so connection pools and thread
        // pools are full and the JIT is done with the concurrent paths (throughput still rose from run
        // to run after a 1 s warm-up per client)
        for (int pass = 0; pass < 2; pass++) {
            for (Client c : clients) {
                load(() -> {
                    c.call().run();
                    return 0;
                }, threads, warmup / 2);
            }
        }
        Run[][] runs = new Run[n][rounds];
        List<Run> directs = new ArrayList<>();
        double[][] ratio = new double[n][rounds];
        double[][] cpuRatio = new double[n][rounds];
        for (int r = 0; r < rounds; r++) {
            Run previous = run(clients.get(0), r, threads, seconds, disturbed, retries, machine, quiet, waitQuiet);
            directs.add(previous);
            for (int k = 0; k < n - 1; k++) {
                int i = 1 + (k + r) % (n - 1);
                Run run = run(clients.get(i), r, threads, seconds, disturbed, retries, machine, quiet, waitQuiet);
                Run next = run(clients.get(0), r, threads, seconds, disturbed, retries, machine, quiet, waitQuiet);
                directs.add(next);
                runs[i][r] = run;
                // against the mean of the direct runs just before and just after: slow drifts cancel
                ratio[i][r] = run.throughput() / ((previous.throughput() + next.throughput()) / 2);
                cpuRatio[i][r] = ((previous.cpuPerCall() + next.cpuPerCall()) / 2) / run.cpuPerCall();
                previous = next;
            }
        }
        System.out.println("Throughput against direct: median over rounds of the client's throughput / the mean of the "
                + "direct runs just before and after it; by CPU: the same with direct's CPU per call / the client's "
                + "(what the 2 cores allow when nothing else runs).");
        System.out.printf(Locale.ROOT, "%-14s median %8.0f calls/s, CPU %6.1f µs/call%n", clients.get(0).key(),
                median(directs.stream().mapToDouble(Run::throughput).toArray()),
                median(directs.stream().mapToDouble(Run::cpuPerCall).toArray()));
        double[] share = new double[n];
        for (int i = 1; i < n; i++) {
            share[i] = median(ratio[i]);
            System.out.printf(Locale.ROOT, "%-14s median %8.0f calls/s, %6.1f %% of direct (rounds: %s); by CPU (%6.1f "
                    + "µs/call) %6.1f %%%n", clients.get(i).key(),
                    median(Arrays.stream(runs[i]).mapToDouble(Run::throughput).toArray()), 100 * share[i],
                    percentages(ratio[i]), median(Arrays.stream(runs[i]).mapToDouble(Run::cpuPerCall).toArray()),
                    100 * median(cpuRatio[i]));
        }
        int router = index(clients, "router");
        if (router >= 0) {
            System.out.printf(Locale.ROOT, "router throughput / direct: %.1f %%; target ≥ 90 %%: %s%n",
                    100 * share[router], share[router] >= 0.9 ? "met" : "MISSED");
        }
        int capture = index(clients, "router-capture");
        if (router >= 0 && capture >= 0) {
            double kept = share[capture] / share[router];
            System.out.printf(Locale.ROOT, "router-capture throughput / router: %.1f %%; target ≥ 95 %%: %s%n",
                    100 * kept, kept >= 0.95 ? "met" : "MISSED");
        }
    }

    /** One concurrent run of one client. */
    private record Run(double throughput, double cpuPerCall) {}

    /**
     * Runs a client with {@code threads} callers for {@code seconds}; a run during which other
     * processes used more than {@code disturbed} cores is run again, up to {@code retries} times.
     */
    private static Run run(Client c, int round, int threads, double seconds, double disturbed, int retries,
            Machine machine, double quiet, double waitQuiet) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int tries = 0; ; tries++) {
            double before = machine.waitQuiet(quiet, waitQuiet);
            machine.mark();
            long cpu0 = os.getProcessCpuTime();
            LoadResult res = summarize(load(() -> {
                c.call().run();
                return 0;
            }, threads, seconds));
            double cpuPerCall = (os.getProcessCpuTime() - cpu0) / 1e3 / (res.calls() + res.failures());
            double during = machine.othersSinceMark();
            // the host takes cores from this VM now and then (steal time); a run it hit compares
            // nothing, so it is run again (the loopback's kernel work counts as "others" too: about
            // 0.1-0.25 cores in an undisturbed run)
            if (during > disturbed && tries < retries) {
                System.out.printf(Locale.ROOT, "  round %d %-14s %8.0f calls/s  disturbed (others: %.2f cores during); "
                        + "again%n", round + 1, c.key(), res.throughput(), during);
                continue;
            }
            System.out.printf(Locale.ROOT, "  round %d %-14s %8.0f calls/s  CPU %6.1f µs/call (callers %6.1f)  p50 %7.1f µs"
                    + "  p99 %8.1f µs  failed %d  (others: %.2f cores before, %.2f during)%n", round + 1, c.key(),
                    res.throughput(), cpuPerCall, res.callerCpuMicros(), res.p50Micros(), res.p99Micros(),
                    res.failures(), before, during);
            res.errors().forEach((m, count) -> System.out.println("      " + count + " x " + m));
            return new Run(res.throughput(), cpuPerCall);
        }
    }

    private static String percentages(double[] ratios) {
        StringBuilder sb = new StringBuilder();
        for (double r : ratios) {
            sb.append(sb.length() == 0 ? "" : " ").append(Math.round(100 * r));
        }
        return sb.toString();
    }

    // ---- activations during load ----------------------------------------------------------------

    private static void activations(ChatRouter router, Assistant assistant, int v1, int v2, int threads, double seconds,
            int pauseMillis, Machine machine, double quiet, double waitQuiet) throws Exception {
        System.out.printf(Locale.ROOT, "%n%d concurrent router callers for %.1f s while one thread activates v%d and v%d "
                + "in turn, %d ms apart%n", threads, seconds, v1, v2, pauseMillis);
        // v1 is active; the activator's record of what is active, and when each change began and returned
        long[] began = new long[1 << 20];
        long[] returned = new long[1 << 20];
        int[] activated = new int[1 << 20];
        int[] count = {0};
        String[] activatorError = {null};
        AtomicLong stop = new AtomicLong(0);
        Thread activator = new Thread(() -> {
            int next = v2;
            while (stop.get() == 0 && count[0] < began.length) {
                long s = System.nanoTime();
                try {
                    assistant.activate(next, Change.by("bench", "toggle"));
                } catch (RuntimeException e) {
                    activatorError[0] = e.toString();
                    return;
                }
                began[count[0]] = s;
                returned[count[0]] = System.nanoTime();
                activated[count[0]] = next;
                count[0]++;
                next = next == v1 ? v2 : v1;
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "activator");
        double before = machine.waitQuiet(quiet, waitQuiet);
        machine.mark();
        activator.start();
        List<Trace> traces = load(() -> router.chat(ChatRequest.of(ASSISTANT, TEXT)).servedBy().modelVersion(),
                threads, seconds);
        stop.set(1);
        activator.join();
        double others = machine.othersSinceMark();
        LoadResult res = summarize(traces);
        int n = count[0];

        long checked = 0;
        long stale = 0;
        long maxStaleNanos = 0;
        long[] served = new long[3];
        for (Trace t : traces) {
            for (int i = 0; i < t.size; i++) {
                int v = t.version[i];
                if (v == v1) {
                    served[1]++;
                } else if (v == v2) {
                    served[2]++;
                }
                // the last activation that returned before the call started
                int k = lastAtOrBefore(returned, n, t.start[i]);
                long nextBegan = k + 1 < n ? began[k + 1] : Long.MAX_VALUE;
                if (v < 0 || t.end[i] >= nextBegan) {
                    continue;
                }
                checked++;
                int expected = k < 0 ? v1 : activated[k];
                if (v != expected) {
                    stale++;
                    maxStaleNanos = Math.max(maxStaleNanos, t.start[i] - (k < 0 ? 0 : returned[k]));
                }
            }
        }
        System.out.printf(Locale.ROOT, "  %d activations (%.0f/s), %d calls (%.0f calls/s, p50 %.1f µs, p99 %.1f µs), "
                + "answered by v%d: %d, by v%d: %d (others: %.2f cores before, %.2f during)%n", n, n / seconds,
                res.calls() + res.failures(), res.throughput(), res.p50Micros(), res.p99Micros(), v1, served[1], v2,
                served[2], before, others);
        if (activatorError[0] != null) {
            System.out.println("  the activator failed: " + activatorError[0]);
        }
        System.out.printf(Locale.ROOT, "  failed calls: %d; target 0: %s%n", res.failures(),
                res.failures() == 0 ? "met" : "MISSED");
        res.errors().forEach((m, c) -> System.out.println("      " + c + " x " + m));
        System.out.printf(Locale.ROOT, "  stale answers: %d of %d calls that ran wholly between two activations "
                + "(the latest stale one started %.1f ms after the activation returned)%n", stale, checked,
                maxStaleNanos / 1e6);
    }

    /** The index of the last value {@code <= x} in the first {@code n} (ascending) values, or -1. */
    private static int lastAtOrBefore(long[] values, int n, long x) {
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= x) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    // ---- statistics ------------------------------------------------------------------------------

    private static double percentile(long[] values, double p) {
        long[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(v.length - 1, Math.max(0, Math.ceil(p / 100 * v.length) - 1));
        return v[i];
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
