package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.EmulatorClock;
import dev.finetune4j.testkit.internal.EmulatorServer;
import dev.finetune4j.testkit.internal.mistral.MistralApi;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A stateful emulator of the Mistral HTTP API on a local port: files, fine-tuning jobs
 * ({@code QUEUED → VALIDATED → RUNNING → SUCCESS}, with the {@code auto_start: false} cost preview
 * in {@code metadata} and {@code /start}), checkpoints, fine-tuned models (archive, rename,
 * delete) and chat completions (plain and streamed) where a fine-tuned model answers from its
 * training data. {@link #baseUrl()} is the host without {@code /v1}, as {@code MISTRAL_BASE_URL}
 * expects.
 *
 * <pre>{@code
 * @RegisterExtension
 * static MistralEmulator mistral = MistralEmulator.create();
 * }</pre>
 *
 * The lifecycle, faults and views are the same as {@link OpenAiEmulator}'s. What is emulated and
 * what is not is listed in {@code sdk-testkit/README.md}. Thread-safe.
 */
public final class MistralEmulator extends EmulatorBase<MistralEmulator> {

    private MistralEmulator(Builder b, EmulatorClock clock) {
        super("Mistral", new MistralApi(new MistralApi.Config(b.apiKey, b.seed, b.baseModels, b.progression.internal(),
                clock)), clock, b.port, b.recordRequests, b.resetBeforeEachTest);
    }

    /** An emulator with default settings, not started yet: it starts with the JUnit test class or on first use. */
    public static MistralEmulator create() {
        return builder().build();
    }

    /** Starts an emulator with default settings on a free port. */
    public static MistralEmulator start() {
        return builder().start();
    }

    /**
     * Starts an emulator with default settings on {@code port}.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static MistralEmulator start(int port) {
        return builder().port(port).start();
    }

    /** A builder for an emulator with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL clients use, {@code http://localhost:PORT} (paths {@code /v1/...} are appended by clients). */
    @Override
    public String baseUrl() {
        return lifecycle.rootUrl();
    }

    @Override
    MistralEmulator self() {
        return this;
    }

    /** Settings of a {@link MistralEmulator}. Not thread-safe. */
    public static final class Builder {

        private int port;
        private JobProgression progression = JobProgression.onPoll();
        private Clock clock = Clock.systemUTC();
        private String apiKey;
        private long seed = ThreadLocalRandom.current().nextLong();
        private List<String> baseModels = MistralApi.DEFAULT_BASE_MODELS;
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

        /** The clock for timestamps, model-id dates and timed jobs; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The only API key accepted (others get 401); by default any non-blank Bearer key is. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** The seed of generated ids, for runs that must repeat exactly; random by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The base models chat and fine-tuning accept, replacing the default (the fine-tunable models). */
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

        /** Whether requests are kept for {@link MistralEmulator#requests()}; true by default (off for long runs). */
        public Builder recordRequests(boolean record) {
            this.recordRequests = record;
            return this;
        }

        /** The emulator, not started: it starts with a JUnit test class or on first use. */
        public MistralEmulator build() {
            return new MistralEmulator(this, new EmulatorClock(clock));
        }

        /**
         * The emulator, started.
         *
         * @throws IllegalStateException when the port cannot be bound
         */
        public MistralEmulator start() {
            MistralEmulator e = build();
            e.lifecycle.start();
            return e;
        }

        MistralEmulator attach(EmulatorServer server, String prefix) {
            MistralEmulator e = build();
            e.attach(server, prefix);
            return e;
        }
    }
}
