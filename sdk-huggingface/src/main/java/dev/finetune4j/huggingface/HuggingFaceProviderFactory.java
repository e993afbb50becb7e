package dev.finetune4j.huggingface;

import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.huggingface.internal.EndpointDeployments;
import dev.finetune4j.huggingface.internal.HubApi;
import dev.finetune4j.huggingface.internal.HubToken;
import dev.finetune4j.huggingface.internal.JobLogs;
import dev.finetune4j.huggingface.internal.JobSpecs;
import dev.finetune4j.huggingface.internal.LfsUploader;
import dev.finetune4j.huggingface.internal.RepoNames;
import dev.finetune4j.huggingface.internal.ServedModels;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderFactory;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates the {@link HuggingFaceProvider}; registered for {@link java.util.ServiceLoader} under the
 * id {@value #ID}.
 *
 * <p>Configuration, code first, then the environment ({@link ProviderConfig#env}):
 *
 * <table>
 *   <caption>Where each setting comes from</caption>
 *   <tr><th>what</th><th>in code</th><th>environment</th><th>default</th></tr>
 *   <tr><td>token (required; needs write access)</td><td>{@code apiKey(...)}</td><td>{@value #TOKEN_ENV}</td>
 *       <td>none</td></tr>
 *   <tr><td>Hub URL (repositories and the Jobs API)</td><td>{@code endpoint(...)}</td><td>{@value #ENDPOINT_ENV}</td>
 *       <td>{@value #DEFAULT_ENDPOINT}</td></tr>
 *   <tr><td>namespace (user or organisation) for repositories and jobs</td>
 *       <td>setting {@value #SETTING_NAMESPACE}</td><td>-</td><td>the token's owner ({@code /api/whoami-v2})</td></tr>
 *   <tr><td>OpenAI-compatible serving URL for chat, including {@code /v1}</td>
 *       <td>setting {@value #SETTING_SERVING_URL}</td><td>{@value #SERVING_URL_ENV}</td><td>none (no chat)</td></tr>
 *   <tr><td>key for the serving endpoint</td><td>setting {@value #SETTING_SERVING_API_KEY}</td><td>-</td>
 *       <td>the token for Hugging Face hosts (Inference Endpoints), none for other servers</td></tr>
 *   <tr><td>adapters a TGI server loads but does not list (its {@code LORA_ADAPTERS}), comma-separated</td>
 *       <td>setting {@value #SETTING_SERVED_ADAPTERS}</td><td>-</td><td>none</td></tr>
 *   <tr><td>check {@code /models} before chat ({@code true}/{@code false})</td>
 *       <td>setting {@value #SETTING_CHECK_SERVED_MODELS}</td><td>-</td><td>{@code true}</td></tr>
 *   <tr><td>how long the {@code /models} list is trusted, seconds</td>
 *       <td>setting {@value #SETTING_MODELS_CACHE_SECONDS}</td><td>-</td><td>30</td></tr>
 *   <tr><td>default job flavor, time limit, image</td>
 *       <td>settings {@code flavor}, {@code timeout}, {@code image}</td><td>-</td>
 *       <td>see {@link HuggingFaceOptions}</td></tr>
 *   <tr><td>Inference Endpoints API (deployments), including {@code /v2}</td>
 *       <td>setting {@value #SETTING_ENDPOINTS_URL}</td><td>{@value #ENDPOINTS_URL_ENV}</td>
 *       <td>{@value #DEFAULT_ENDPOINTS_URL}</td></tr>
 *   <tr><td>deployment defaults: hardware, vendor, region, vLLM image, max LoRA rank</td>
 *       <td>settings {@code endpoint_hardware}, {@code endpoint_vendor}, {@code endpoint_region},
 *       {@code endpoint_image}, {@code endpoint_max_lora_rank}</td><td>-</td>
 *       <td>{@value #DEFAULT_ENDPOINT_HARDWARE}, {@code aws}, {@code us-east-1}, {@value #DEFAULT_ENDPOINT_IMAGE},
 *       64</td></tr>
 *   <tr><td>log reads: stop after this many idle / total seconds</td>
 *       <td>settings {@value #SETTING_LOGS_IDLE_SECONDS} / {@value #SETTING_LOGS_MAX_SECONDS}</td><td>-</td>
 *       <td>5 / 30</td></tr>
 * </table>
 *
 * HTTP client, retries, per-attempt timeout, clock and sleeper come from the {@link
 * ProviderConfig}. Cheap to instantiate; thread-safe.
 */
public final class HuggingFaceProviderFactory implements ProviderFactory {

    /** The provider id. */
    public static final String ID = "huggingface";

    /** The environment variable holding the token. */
    public static final String TOKEN_ENV = "HF_TOKEN";

    /** The environment variable overriding the Hub URL. */
    public static final String ENDPOINT_ENV = "HF_ENDPOINT";

    /** The environment variable naming the OpenAI-compatible serving URL (including {@code /v1}). */
    public static final String SERVING_URL_ENV = "HF_SERVING_URL";

    /** The Hub URL used when none is configured. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    /** The environment variable overriding the Inference Endpoints API URL (including {@code /v2}). */
    public static final String ENDPOINTS_URL_ENV = "HF_ENDPOINTS_URL";

    /** The Inference Endpoints API ({@code huggingface_hub}'s {@code INFERENCE_ENDPOINTS_ENDPOINT}). */
    public static final String DEFAULT_ENDPOINTS_URL = "https://api.endpoints.huggingface.cloud/v2";

    /** The setting naming the Inference Endpoints API URL. */
    public static final String SETTING_ENDPOINTS_URL = "endpoints_url";

    /** The hardware a deployment gets unless its spec names one: one NVIDIA L4 (24 GB). */
    public static final String DEFAULT_ENDPOINT_HARDWARE = "nvidia-l4-x1";

    /**
     * The vLLM image endpoints run unless set ({@code huggingface_hub}'s example of a vLLM endpoint
     * image; pin the one you tested).
     */
    public static final String DEFAULT_ENDPOINT_IMAGE = "vllm/vllm-openai:v0.23.0";

    /** The setting naming the namespace. */
    public static final String SETTING_NAMESPACE = "namespace";

    /** The setting naming the serving URL. */
    public static final String SETTING_SERVING_URL = "serving_url";

    /**
     * The setting holding the serving endpoint's key; without it the Hub token is sent only to
     * Hugging Face's own hosts ({@code *.huggingface.cloud}, {@code huggingface.co}, {@code
     * *.hf.space}) and nothing to other servers.
     */
    public static final String SETTING_SERVING_API_KEY = "serving_api_key";

    /** The setting listing adapters the serving endpoint serves without listing them. */
    public static final String SETTING_SERVED_ADAPTERS = "served_adapters";

    /** The setting turning the {@code /models} check off. */
    public static final String SETTING_CHECK_SERVED_MODELS = "check_served_models";

    /** The setting: seconds the {@code /models} list is trusted. */
    public static final String SETTING_MODELS_CACHE_SECONDS = "models_cache_seconds";

    /** The setting: a log read stops when no line came for this many seconds. */
    public static final String SETTING_LOGS_IDLE_SECONDS = "logs_idle_seconds";

    /** The setting: a log read stops after this many seconds in any case. */
    public static final String SETTING_LOGS_MAX_SECONDS = "logs_max_seconds";

    /** The setting: a deployment's default hardware. */
    public static final String ENDPOINT_HARDWARE = "endpoint_hardware";

    /** The setting: a deployment's default cloud vendor. */
    public static final String ENDPOINT_VENDOR = "endpoint_vendor";

    /** The setting: a deployment's default region. */
    public static final String ENDPOINT_REGION = "endpoint_region";

    /** The setting: the vLLM image deployments run. */
    public static final String ENDPOINT_IMAGE = "endpoint_image";

    /** The setting: vLLM's {@code --max-lora-rank} on deployments. */
    public static final String ENDPOINT_MAX_LORA_RANK = "endpoint_max_lora_rank";

    /** LFS uploads get at least this per-attempt timeout. */
    static final Duration MIN_UPLOAD_TIMEOUT = Duration.ofMinutes(30);

    /**
     * The data rules: the shared checks (TRL's conversational data), and no service minimum of
     * examples.
     */
    static final DataRules RULES = DataRules.builder("Hugging Face")
            .minimumExamples(new MinimumExamples(1, 50,
                    "Hugging Face training runs have no service minimum; 50 is this library's recommendation"))
            .build();

    /**
     * What the provider declares: the settings of the table above, no default base model (any Hub
     * model: name one), TRL {@code messages} uploads, {@link #RULES}, and its capabilities:
     * training and chat, validation file, cancel, continuing from a fine-tuned model (the adapter
     * repository), model deletion (the model repository), tools and finding a job by its label; no
     * pause or resume, no cost preview (see {@link HuggingFaceProvider#estimateHours}), no
     * per-message weights (TRL has none). A trained adapter serves wherever a serving endpoint loads
     * it; the provider deploys nothing itself.
     */
    public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder(ID)
            .displayName("Hugging Face")
            .setting(ProviderSetting.apiKey(TOKEN_ENV, "a Hugging Face token with write access"))
            .setting(ProviderSetting.endpoint(ENDPOINT_ENV, DEFAULT_ENDPOINT, "the Hub URL (repositories and the "
                    + "Jobs API)"))
            .setting(text(SETTING_NAMESPACE, "the user or organisation owning repositories and jobs (default: the "
                    + "token's owner)"))
            .setting(ProviderSetting.builder(SETTING_SERVING_URL, ProviderSetting.Type.URL)
                    .environmentVariable(SERVING_URL_ENV)
                    .description("the OpenAI-compatible serving URL chat goes to, including /v1 (vLLM, TGI, an "
                            + "Inference Endpoint)").build())
            .setting(ProviderSetting.builder(SETTING_SERVING_API_KEY, ProviderSetting.Type.SECRET)
                    .description("the serving endpoint's key (default: the token on Hugging Face hosts, none "
                            + "elsewhere)").build())
            .setting(text(SETTING_SERVED_ADAPTERS, "adapters a TGI server loads but does not list, comma-separated"))
            .setting(ProviderSetting.builder(SETTING_CHECK_SERVED_MODELS, ProviderSetting.Type.BOOLEAN)
                    .defaultValue("true").description("check the serving endpoint's /models before chat").build())
            .setting(number(SETTING_MODELS_CACHE_SECONDS, 30, "how long the /models list is trusted, in seconds"))
            .setting(ProviderSetting.builder(HuggingFaceOptions.FLAVOR, ProviderSetting.Type.TEXT)
                    .defaultValue(HuggingFaceOptions.DEFAULT_FLAVOR).description("the default job hardware").build())
            .setting(ProviderSetting.builder(HuggingFaceOptions.TIMEOUT, ProviderSetting.Type.TEXT)
                    .defaultValue(HuggingFaceOptions.DEFAULT_TIMEOUT.toString())
                    .description("the default job time limit (3600, 90m, 2h or PT2H)").build())
            .setting(ProviderSetting.builder(HuggingFaceOptions.IMAGE, ProviderSetting.Type.TEXT)
                    .defaultValue(HuggingFaceOptions.DEFAULT_IMAGE).description("the default job container image")
                    .build())
            .setting(ProviderSetting.builder(SETTING_ENDPOINTS_URL, ProviderSetting.Type.URL)
                    .environmentVariable(ENDPOINTS_URL_ENV).defaultValue(DEFAULT_ENDPOINTS_URL)
                    .description("the Inference Endpoints API deployments use, including /v2").build())
            .setting(ProviderSetting.builder(ENDPOINT_HARDWARE, ProviderSetting.Type.TEXT)
                    .defaultValue(DEFAULT_ENDPOINT_HARDWARE).description("a deployment's default hardware "
                            + "(INSTANCE_TYPE-SIZE)").build())
            .setting(ProviderSetting.builder(ENDPOINT_VENDOR, ProviderSetting.Type.TEXT).defaultValue("aws")
                    .description("a deployment's default cloud vendor").build())
            .setting(ProviderSetting.builder(ENDPOINT_REGION, ProviderSetting.Type.TEXT).defaultValue("us-east-1")
                    .description("a deployment's default region").build())
            .setting(ProviderSetting.builder(ENDPOINT_IMAGE, ProviderSetting.Type.TEXT)
                    .defaultValue(DEFAULT_ENDPOINT_IMAGE).description("the vLLM image deployments run").build())
            .setting(number(ENDPOINT_MAX_LORA_RANK, 64, "vLLM's --max-lora-rank on deployments"))
            .setting(number(SETTING_LOGS_IDLE_SECONDS, 5, "a log read stops after this many seconds without a line"))
            .setting(number(SETTING_LOGS_MAX_SECONDS, 30, "a log read stops after this many seconds in any case"))
            .uploadFormat(DatasetFormat.HF_MESSAGES)
            .dataRules(RULES)
            .capabilities(Capabilities.of(Capability.TRAINING, Capability.CHAT, Capability.VALIDATION_FILE,
                    Capability.CANCEL, Capability.CONTINUE_FROM_FINE_TUNED, Capability.DELETE_MODEL, Capability.TOOLS,
                    Capability.FIND_BY_TAG, Capability.DEPLOY, Capability.PAUSE_DEPLOYMENT))
            .trainedModelsNeedDeployment(true)
            .pricingNote("Hugging Face bills hardware time, not tokens")
            .build();

    /** Creates the factory; all work happens in {@link #create}. */
    public HuggingFaceProviderFactory() {
        // ServiceLoader needs a public no-argument constructor.
    }

    /** {@link #DESCRIPTOR}. */
    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    private static ProviderSetting text(String name, String description) {
        return ProviderSetting.builder(name, ProviderSetting.Type.TEXT).description(description).build();
    }

    private static ProviderSetting number(String name, long defaultValue, String description) {
        return ProviderSetting.builder(name, ProviderSetting.Type.NUMBER).defaultValue(Long.toString(defaultValue))
                .description(description).build();
    }

    /**
     * Creates the provider. Nothing is sent: the namespace, when not set, is asked for on first use.
     *
     * @throws IllegalStateException when there is no token (naming {@value #TOKEN_ENV}), or a URL or
     *     setting is not usable (naming where it came from)
     */
    @Override
    public HuggingFaceProvider create(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        ApiKey token = config.apiKey().orElseGet(() -> HubToken.find(config).map(found -> {
            try {
                return ApiKey.of(found.value());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(found.source() + ": " + e.getMessage(), e);
            }
        }).orElseThrow(() -> new IllegalStateException("no Hugging Face token: set the environment variable "
                + TOKEN_ENV + " (a token with write access), log in with `hf auth login` (token file "
                + HubToken.file(config) + "), or pass ProviderConfig.builder().apiKey(...)")));

        URI hubUrl = config.endpoint().orElseGet(() -> url(config.env(ENDPOINT_ENV).orElse(DEFAULT_ENDPOINT),
                "environment variable " + ENDPOINT_ENV));
        ProviderHttp hub = http(config, hubUrl, token, config.endpoint().isPresent() ? "ProviderConfig.endpoint"
                : "environment variable " + ENDPOINT_ENV);

        String namespace = config.setting(SETTING_NAMESPACE).map(String::strip).filter(s -> !s.isEmpty())
                .map(ns -> {
                    try {
                        return RepoNames.requireNamespace(ns, "setting " + SETTING_NAMESPACE);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                }).orElse(null);

        Optional<String> servingUrl = config.setting(SETTING_SERVING_URL).map(String::strip).filter(s -> !s.isEmpty())
                .or(() -> config.env(SERVING_URL_ENV).map(String::strip));
        ProviderHttp serving = null;
        ServedModels served = null;
        if (servingUrl.isPresent()) {
            String source = config.setting(SETTING_SERVING_URL).isPresent() ? "setting " + SETTING_SERVING_URL
                    : "environment variable " + SERVING_URL_ENV;
            URI servingUri = url(servingUrl.get(), source);
            ApiKey servingKey = config.setting(SETTING_SERVING_API_KEY).map(String::strip).filter(s -> !s.isEmpty())
                    .map(ApiKey::of).orElse(isHuggingFaceHost(servingUri) ? token : null);
            serving = http(config, servingUri, servingKey, source);
            if (bool(config, SETTING_CHECK_SERVED_MODELS, true)) {
                List<String> declared = config.setting(SETTING_SERVED_ADAPTERS)
                        .map(v -> Arrays.asList(v.split(","))).orElse(List.of());
                served = new ServedModels(serving, config.clock(),
                        Duration.ofSeconds(seconds(config, SETTING_MODELS_CACHE_SECONDS, 30)), declared);
            }
        }

        JobSpecs.Defaults builtIn = JobSpecs.Defaults.builtIn();
        Duration timeout = builtIn.timeout();
        if (config.setting(HuggingFaceOptions.TIMEOUT).isPresent()) {
            try {
                timeout = JobSpecs.parseTimeout(config.setting(HuggingFaceOptions.TIMEOUT).get());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("setting " + HuggingFaceOptions.TIMEOUT + ": " + e.getMessage(), e);
            }
        }
        JobSpecs.Defaults defaults = new JobSpecs.Defaults(
                config.setting(HuggingFaceOptions.FLAVOR).map(String::strip).orElse(builtIn.flavor()), timeout,
                config.setting(HuggingFaceOptions.IMAGE).map(String::strip).orElse(builtIn.image()));

        JobLogs logs = new JobLogs(hub, Duration.ofSeconds(seconds(config, SETTING_LOGS_IDLE_SECONDS, 5)),
                Duration.ofSeconds(seconds(config, SETTING_LOGS_MAX_SECONDS, 30)));
        Duration uploadTimeout = config.timeout().compareTo(MIN_UPLOAD_TIMEOUT) > 0 ? config.timeout()
                : MIN_UPLOAD_TIMEOUT;

        String endpointsSource = config.setting(SETTING_ENDPOINTS_URL).isPresent() ? "setting "
                + SETTING_ENDPOINTS_URL : "environment variable " + ENDPOINTS_URL_ENV;
        URI endpointsUrl = url(config.setting(SETTING_ENDPOINTS_URL).map(String::strip).filter(v -> !v.isEmpty())
                .or(() -> config.env(ENDPOINTS_URL_ENV)).orElse(DEFAULT_ENDPOINTS_URL), endpointsSource);
        ProviderHttp endpointsApi = http(config, endpointsUrl, token, endpointsSource);
        EndpointDeployments.Defaults deployDefaults;
        try {
            deployDefaults = new EndpointDeployments.Defaults(
                    text(config, ENDPOINT_HARDWARE, DEFAULT_ENDPOINT_HARDWARE), text(config, ENDPOINT_VENDOR, "aws"),
                    text(config, ENDPOINT_REGION, "us-east-1"), text(config, ENDPOINT_IMAGE, DEFAULT_ENDPOINT_IMAGE),
                    Long.toString(seconds(config, ENDPOINT_MAX_LORA_RANK, 64)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("setting " + ENDPOINT_HARDWARE + ": " + e.getMessage(), e);
        }
        // an endpoint's own URL gets the token when it is Hugging Face's, or on the endpoints API's host (an emulator)
        String apiHost = endpointsUrl.getHost();
        java.util.function.BiFunction<URI, Duration, ProviderHttp> endpointHttp = (endpoint, wakeUp) -> {
            ProviderConfig longer = config.toBuilder().timeout(config.timeout().plus(wakeUp)).build();
            boolean ours = isHuggingFaceHost(endpoint) || Objects.equals(endpoint.getHost(), apiHost);
            return http(longer, endpoint, ours ? token : null, "the endpoint of a deployment");
        };
        return new HuggingFaceProvider(new HubApi(hub, config.sleeper()), token, namespace,
                new LfsUploader(hub, uploadTimeout), logs, defaults, serving, served, endpointsApi, deployDefaults,
                endpointHttp, config.clock(), config.cache());
    }

    private static String text(ProviderConfig config, String setting, String fallback) {
        return config.setting(setting).map(String::strip).filter(v -> !v.isEmpty()).orElse(fallback);
    }

    private static ProviderHttp http(ProviderConfig config, URI url, ApiKey key, String source) {
        ProviderHttp.Builder b;
        try {
            b = ProviderHttp.builder(ID, url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + " (from " + source + ")", e);
        }
        if (key != null) {
            b.apiKey(key);
        }
        b.retry(config.retry()).timeout(config.timeout()).sleeper(config.sleeper()).clock(config.clock());
        config.httpClient().ifPresent(b::httpClient);
        return b.build();
    }

    /**
     * Whether a serving URL is Hugging Face's own (Inference Endpoints, the Hub, Spaces), where the
     * Hub token is the key. Other servers (your vLLM or TGI) never see the token unless {@value
     * #SETTING_SERVING_API_KEY} is set to it.
     */
    static boolean isHuggingFaceHost(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        return host.equals("huggingface.co") || host.endsWith(".huggingface.co") || host.endsWith(".huggingface.cloud")
                || host.endsWith(".hf.space");
    }

    private static URI url(String value, String source) {
        try {
            return URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not a URL: " + e.getMessage(), e);
        }
    }

    private static long seconds(ProviderConfig config, String setting, long fallback) {
        Optional<String> raw = config.setting(setting);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(raw.get().strip());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("setting " + setting + " is '" + raw.get() + "'; it must be a whole number of "
                + "seconds, at least 1");
    }

    private static boolean bool(ProviderConfig config, String setting, boolean fallback) {
        Optional<String> raw = config.setting(setting).map(String::strip);
        if (raw.isEmpty()) {
            return fallback;
        }
        if (raw.get().equalsIgnoreCase("true") || raw.get().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw.get());
        }
        throw new IllegalStateException("setting " + setting + " is '" + raw.get() + "'; use true or false");
    }
}
