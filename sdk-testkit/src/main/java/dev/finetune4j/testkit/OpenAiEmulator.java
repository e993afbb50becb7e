package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.EmulatorClock;
import dev.finetune4j.testkit.internal.EmulatorServer;
import dev.finetune4j.testkit.internal.FaultPlan;
import dev.finetune4j.testkit.internal.openai.OpenAiApi;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A stateful emulator of the OpenAI HTTP API on a local port, for tests and demos without the
 * internet: files and uploads, fine-tuning jobs that move through their statuses with events,
 * metrics and checkpoints, models (with deletion), and chat completions (plain and streamed)
 * where a fine-tuned model answers from its training data. Any OpenAI client works against
 * {@link #baseUrl()} ({@code http://localhost:PORT/v1}, what {@code OPENAI_BASE_URL} expects).
 *
 * <p>As a JUnit 5 extension (started before the first test, state reset before each test,
 * stopped after the last; test methods may take it as a parameter):
 * <pre>{@code
 * @RegisterExtension
 * static OpenAiEmulator openai = OpenAiEmulator.create();
 * }</pre>
 * As a plain object:
 * <pre>{@code
 * try (OpenAiEmulator openai = OpenAiEmulator.start()) {
 *     client = new MyClient(openai.baseUrl(), "sk-test");
 * }
 * }</pre>
 *
 * <p>Any non-blank {@code Authorization: Bearer} key is accepted unless {@link Builder#apiKey}
 * names the one key to accept. Scripted faults ({@link #rateLimitNext}, {@link #on(String)} …)
 * apply to the next matching requests in the order they were added. What is emulated and what is
 * not is listed in {@code sdk-testkit/README.md}.
 *
 * <p>Thread-safe: requests are served concurrently, state changes one request at a time.
 */
public final class OpenAiEmulator implements AutoCloseable, BeforeAllCallback, BeforeEachCallback,
        AfterEachCallback, AfterAllCallback, ParameterResolver {

    private final OpenAiApi api;
    private final EmulatorClock clock;
    private final EmulatorLifecycle lifecycle;

    private OpenAiEmulator(Builder b) {
        this.clock = new EmulatorClock(b.clock);
        this.api = new OpenAiApi(new OpenAiApi.Config(b.organization, b.apiKey, b.seed, b.baseModels,
                b.progression.internal(), clock));
        this.lifecycle = new EmulatorLifecycle("OpenAI", b.port, b.recordRequests, b.resetBeforeEachTest, api,
                this::reset);
    }

    /** An emulator with default settings, not started yet: it starts with the JUnit test class or on first use. */
    public static OpenAiEmulator create() {
        return builder().build();
    }

    /** Starts an emulator with default settings on a free port. */
    public static OpenAiEmulator start() {
        return builder().start();
    }

    /**
     * Starts an emulator with default settings on {@code port}.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static OpenAiEmulator start(int port) {
        return builder().port(port).start();
    }

    /** A builder for an emulator with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** Attaches an emulator to a server shared with other emulators, below {@code prefix}. */
    static OpenAiEmulator attach(Builder b, EmulatorServer server, String prefix) {
        OpenAiEmulator e = new OpenAiEmulator(b);
        e.lifecycle.attach(server, prefix);
        return e;
    }

    // ---------------------------------------------------------------- where it runs

    /** The base URL clients use, {@code http://localhost:PORT/v1}; starts the emulator if needed. */
    public String baseUrl() {
        return lifecycle.rootUrl() + "/v1";
    }

    /** The port it listens on; starts the emulator if needed. */
    public int port() {
        return lifecycle.port();
    }

    /** Whether it is serving requests. */
    public boolean isRunning() {
        return lifecycle.isRunning();
    }

    /** Stops serving (unless the server is shared, see {@link Emulators}); idempotent. */
    @Override
    public void close() {
        lifecycle.close();
    }

    /** Forgets all files, jobs, fine-tuned models, scripted faults and recorded requests. */
    public OpenAiEmulator reset() {
        api.reset();
        lifecycle.forgetRequests();
        return this;
    }

    // ---------------------------------------------------------------- time and jobs

    /**
     * Moves the emulator's clock forward: timestamps, and jobs under {@link JobProgression#timed}.
     *
     * @throws IllegalArgumentException when {@code by} is negative
     */
    public OpenAiEmulator advanceTime(Duration by) {
        clock.advance(Objects.requireNonNull(by, "by"));
        return this;
    }

    /**
     * Moves one job one status on, as one poll would under {@link JobProgression#onPoll()}.
     *
     * @throws IllegalArgumentException when there is no such job
     */
    public OpenAiEmulator advanceJob(String jobId) {
        api.advance(Objects.requireNonNull(jobId, "jobId"));
        return this;
    }

    /** Runs every unfinished, unpaused job to its end (succeeded, or failed when scripted or invalid). */
    public OpenAiEmulator finishJobs() {
        api.finishAll();
        return this;
    }

    // ---------------------------------------------------------------- scripted behaviour

    /**
     * The next job created fails after it started running, with error code {@code internal_error}
     * and this message.
     */
    public OpenAiEmulator failNextJob(String message) {
        return failNextJob("internal_error", message);
    }

    /** The next job created fails after it started running, with this error code and message. */
    public OpenAiEmulator failNextJob(String code, String message) {
        api.failNextJob(Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message"));
        return this;
    }

    /** The next file upload ({@code POST /files} or {@code POST /uploads}) is refused with a 400 and this message. */
    public OpenAiEmulator rejectNextUpload(String message) {
        api.rejectNextUpload(Objects.requireNonNull(message, "message"));
        return this;
    }

    /** The next {@code times} requests, whatever their path, get a 429 with {@code Retry-After}. */
    public OpenAiEmulator rateLimitNext(int times, int retryAfterSeconds) {
        on(null).rateLimitNext(times, retryAfterSeconds);
        return this;
    }

    /** The next {@code times} requests, whatever their path, get a 500 and change nothing. */
    public OpenAiEmulator serverErrorNext(int times) {
        on(null).serverErrorNext(times);
        return this;
    }

    /** The next request on {@code path} (relative to {@link #baseUrl()}, e.g. {@code /files}) gets its connection reset. */
    public OpenAiEmulator dropConnectionNext(String path) {
        on(Objects.requireNonNull(path, "path")).dropConnectionNext();
        return this;
    }

    /** The next request on {@code path} is processed, then its connection is reset instead of the response. */
    public OpenAiEmulator loseResponseNext(String path) {
        on(Objects.requireNonNull(path, "path")).loseResponseNext();
        return this;
    }

    /** The next request, whatever its path, is answered after {@code delay}. */
    public OpenAiEmulator slowNext(Duration delay) {
        on(null).slowNext(delay);
        return this;
    }

    /**
     * Faults for the requests on {@code path} and below, relative to {@link #baseUrl()}
     * ({@code "/fine_tuning/jobs"}; a leading {@code /v1} is accepted); {@code null} for all.
     */
    public FaultScript on(String path) {
        return new FaultScript(api.faults(), FaultScript.normalise(path));
    }

    /** Scripted faults not consumed yet. */
    public int pendingFaults() {
        FaultPlan plan = api.faults();
        return plan.pending();
    }

    /**
     * Deletes a fine-tuned model as its owner would; chat calls to it then get 404
     * {@code model_not_found}.
     *
     * @throws IllegalArgumentException when no such fine-tuned model exists
     */
    public OpenAiEmulator deleteModel(String modelId) {
        api.deleteModel(Objects.requireNonNull(modelId, "modelId"));
        return this;
    }

    // ---------------------------------------------------------------- what it holds

    /** The jobs, oldest first, as they are now. */
    public List<EmulatedJob> jobs() {
        return api.jobSnapshots();
    }

    /** One job as it is now. */
    public Optional<EmulatedJob> job(String jobId) {
        return jobs().stream().filter(j -> j.id().equals(jobId)).findFirst();
    }

    /** The files, oldest first, including the result files jobs wrote. */
    public List<EmulatedFile> files() {
        return api.fileSnapshots();
    }

    /** The model ids chat accepts now: base models, fine-tuned models and their checkpoints. */
    public List<String> models() {
        return api.modelIds();
    }

    /** The requests received since the start or the last {@link #reset()}, oldest first. */
    public List<RecordedRequest> requests() {
        return lifecycle.requests();
    }

    @Override
    public String toString() {
        return "OpenAiEmulator[" + (isRunning() ? baseUrl() : "not running") + "]";
    }

    // ---------------------------------------------------------------- JUnit 5

    @Override
    public void beforeAll(ExtensionContext context) {
        lifecycle.beforeAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        lifecycle.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        lifecycle.after(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        lifecycle.after(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == OpenAiEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return this;
    }

    /** Settings of an {@link OpenAiEmulator}. Not thread-safe. */
    public static final class Builder {

        private int port;
        private JobProgression progression = JobProgression.onPoll();
        private Clock clock = Clock.systemUTC();
        private String organization = "emulator";
        private String apiKey;
        private long seed = ThreadLocalRandom.current().nextLong();
        private List<String> baseModels = OpenAiApi.DEFAULT_BASE_MODELS;
        private boolean resetBeforeEachTest = true;
        private boolean recordRequests = true;

        private Builder() {}

        /** The port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** How jobs move through their statuses; {@link JobProgression#onPoll()} by default. */
        public Builder progression(JobProgression progression) {
            this.progression = Objects.requireNonNull(progression, "progression");
            return this;
        }

        /** The clock for timestamps and timed jobs; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The organization name that appears in fine-tuned model ids
         * ({@code ft:BASE:ORGANIZATION:SUFFIX:ID}); {@code emulator} by default.
         */
        public Builder organization(String organization) {
            Objects.requireNonNull(organization, "organization");
            if (organization.isBlank() || organization.contains(":")) {
                throw new IllegalArgumentException("organization must be non-blank without ':', was '" + organization + "'");
            }
            this.organization = organization;
            return this;
        }

        /** The only API key accepted (others get 401 {@code invalid_api_key}); by default any key is. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** The seed of generated ids, for runs that must repeat exactly; random by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The base models chat and fine-tuning accept, replacing the default list (gpt-4o-mini,
         * gpt-4o, gpt-4.1 family, gpt-3.5-turbo, babbage-002, davinci-002 with their snapshots).
         */
        public Builder baseModels(Collection<String> models) {
            List<String> copy = new ArrayList<>(Objects.requireNonNull(models, "models"));
            if (copy.isEmpty() || copy.stream().anyMatch(m -> m == null || m.isBlank())) {
                throw new IllegalArgumentException("base models must be a non-empty list of non-blank ids: " + copy);
            }
            this.baseModels = List.copyOf(copy);
            return this;
        }

        /** Whether a JUnit extension registered in a static field resets state before each test; true by default. */
        public Builder resetBeforeEachTest(boolean reset) {
            this.resetBeforeEachTest = reset;
            return this;
        }

        /** Whether requests are kept for {@link OpenAiEmulator#requests()}; true by default (off for long runs). */
        public Builder recordRequests(boolean record) {
            this.recordRequests = record;
            return this;
        }

        /** The emulator, not started: it starts with a JUnit test class or on first use. */
        public OpenAiEmulator build() {
            return new OpenAiEmulator(this);
        }

        /**
         * The emulator, started.
         *
         * @throws IllegalStateException when the port cannot be bound
         */
        public OpenAiEmulator start() {
            OpenAiEmulator e = build();
            e.lifecycle.start();
            return e;
        }
    }
}
