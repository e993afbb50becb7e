package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.EmulatorClock;
import dev.finetune4j.testkit.internal.EmulatorServer;
import dev.finetune4j.testkit.internal.huggingface.HuggingFaceApi;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A stateful emulator of what a Hugging Face client needs for fine-tuning, on a local port, for
 * tests and demos without the internet:
 * <ul>
 *   <li>the Hub ({@link #hubUrl()}, what {@code HF_ENDPOINT} expects): {@code /api/whoami-v2},
 *       repository create/delete, preupload, NDJSON commits, revisions, {@code resolve}, and git
 *       LFS (batch, single-part upload, verify);
 *   <li>the Jobs API: jobs that move {@code SCHEDULING} → {@code RUNNING} → {@code COMPLETED} on the
 *       {@link JobProgression}, labels, cancel, logs (server-sent events with the trainer's log
 *       dicts), hardware; a completed job creates the model repository named by its command's
 *       {@code --hub_model_id};
 *   <li>an OpenAI-compatible server in vLLM's style ({@link #servingUrl()}, what {@code
 *       HF_SERVING_URL} expects) that serves the base models and every trained adapter; an
 *       adapter answers from the training data its job read.
 * </ul>
 *
 * <pre>{@code
 * @RegisterExtension
 * static HuggingFaceEmulator hf = HuggingFaceEmulator.create();
 * ...
 * ProviderConfig.builder().endpoint(URI.create(hf.hubUrl())).apiKey(ApiKey.of("hf_test"))
 *         .setting("serving_url", hf.servingUrl())
 * }</pre>
 *
 * <p>Hub calls need a non-blank {@code Authorization: Bearer} token (only {@link Builder#apiKey}'s
 * when set); the serving endpoint needs none. Faults given with {@link #on(String)} name paths as
 * they are, e.g. {@code "/api/jobs"} or {@code "/v1/chat/completions"}. What is emulated and what
 * is not is listed in {@code sdk-testkit/README.md}. Thread-safe.
 */
public final class HuggingFaceEmulator extends EmulatorBase<HuggingFaceEmulator> {

    private final String namespace;

    private HuggingFaceEmulator(Builder b, EmulatorClock clock) {
        super("Hugging Face", new HuggingFaceApi(new HuggingFaceApi.Config(b.namespace, b.apiKey, b.seed, b.baseModels,
                b.lfsThresholdBytes, b.progression.internal(), clock)), clock, b.port, b.recordRequests,
                b.resetBeforeEachTest);
        this.namespace = b.namespace;
        hf().rootUrl(lifecycle::rootUrl);
    }

    /** An emulator with default settings, not started yet: it starts with the JUnit test class or on first use. */
    public static HuggingFaceEmulator create() {
        return builder().build();
    }

    /** Starts an emulator with default settings on a free port. */
    public static HuggingFaceEmulator start() {
        return builder().start();
    }

    /**
     * Starts an emulator with default settings on {@code port}.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static HuggingFaceEmulator start(int port) {
        return builder().port(port).start();
    }

    /** A builder for an emulator with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Hub's URL, {@code http://localhost:PORT} (as {@code HF_ENDPOINT}); starts the emulator if needed. */
    @Override
    public String baseUrl() {
        return hubUrl();
    }

    /** The Hub's URL, {@code http://localhost:PORT} (as {@code HF_ENDPOINT} or {@code ProviderConfig.endpoint}). */
    public String hubUrl() {
        return lifecycle.rootUrl();
    }

    /** The serving endpoint's URL including {@code /v1} (as {@code HF_SERVING_URL} or the setting {@code serving_url}). */
    public String servingUrl() {
        return lifecycle.rootUrl() + "/v1";
    }

    /** The user name {@code /api/whoami-v2} answers, where repositories and jobs live. */
    public String namespace() {
        return namespace;
    }

    /** The repositories, oldest first, as they are now. */
    public List<EmulatedRepo> repos() {
        List<EmulatedRepo> out = new ArrayList<>();
        for (HuggingFaceApi.RepoView r : hf().repoViews()) {
            out.add(new EmulatedRepo(r.id(), r.type(), r.isPrivate(), r.commits(), r.files(), r.createdAt()));
        }
        return out;
    }

    /** One repository as it is now ({@code type} is {@code dataset} or {@code model}). */
    public Optional<EmulatedRepo> repo(String type, String id) {
        return repos().stream().filter(r -> r.type().equals(type) && r.id().equals(id)).findFirst();
    }

    /**
     * Deletes a model repository as its owner would; its adapter is then no longer served.
     *
     * @throws IllegalArgumentException when no such model repository exists
     */
    @Override
    public HuggingFaceEmulator deleteModel(String modelId) {
        return super.deleteModel(modelId);
    }

    @Override
    String faultPath(String path) {
        return FaultScript.normaliseAsIs(path);
    }

    private HuggingFaceApi hf() {
        return (HuggingFaceApi) api;
    }

    @Override
    HuggingFaceEmulator self() {
        return this;
    }

    /** Settings of a {@link HuggingFaceEmulator}. Not thread-safe. */
    public static final class Builder {

        private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");

        private int port;
        private JobProgression progression = JobProgression.onPoll();
        private Clock clock = Clock.systemUTC();
        private String apiKey;
        private long seed = ThreadLocalRandom.current().nextLong();
        private String namespace = "emulator";
        private List<String> baseModels = HuggingFaceApi.DEFAULT_BASE_MODELS;
        private long lfsThresholdBytes = HuggingFaceApi.DEFAULT_LFS_THRESHOLD;
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

        /** How jobs move through their stages; {@link JobProgression#onPoll()} by default (one stage per {@code GET} of the job). */
        public Builder progression(JobProgression progression) {
            this.progression = Objects.requireNonNull(progression, "progression");
            return this;
        }

        /** The clock for timestamps and timed jobs; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The only Hub token accepted (others get 401); by default any non-blank Bearer token is. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** The seed of generated ids, for runs that must repeat exactly; random by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The token owner's user name, the only namespace repositories and jobs may use; {@code emulator} by default. */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace");
            if (!NAMESPACE.matcher(namespace).matches()) {
                throw new IllegalArgumentException("namespace must be a Hub user name ([A-Za-z0-9._-], at most 96), was '"
                        + namespace + "'");
            }
            this.namespace = namespace;
            return this;
        }

        /** The base models the serving endpoint serves, replacing the default (Qwen2.5 0.5B/1.5B Instruct, Llama 3.2 1B Instruct). */
        public Builder baseModels(Collection<String> models) {
            List<String> copy = new ArrayList<>(Objects.requireNonNull(models, "models"));
            if (copy.isEmpty() || copy.stream().anyMatch(m -> m == null || m.isBlank())) {
                throw new IllegalArgumentException("base models must be a non-empty list of non-blank ids: " + copy);
            }
            this.baseModels = List.copyOf(copy);
            return this;
        }

        /** Files larger than this go through LFS (preupload answers {@code lfs}); 10 MiB by default. */
        public Builder lfsThresholdBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("lfsThresholdBytes must not be negative, was " + bytes);
            }
            this.lfsThresholdBytes = bytes;
            return this;
        }

        /** Whether a JUnit extension registered in a static field resets state before each test; true by default. */
        public Builder resetBeforeEachTest(boolean reset) {
            this.resetBeforeEachTest = reset;
            return this;
        }

        /** Whether requests are kept for {@link HuggingFaceEmulator#requests()}; true by default (off for long runs). */
        public Builder recordRequests(boolean record) {
            this.recordRequests = record;
            return this;
        }

        /** The emulator, not started: it starts with a JUnit test class or on first use. */
        public HuggingFaceEmulator build() {
            return new HuggingFaceEmulator(this, new EmulatorClock(clock));
        }

        /**
         * The emulator, started.
         *
         * @throws IllegalStateException when the port cannot be bound
         */
        public HuggingFaceEmulator start() {
            HuggingFaceEmulator e = build();
            e.lifecycle.start();
            return e;
        }

        /** The emulator, attached to a server shared with other emulators below {@code prefix}. */
        HuggingFaceEmulator attach(EmulatorServer server, String prefix) {
            HuggingFaceEmulator e = build();
            e.attach(server, prefix);
            return e;
        }
    }
}
