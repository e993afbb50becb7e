package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.EmulatorClock;
import dev.finetune4j.testkit.internal.Settings;
import dev.finetune4j.testkit.spi.EmulatorOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The settings every emulator's builder has ({@link OpenAiEmulator.Builder},
 * {@link MistralEmulator.Builder}, {@link HuggingFaceEmulator.Builder} add their provider's own),
 * and the ways to get the emulator: not started, started on its own port, or attached to a shared
 * {@link EmulatorHost}. Not thread-safe. Only the testkit's emulators extend it.
 *
 * @param <B> the concrete builder, returned by the setters
 * @param <E> the emulator it builds
 */
public abstract class EmulatorBuilder<B extends EmulatorBuilder<B, E>, E extends EmulatorBase<E>> {

    int port;
    private JobProgression progression = JobProgression.onPoll();
    private Clock clock = Clock.systemUTC();
    private String apiKey;
    private long seed = ThreadLocalRandom.current().nextLong();
    private List<String> baseModels;
    boolean resetBeforeEachTest = true;
    boolean recordRequests = true;

    EmulatorBuilder(List<String> defaultBaseModels) {
        this.baseModels = defaultBaseModels;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Writes {@code name} where the provider's ids name the account; nothing for providers whose ids do not. */
    void account(String name) {}

    /**
     * The port; 0 (the default) picks a free one.
     *
     * @throws IllegalArgumentException when it is not 0..65535
     */
    public B port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        this.port = port;
        return self();
    }

    /** How jobs move through their statuses; {@link JobProgression#onPoll()} by default. */
    public B progression(JobProgression progression) {
        this.progression = Objects.requireNonNull(progression, "progression");
        return self();
    }

    /** The clock for timestamps, dates in ids and timed jobs; the system clock by default. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The only API key (token) accepted, others get 401; by default any non-blank Bearer key is. */
    public B apiKey(String apiKey) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        return self();
    }

    /** The seed of generated ids, for runs that must repeat exactly; random by default. */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /**
     * The base models chat and training accept, replacing the emulator's default list (see its
     * class documentation).
     *
     * @throws IllegalArgumentException when the list is empty or has a blank id
     */
    public B baseModels(Collection<String> models) {
        List<String> copy = new ArrayList<>(Objects.requireNonNull(models, "models"));
        if (copy.isEmpty() || copy.stream().anyMatch(m -> m == null || m.isBlank())) {
            throw new IllegalArgumentException("base models must be a non-empty list of non-blank ids: " + copy);
        }
        this.baseModels = List.copyOf(copy);
        return self();
    }

    /** Whether a JUnit extension registered in a static field resets state before each test; true by default. */
    public B resetBeforeEachTest(boolean reset) {
        this.resetBeforeEachTest = reset;
        return self();
    }

    /** Whether requests are kept for {@code requests()}; true by default (off for long runs). */
    public B recordRequests(boolean record) {
        this.recordRequests = record;
        return self();
    }

    /** The emulator, not started: it starts with a JUnit test class or on first use. */
    public abstract E build();

    /**
     * The emulator, started on its port.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public E start() {
        E e = build();
        e.lifecycle.start();
        return e;
    }

    /**
     * The emulator, serving below {@code prefix} ({@code "/openai"}) on a host shared with other
     * emulators; closing it leaves the host running.
     *
     * @throws IllegalArgumentException when the prefix does not start with {@code /} or ends with it
     * @throws IllegalStateException when the host already serves that prefix
     */
    public E attach(EmulatorHost host, String prefix) {
        Objects.requireNonNull(host, "host");
        E e = build();
        e.lifecycle.attach(host.server(), Objects.requireNonNull(prefix, "prefix"));
        return e;
    }

    /**
     * The emulator, started as a tool's options say (the emulator SPI): on their host below their
     * prefix, or on their port; with their progression, request recording and account name.
     *
     * @throws IllegalStateException when the port cannot be bound, or the host already serves that prefix
     */
    public E start(EmulatorOptions options) {
        progression(options.progression()).recordRequests(options.recordRequests());
        options.accountName().ifPresent(this::account);
        return options.host().map(h -> attach(h, options.prefix())).orElseGet(() -> port(options.port()).start());
    }

    Settings settings() {
        return new Settings(apiKey, seed, baseModels, progression.internal(), new EmulatorClock(clock));
    }
}
