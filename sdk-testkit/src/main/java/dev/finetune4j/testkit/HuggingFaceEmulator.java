package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.huggingface.HuggingFaceApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 *       adapter answers from the training data its job read, while its model repository exists
 *       ({@link #deleteModel} deletes that repository, as its owner would);
 *   <li>the Inference Endpoints API ({@link #endpointsUrl()}, what {@code HF_ENDPOINTS_URL}
 *       expects): endpoints that move {@code pending} → {@code initializing} → {@code running} on
 *       the {@link JobProgression}, serve their base model and LoRA adapter at their own URL, scale
 *       to zero when idle or on demand ({@link #scaleEndpointToZero}) and wake on the next request,
 *       fail on demand ({@link #failEndpoint}, {@link #failNextEndpoint}), and a hardware catalogue
 *       with hourly prices.
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

    private HuggingFaceEmulator(Builder b) {
        super("huggingface", "Hugging Face", new HuggingFaceApi(b.settings(), b.namespace, b.lfsThresholdBytes,
                b.endpointColdStart), b);
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

    /**
     * The Inference Endpoints API's URL including {@code /v2} (as {@code HF_ENDPOINTS_URL} or the
     * setting {@code endpoints_url}).
     */
    public String endpointsUrl() {
        return lifecycle.rootUrl() + "/v2";
    }

    /**
     * The Hub ({@code huggingface}), the serving endpoint ({@code huggingface-serving}), then the
     * Inference Endpoints API ({@code huggingface-endpoints}).
     */
    @Override
    public Map<String, String> baseUrls() {
        Map<String, String> urls = super.baseUrls();
        urls.put("huggingface-serving", servingUrl());
        urls.put("huggingface-endpoints", endpointsUrl());
        return urls;
    }

    /**
     * {@code HF_ENDPOINT}, {@code HF_TOKEN}, {@code HF_SERVING_URL} and {@code HF_ENDPOINTS_URL};
     * starts the emulator if needed.
     */
    @Override
    public Map<String, String> environment() {
        return variables("HF_ENDPOINT", hubUrl(), "HF_TOKEN", clientKey(), "HF_SERVING_URL", servingUrl(),
                "HF_ENDPOINTS_URL", endpointsUrl());
    }

    /** The Inference Endpoints, oldest first, as they are now. */
    public List<EmulatedEndpoint> endpoints() {
        return hf().endpointSnapshots();
    }

    /** One Inference Endpoint as it is now. */
    public Optional<EmulatedEndpoint> endpoint(String name) {
        return endpoints().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * Moves an endpoint one state on ({@code pending} → {@code initializing} → {@code running}), as
     * one read of it would under {@link JobProgression#onPoll()}.
     *
     * @throws IllegalArgumentException when there is no such endpoint
     */
    public HuggingFaceEmulator advanceEndpoint(String name) {
        hf().advanceEndpoint(Objects.requireNonNull(name, "name"));
        return this;
    }

    /**
     * Scales a running endpoint to zero now, as its idle timeout would; the next request wakes it.
     *
     * @throws IllegalArgumentException when there is no such endpoint or it is not running
     */
    public HuggingFaceEmulator scaleEndpointToZero(String name) {
        hf().scaleEndpointToZero(Objects.requireNonNull(name, "name"));
        return this;
    }

    /**
     * Fails an endpoint now ({@code failed}, with this {@code status.message}).
     *
     * @throws IllegalArgumentException when there is no such endpoint
     */
    public HuggingFaceEmulator failEndpoint(String name, String message) {
        hf().failEndpoint(Objects.requireNonNull(name, "name"), Objects.requireNonNull(message, "message"));
        return this;
    }

    /** The next endpoint created fails when it would start running, with this {@code status.message}. */
    public HuggingFaceEmulator failNextEndpoint(String message) {
        hf().failNextEndpoint(Objects.requireNonNull(message, "message"));
        return this;
    }

    /**
     * Deletes an endpoint behind the client's back, as its owner could in the web UI; its URL then
     * answers 404.
     *
     * @throws IllegalArgumentException when there is no such endpoint
     */
    public HuggingFaceEmulator deleteEndpoint(String name) {
        hf().deleteEndpoint(Objects.requireNonNull(name, "name"));
        return this;
    }

    /** The user name {@code /api/whoami-v2} answers, where repositories and jobs live. */
    public String namespace() {
        return namespace;
    }

    /** The repositories, oldest first, as they are now. */
    public List<EmulatedRepo> repos() {
        return hf().repoSnapshots();
    }

    /** One repository as it is now ({@code type} is {@code dataset} or {@code model}). */
    public Optional<EmulatedRepo> repo(String type, String id) {
        return repos().stream().filter(r -> r.type().equals(type) && r.id().equals(id)).findFirst();
    }

    @Override
    String faultPath(String path) {
        return FaultScript.normaliseAsIs(path);
    }

    private HuggingFaceApi hf() {
        return (HuggingFaceApi) api;
    }

    /**
     * Settings of a {@link HuggingFaceEmulator}: those of every emulator, plus the namespace and the
     * LFS threshold. The default base models (what the serving endpoint serves) are Qwen2.5 0.5B/1.5B
     * Instruct and Llama 3.2 1B Instruct. Not thread-safe.
     */
    public static final class Builder extends EmulatorBuilder<Builder, HuggingFaceEmulator> {

        private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");

        private String namespace = "emulator";
        private long lfsThresholdBytes = HuggingFaceApi.DEFAULT_LFS_THRESHOLD;
        private Duration endpointColdStart = Duration.ofSeconds(30);

        private Builder() {
            super(HuggingFaceApi.DEFAULT_BASE_MODELS);
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

        /** Files larger than this go through LFS (preupload answers {@code lfs}); 10 MiB by default. */
        public Builder lfsThresholdBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("lfsThresholdBytes must not be negative, was " + bytes);
            }
            this.lfsThresholdBytes = bytes;
            return this;
        }

        /**
         * How long a scaled-to-zero endpoint takes to start again (default 30 s): a request whose
         * {@code X-Scale-Up-Timeout} is at least this many seconds is held and served, another one
         * is answered 503 while the endpoint initializes.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder endpointColdStart(Duration coldStart) {
            Objects.requireNonNull(coldStart, "coldStart");
            if (coldStart.isNegative()) {
                throw new IllegalArgumentException("endpointColdStart must not be negative, was " + coldStart);
            }
            this.endpointColdStart = coldStart;
            return this;
        }

        @Override
        void account(String name) {
            namespace(name);
        }

        @Override
        public HuggingFaceEmulator build() {
            return new HuggingFaceEmulator(this);
        }
    }
}
