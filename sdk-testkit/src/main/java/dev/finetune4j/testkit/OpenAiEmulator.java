package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.EmulatorClock;
import dev.finetune4j.testkit.internal.EmulatorServer;
import dev.finetune4j.testkit.internal.openai.OpenAiApi;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

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
public final class OpenAiEmulator extends EmulatorBase<OpenAiEmulator> {

    private OpenAiEmulator(Builder b, EmulatorClock clock) {
        super("OpenAI", new OpenAiApi(new OpenAiApi.Config(b.organization, b.apiKey, b.seed, b.baseModels,
                b.progression.internal(), clock)), clock, b.port, b.recordRequests, b.resetBeforeEachTest);
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

    /** The base URL clients use, {@code http://localhost:PORT/v1} (as {@code OPENAI_BASE_URL}); starts the emulator if needed. */
    @Override
    public String baseUrl() {
        return lifecycle.rootUrl() + "/v1";
    }

    @Override
    OpenAiEmulator self() {
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
            return new OpenAiEmulator(this, new EmulatorClock(clock));
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

        /** The emulator, attached to a server shared with other emulators below {@code prefix}. */
        OpenAiEmulator attach(EmulatorServer server, String prefix) {
            OpenAiEmulator e = build();
            e.attach(server, prefix);
            return e;
        }
    }
}
