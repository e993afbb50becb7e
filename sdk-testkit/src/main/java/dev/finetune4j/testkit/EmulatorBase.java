package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.Emulation;
import dev.finetune4j.testkit.spi.RunningEmulator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What every emulator offers: its lifecycle (plain object or JUnit 5 extension), time and job
 * control, scripted faults, views of its state, and what a client must set to use it
 * ({@link RunningEmulator}). Package-private: users see these methods on {@link OpenAiEmulator},
 * {@link MistralEmulator} and {@link HuggingFaceEmulator}. Thread-safe.
 *
 * @param <E> the concrete emulator, returned by the fluent methods
 */
abstract class EmulatorBase<E extends EmulatorBase<E>> implements RunningEmulator, BeforeAllCallback,
        BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

    /** The key {@link #clientKey()} offers when any key is accepted. */
    static final String ANY_KEY = "test";

    final Emulation<?, ?> api;
    final EmulatorLifecycle lifecycle;
    private final String providerId;
    private final String displayName;
    private final String clientKey;

    EmulatorBase(String providerId, String displayName, Emulation<?, ?> api, EmulatorBuilder<?, E> settings) {
        this.providerId = providerId;
        this.displayName = displayName;
        this.api = api;
        this.clientKey = api.settings().apiKey() != null ? api.settings().apiKey() : ANY_KEY;
        this.lifecycle = new EmulatorLifecycle(displayName, settings.port, settings.recordRequests,
                settings.resetBeforeEachTest, api, this::reset);
    }

    @SuppressWarnings("unchecked")
    private E self() {
        return (E) this;
    }

    /** The base URL a client of this provider is configured with; starts the emulator if needed. */
    @Override
    public abstract String baseUrl();

    /** Name, value, name, value ... as an ordered map of environment variables. */
    static Map<String, String> variables(String... namesAndValues) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }

    // ---------------------------------------------------------------- what a client needs

    @Override
    public String providerId() {
        return providerId;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    /** The provider id to {@link #baseUrl()}; starts the emulator if needed. */
    @Override
    public Map<String, String> baseUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put(providerId, baseUrl());
        return urls;
    }

    /** A key clients may send: the one {@code apiKey(...)} set, else {@code test} (any non-blank key is accepted). */
    @Override
    public String clientKey() {
        return clientKey;
    }

    // ---------------------------------------------------------------- where it runs

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
    public E reset() {
        api.reset();
        lifecycle.forgetRequests();
        return self();
    }

    // ---------------------------------------------------------------- time and jobs

    /**
     * Moves the emulator's clock forward: timestamps, and jobs under {@link JobProgression#timed}.
     *
     * @throws IllegalArgumentException when {@code by} is negative
     */
    public E advanceTime(Duration by) {
        api.settings().clock().advance(Objects.requireNonNull(by, "by"));
        return self();
    }

    /**
     * Moves one job one status on, as one poll would under {@link JobProgression#onPoll()}.
     *
     * @throws IllegalArgumentException when there is no such job
     */
    public E advanceJob(String jobId) {
        api.advance(Objects.requireNonNull(jobId, "jobId"));
        return self();
    }

    /**
     * Runs every job that needs nothing more from the client to its end (succeeded, or failed
     * when scripted or invalid); paused jobs, and Mistral jobs waiting for {@code /start}, stay.
     */
    public E finishJobs() {
        api.finishAll();
        return self();
    }

    // ---------------------------------------------------------------- scripted behaviour

    /** The next job created fails after it started running, with error code {@code internal_error} and this message. */
    public E failNextJob(String message) {
        return failNextJob("internal_error", message);
    }

    /** The next job created fails after it started running, with this error code and message. */
    public E failNextJob(String code, String message) {
        api.failNextJob(Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message"));
        return self();
    }

    /** The next file upload is refused with a 400 and this message. */
    public E rejectNextUpload(String message) {
        api.rejectNextUpload(Objects.requireNonNull(message, "message"));
        return self();
    }

    /** The next {@code times} requests, whatever their path, get a 429 with {@code Retry-After}. */
    public E rateLimitNext(int times, int retryAfterSeconds) {
        on(null).rateLimitNext(times, retryAfterSeconds);
        return self();
    }

    /** The next {@code times} requests, whatever their path, get a 500 and change nothing. */
    public E serverErrorNext(int times) {
        on(null).serverErrorNext(times);
        return self();
    }

    /** The next request on {@code path} (e.g. {@code /files}) gets its connection reset before anything happens. */
    public E dropConnectionNext(String path) {
        on(Objects.requireNonNull(path, "path")).dropConnectionNext();
        return self();
    }

    /** The next request on {@code path} is processed, then its connection is reset instead of the response. */
    public E loseResponseNext(String path) {
        on(Objects.requireNonNull(path, "path")).loseResponseNext();
        return self();
    }

    /** The next request, whatever its path, is answered after {@code delay}. */
    public E slowNext(Duration delay) {
        on(null).slowNext(delay);
        return self();
    }

    /**
     * Faults for the requests on {@code path} and below it: {@code "/fine_tuning/jobs"} (a leading
     * {@code /v1} is accepted, query strings are ignored); {@code null} for every request.
     */
    public FaultScript on(String path) {
        return new FaultScript(api.faults(), null, faultPath(path));
    }

    /**
     * Faults for the requests of one HTTP method on {@code path} and below it:
     * {@code on("POST", "/fine_tuning/jobs").loseResponseNext()} loses the response of the next
     * job create, whatever look-ups come before it.
     *
     * @throws IllegalArgumentException when {@code method} is not an HTTP method name
     */
    public FaultScript on(String method, String path) {
        return new FaultScript(api.faults(), FaultScript.normaliseMethod(Objects.requireNonNull(method, "method")),
                faultPath(path));
    }

    /** The path prefix faults given as {@code path} apply to (providers whose routes are not all below {@code /v1} override it). */
    String faultPath(String path) {
        return FaultScript.normalise(path);
    }

    /** Scripted faults not consumed yet. */
    public int pendingFaults() {
        return api.faults().pending();
    }

    /**
     * Deletes a fine-tuned model as its owner would; chat calls to it then fail as they do for an
     * unknown model.
     *
     * @throws IllegalArgumentException when no such fine-tuned model exists
     */
    public E deleteModel(String modelId) {
        api.deleteModel(Objects.requireNonNull(modelId, "modelId"));
        return self();
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

    /** The model ids chat accepts now: base models, then fine-tuned models (and checkpoints where they are models). */
    @Override
    public List<String> models() {
        return api.modelIds();
    }

    /** The requests received since the start or the last {@link #reset()}, oldest first (empty when recording is off). */
    public List<RecordedRequest> requests() {
        return lifecycle.requests();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (isRunning() ? baseUrl() : "not running") + "]";
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
        return parameterContext.getParameter().getType() == getClass();
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return this;
    }
}
