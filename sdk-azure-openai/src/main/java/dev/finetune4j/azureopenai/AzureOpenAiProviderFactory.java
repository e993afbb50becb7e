package dev.finetune4j.azureopenai;

import dev.finetune4j.azureopenai.internal.ArmAccount;
import dev.finetune4j.azureopenai.internal.ArmDeploymentService;
import dev.finetune4j.azureopenai.internal.ArmDeployments;
import dev.finetune4j.azureopenai.internal.FileProcessing;
import dev.finetune4j.azureopenai.internal.TrainingType;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.format.FileEncoding;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.lifecycle.LifecycleTable;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderFactory;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.kit.Authentication;
import dev.finetune4j.spi.kit.OpenAiCompatibleChat;
import dev.finetune4j.spi.kit.OpenAiCompatibleTraining;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Creates the {@link AzureOpenAiProvider}; registered for {@link java.util.ServiceLoader} under the
 * id {@value #ID}.
 *
 * <p>Configuration, code first, then the environment ({@link ProviderConfig#env}):
 *
 * <table>
 *   <caption>Where each setting comes from</caption>
 *   <tr><th>what</th><th>in code</th><th>environment</th><th>default</th></tr>
 *   <tr><td>the resource endpoint (required), {@code https://NAME.openai.azure.com} or {@code
 *       https://NAME.services.ai.azure.com}; a trailing {@code /openai/v1} is accepted</td>
 *       <td>{@code endpoint(...)}</td><td>{@value #ENDPOINT_ENV}</td><td>none</td></tr>
 *   <tr><td>API key, sent as {@code api-key}</td><td>{@code apiKey(...)}</td><td>{@value #API_KEY_ENV}</td>
 *       <td>none</td></tr>
 *   <tr><td>a Microsoft Entra ID access token for the data plane, sent as {@code Authorization:
 *       Bearer}</td><td>{@link #withDataPlaneTokens} (refreshed per call), or setting {@value
 *       #SETTING_AD_TOKEN} (fixed)</td><td>{@value #AD_TOKEN_ENV}</td><td>none</td></tr>
 *   <tr><td>the training tier of new jobs</td><td>setting {@value #SETTING_TRAINING_TYPE}, or the job's
 *       option of that name</td><td>{@value #TRAINING_TYPE_ENV}</td><td>Azure's own (not sent)</td></tr>
 *   <tr><td>how long an uploaded file may take to be processed</td><td>setting {@value
 *       #SETTING_FILE_PROCESSING_TIMEOUT}</td><td>-</td><td>600 seconds</td></tr>
 *   <tr><td>chat output limit field</td><td>setting {@value #SETTING_MAX_TOKENS_FIELD}</td><td>-</td>
 *       <td>{@code max_completion_tokens}</td></tr>
 *   <tr><td>deployments: the subscription id</td><td>setting {@value #SETTING_SUBSCRIPTION_ID}</td>
 *       <td>{@value #SUBSCRIPTION_ID_ENV}</td><td>none</td></tr>
 *   <tr><td>deployments: the resource group</td><td>setting {@value #SETTING_RESOURCE_GROUP}</td>
 *       <td>{@value #RESOURCE_GROUP_ENV}</td><td>none</td></tr>
 *   <tr><td>deployments: the account (resource) name</td><td>setting {@value #SETTING_ACCOUNT_NAME}</td>
 *       <td>{@value #ACCOUNT_NAME_ENV}</td><td>NAME of {@code https://NAME.openai.azure.com} (or {@code
 *       .services.ai.azure.com})</td></tr>
 *   <tr><td>deployments: a Microsoft Entra ID token for Azure Resource Manager</td><td>{@link
 *       #withArmTokens} (refreshed per call), or setting {@value #SETTING_ARM_TOKEN} (fixed)</td>
 *       <td>{@value #ARM_TOKEN_ENV}</td><td>none</td></tr>
 *   <tr><td>deployments: the ARM endpoint</td><td>setting {@value #SETTING_MANAGEMENT_ENDPOINT}</td>
 *       <td>{@value #MANAGEMENT_ENDPOINT_ENV}</td><td>{@code https://management.azure.com}</td></tr>
 * </table>
 *
 * <p>Deployments ({@link dev.finetune4j.spi.Provider#deployments()}) are offered when the
 * subscription id, the resource group and an ARM token are all given (the account name then
 * defaults from the endpoint); with some but not all of them, {@link #create} fails naming what is
 * missing. Without any, trained models are deployed by hand and activation is refused.
 *
 * One data-plane credential is used: a token supplier given in code, else the key ({@code
 * apiKey(...)}, then {@value #API_KEY_ENV}), else the fixed token ({@value #SETTING_AD_TOKEN},
 * then {@value #AD_TOKEN_ENV}). HTTP client, retries, per-attempt timeout, clock and sleeper come
 * from the {@link ProviderConfig}. Cheap to instantiate; immutable and thread-safe.
 */
public final class AzureOpenAiProviderFactory implements ProviderFactory {

    /** The provider id. */
    public static final String ID = "azure-openai";

    /** The environment variable holding the resource endpoint. */
    public static final String ENDPOINT_ENV = "AZURE_OPENAI_ENDPOINT";

    /** The environment variable holding the API key. */
    public static final String API_KEY_ENV = "AZURE_OPENAI_API_KEY";

    /** The environment variable holding a fixed Entra ID access token (as the OpenAI SDKs read it). */
    public static final String AD_TOKEN_ENV = "AZURE_OPENAI_AD_TOKEN";

    /** The environment variable holding the default training tier. */
    public static final String TRAINING_TYPE_ENV = "AZURE_OPENAI_TRAINING_TYPE";

    /** The setting holding a fixed Entra ID access token. */
    public static final String SETTING_AD_TOKEN = "ad_token";

    /** The setting (and job option) holding the training tier: standard, globalstandard or developer. */
    public static final String SETTING_TRAINING_TYPE = TrainingType.OPTION;

    /** The setting: how many seconds an uploaded file may take to be processed. */
    public static final String SETTING_FILE_PROCESSING_TIMEOUT = "file_processing_timeout_seconds";

    /** The setting: {@code max_completion_tokens} (default) or {@code max_tokens}. */
    public static final String SETTING_MAX_TOKENS_FIELD = "max_tokens_field";

    /** The setting holding the subscription id of the account, for deployments. */
    public static final String SETTING_SUBSCRIPTION_ID = "subscription_id";

    /** The environment variable holding the subscription id (as the Azure SDKs read it). */
    public static final String SUBSCRIPTION_ID_ENV = "AZURE_SUBSCRIPTION_ID";

    /** The setting holding the resource group of the account, for deployments. */
    public static final String SETTING_RESOURCE_GROUP = "resource_group";

    /** The environment variable holding the resource group. */
    public static final String RESOURCE_GROUP_ENV = "AZURE_RESOURCE_GROUP";

    /** The setting holding the account (resource) name, for deployments. */
    public static final String SETTING_ACCOUNT_NAME = "account_name";

    /** The environment variable holding the account name. */
    public static final String ACCOUNT_NAME_ENV = "AZURE_OPENAI_ACCOUNT_NAME";

    /** The setting holding a fixed Entra ID access token for Azure Resource Manager. */
    public static final String SETTING_ARM_TOKEN = "arm_token";

    /** The environment variable holding a fixed ARM access token. */
    public static final String ARM_TOKEN_ENV = "AZURE_ARM_TOKEN";

    /** The setting holding the ARM endpoint, when a proxy or an emulator stands for it. */
    public static final String SETTING_MANAGEMENT_ENDPOINT = "management_endpoint";

    /** The environment variable holding the ARM endpoint. */
    public static final String MANAGEMENT_ENDPOINT_ENV = "AZURE_MANAGEMENT_ENDPOINT";

    /** Where the v1 API lives below the resource endpoint. */
    public static final String API_PATH = "/openai/v1";

    /** Azure's limit on a training or validation file: less than 512 MB. */
    public static final long MAX_FILE_BYTES = 512L * 1024 * 1024;

    /** The longest suffix Azure documents. */
    public static final int MAX_SUFFIX_LENGTH = 40;

    private static final long DEFAULT_FILE_PROCESSING_SECONDS = 600;

    /**
     * The data rules: the shared checks, Azure's minimum of 10 examples ("hundreds, if not
     * thousands" recommended) and the training-example token limits of its fine-tuning model table.
     */
    static final DataRules RULES = DataRules.builder("Azure OpenAI")
            .minimumExamples(new MinimumExamples(10, 100, "Azure OpenAI fine-tuning how-to: jobs won't proceed "
                    + "without at least 10 training examples; hundreds, if not thousands, are best practice"))
            .maxTokensPerExample("gpt-4o-mini", 65_536)
            .maxTokensPerExample("gpt-4o-2024-08-06", 65_536)
            .maxTokensPerExample("gpt-4.1", 65_536)
            .maxTokensPerExample("gpt-4.1-nano", 32_768)
            .maxTokensPerExample("o4-mini", 65_536)
            .build();

    /**
     * What the provider declares: its settings (the table above), default base model {@code
     * gpt-4.1-mini-2025-04-14}, OpenAI chat JSONL uploaded as UTF-8 with a byte-order mark (Azure's
     * documented encoding), {@link #RULES}, and training, chat, validation files, cancel,
     * pause/resume, continued training, weights, tools, find-by-tag and deployments (through Azure
     * Resource Manager, once its settings are given); no model deletion (Azure documents it in its
     * portal only) and no cost preview. A trained model must be deployed before chat reaches it. Lifecycle: Azure's retirement schedule for fine-tuned models ({@code
     * lifecycle.json} beside this class, each event with its source).
     */
    public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder(ID)
            .displayName("Azure OpenAI")
            .setting(ProviderSetting.builder(ProviderSetting.API_KEY, ProviderSetting.Type.SECRET)
                    .environmentVariable(API_KEY_ENV)
                    .description("the resource's API key, sent as api-key (or use an Entra ID token)").build())
            .setting(ProviderSetting.builder(ProviderSetting.ENDPOINT, ProviderSetting.Type.URL)
                    .environmentVariable(ENDPOINT_ENV).required(true)
                    .description("the resource endpoint, https://NAME.openai.azure.com; /openai/v1 is appended").build())
            .setting(ProviderSetting.builder(SETTING_AD_TOKEN, ProviderSetting.Type.SECRET)
                    .environmentVariable(AD_TOKEN_ENV)
                    .description("a Microsoft Entra ID access token for the resource, instead of the key").build())
            .setting(ProviderSetting.builder(SETTING_TRAINING_TYPE, ProviderSetting.Type.TEXT)
                    .environmentVariable(TRAINING_TYPE_ENV)
                    .description("the training tier of new jobs: standard, globalstandard or developer").build())
            .setting(ProviderSetting.builder(SETTING_FILE_PROCESSING_TIMEOUT, ProviderSetting.Type.NUMBER)
                    .defaultValue(Long.toString(DEFAULT_FILE_PROCESSING_SECONDS))
                    .description("seconds an uploaded file may take to be processed before a job uses it").build())
            .setting(ProviderSetting.builder(SETTING_MAX_TOKENS_FIELD, ProviderSetting.Type.TEXT)
                    .defaultValue("max_completion_tokens")
                    .description("the chat output-limit field: max_completion_tokens, or max_tokens").build())
            .setting(ProviderSetting.builder(SETTING_SUBSCRIPTION_ID, ProviderSetting.Type.TEXT)
                    .environmentVariable(SUBSCRIPTION_ID_ENV)
                    .description("deployments: the subscription id of the Azure OpenAI account").build())
            .setting(ProviderSetting.builder(SETTING_RESOURCE_GROUP, ProviderSetting.Type.TEXT)
                    .environmentVariable(RESOURCE_GROUP_ENV)
                    .description("deployments: the resource group of the Azure OpenAI account").build())
            .setting(ProviderSetting.builder(SETTING_ACCOUNT_NAME, ProviderSetting.Type.TEXT)
                    .environmentVariable(ACCOUNT_NAME_ENV)
                    .description("deployments: the account name (default: NAME of the endpoint's host)").build())
            .setting(ProviderSetting.builder(SETTING_ARM_TOKEN, ProviderSetting.Type.SECRET)
                    .environmentVariable(ARM_TOKEN_ENV)
                    .description("deployments: a Microsoft Entra ID access token for Azure Resource Manager").build())
            .setting(ProviderSetting.builder(SETTING_MANAGEMENT_ENDPOINT, ProviderSetting.Type.URL)
                    .environmentVariable(MANAGEMENT_ENDPOINT_ENV)
                    .defaultValue(ArmDeployments.MANAGEMENT_ENDPOINT.toString())
                    .description("deployments: the Azure Resource Manager endpoint").build())
            .defaultBaseModel("gpt-4.1-mini-2025-04-14")
            .uploadFormat(DatasetFormat.OPENAI)
            .uploadEncoding(FileEncoding.UTF_8_WITH_BOM)
            .dataRules(RULES)
            .capabilities(Capabilities.of(Capability.TRAINING, Capability.CHAT, Capability.VALIDATION_FILE,
                    Capability.CANCEL, Capability.PAUSE_RESUME, Capability.CONTINUE_FROM_FINE_TUNED,
                    Capability.WEIGHTS, Capability.TOOLS, Capability.FIND_BY_TAG, Capability.DEPLOY))
            .trainedModelsNeedDeployment(true)
            .lifecycleEvents(LifecycleTable.resource(AzureOpenAiProviderFactory.class, "lifecycle.json"))
            .build();

    private final Supplier<ApiKey> dataPlaneTokens;
    private final Supplier<ApiKey> armTokens;

    /** Creates the factory; all work happens in {@link #create}. */
    public AzureOpenAiProviderFactory() {
        this(null, null);
    }

    private AzureOpenAiProviderFactory(Supplier<ApiKey> dataPlaneTokens, Supplier<ApiKey> armTokens) {
        this.dataPlaneTokens = dataPlaneTokens;
        this.armTokens = armTokens;
    }

    /**
     * A factory whose providers authenticate every data-plane call with a Microsoft Entra ID
     * access token from {@code tokens}, asked once per call (scope {@code
     * https://cognitiveservices.azure.com/.default}); it replaces the key. The supplier is the host
     * application's, such as Azure Identity's {@code DefaultAzureCredential} behind a small
     * adapter (docs/azure-openai.md); it should cache the token and refresh it before it expires.
     */
    public static AzureOpenAiProviderFactory withDataPlaneTokens(Supplier<ApiKey> tokens) {
        return new AzureOpenAiProviderFactory(Objects.requireNonNull(tokens, "tokens"), null);
    }

    /**
     * This factory, with providers that authenticate every Azure Resource Manager call (deployments)
     * with a Microsoft Entra ID access token from {@code tokens}, asked once per call (scope {@code
     * https://management.azure.com/.default}; the identity needs {@code
     * Microsoft.CognitiveServices/accounts/deployments/write}, e.g. the Cognitive Services
     * Contributor role); it replaces {@value #SETTING_ARM_TOKEN}. The resource's key cannot deploy.
     */
    public AzureOpenAiProviderFactory withArmTokens(Supplier<ApiKey> tokens) {
        return new AzureOpenAiProviderFactory(dataPlaneTokens, Objects.requireNonNull(tokens, "tokens"));
    }

    /** {@link #DESCRIPTOR}. */
    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Creates the provider.
     *
     * @throws IllegalStateException when there is no endpoint or no credential (naming the
     *     environment variables), or an endpoint, key or setting is not usable (naming where it came
     *     from)
     */
    @Override
    public AzureOpenAiProvider create(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        URI root = resourceEndpoint(config);
        ProviderHttp.Builder http;
        try {
            http = ProviderHttp.builder(ID, URI.create(root + API_PATH));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + " (from " + endpointSource(config) + ")", e);
        }
        http.auth(authentication(config))
                .retry(config.retry())
                .timeout(config.timeout())
                .sleeper(config.sleeper())
                .clock(config.clock());
        config.httpClient().ifPresent(http::httpClient);
        ProviderHttp core = http.build();

        OpenAiCompatibleTraining.Builder training = OpenAiCompatibleTraining.builder(core)
                .timeout(config.timeout())
                // Azure's upload how-to sends the file part as application/json
                .filePartContentType("application/json")
                .maxSuffixLength(MAX_SUFFIX_LENGTH)
                .suffixPattern("[A-Za-z0-9_-]+", "letters a-z and A-Z, digits, '-' and '_' (no dots)")
                // the v1 list takes only after and limit; metadata is in the spec but unused by the docs
                .filterJobsByMetadata(false)
                .tagAsDefaultSuffix(true)
                .option(TrainingType.OPTION, (value, body) -> body.put(TrainingType.FIELD, TrainingType.wire(value)))
                .fineTunedModels(model -> model.contains(".ft-") || model.startsWith("ftchkpt-"))
                .modelDeletion(false);
        Optional<String> tier = text(config, SETTING_TRAINING_TYPE, TRAINING_TYPE_ENV);
        if (tier.isPresent()) {
            try {
                TrainingType.wire(tier.get());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(source(config, SETTING_TRAINING_TYPE, TRAINING_TYPE_ENV) + ": "
                        + e.getMessage(), e);
            }
            training.optionDefault(TrainingType.OPTION, tier.get());
        }

        String maxTokensField = config.setting(SETTING_MAX_TOKENS_FIELD).orElse("max_completion_tokens");
        if (!maxTokensField.equals("max_completion_tokens") && !maxTokensField.equals("max_tokens")) {
            throw new IllegalStateException("setting " + SETTING_MAX_TOKENS_FIELD + " is '" + maxTokensField
                    + "'; use max_completion_tokens or max_tokens");
        }
        OpenAiCompatibleChat chat = OpenAiCompatibleChat.builder(core).maxTokensField(maxTokensField).build();
        FileProcessing files = new FileProcessing(core, config.sleeper(), config.clock(),
                Duration.ofSeconds(seconds(config, SETTING_FILE_PROCESSING_TIMEOUT, DEFAULT_FILE_PROCESSING_SECONDS)));
        return new AzureOpenAiProvider(core, training.build(), chat, files, deployments(config, root));
    }

    /**
     * The deployment service when the ARM settings are given, else null.
     *
     * @throws IllegalStateException when only some are given, or one is not usable
     */
    private ArmDeploymentService deployments(ProviderConfig config, URI root) {
        Optional<String> subscription = text(config, SETTING_SUBSCRIPTION_ID, SUBSCRIPTION_ID_ENV);
        Optional<String> group = text(config, SETTING_RESOURCE_GROUP, RESOURCE_GROUP_ENV);
        Optional<ApiKey> fixed = secret(config, SETTING_ARM_TOKEN, ARM_TOKEN_ENV);
        boolean token = armTokens != null || fixed.isPresent();
        if (subscription.isEmpty() && group.isEmpty() && !token) {
            return null;
        }
        if (subscription.isEmpty() || group.isEmpty() || !token) {
            throw new IllegalStateException("Azure OpenAI deployments need a subscription id (" + SUBSCRIPTION_ID_ENV
                    + "), a resource group (" + RESOURCE_GROUP_ENV + ") and an ARM token (" + ARM_TOKEN_ENV
                    + " or withArmTokens(...)); missing: " + String.join(", ", Stream.of(
                            subscription.isEmpty() ? SUBSCRIPTION_ID_ENV : null,
                            group.isEmpty() ? RESOURCE_GROUP_ENV : null,
                            token ? null : ARM_TOKEN_ENV).filter(Objects::nonNull).toList()));
        }
        String account = text(config, SETTING_ACCOUNT_NAME, ACCOUNT_NAME_ENV).or(() -> accountOf(root))
                .orElseThrow(() -> new IllegalStateException("no Azure OpenAI account name for deployments: the "
                        + "endpoint " + root + " is not https://NAME.openai.azure.com; set " + ACCOUNT_NAME_ENV));
        ArmAccount arm;
        try {
            arm = new ArmAccount(subscription.get(), group.get(), account);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        String raw = text(config, SETTING_MANAGEMENT_ENDPOINT, MANAGEMENT_ENDPOINT_ENV)
                .orElse(ArmDeployments.MANAGEMENT_ENDPOINT.toString());
        URI management;
        try {
            management = URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source(config, SETTING_MANAGEMENT_ENDPOINT, MANAGEMENT_ENDPOINT_ENV)
                    + " is not a URL: " + e.getMessage(), e);
        }
        Supplier<ApiKey> tokens = armTokens != null ? armTokens : fixed::get;
        return new ArmDeploymentService(ArmDeployments.create(config, management, arm, tokens,
                ArmDeployments.DEFAULT_API_VERSION));
    }

    /** NAME of {@code https://NAME.openai.azure.com} or {@code https://NAME.services.ai.azure.com}. */
    private static Optional<String> accountOf(URI root) {
        String host = root.getHost() == null ? "" : root.getHost().toLowerCase(java.util.Locale.ROOT);
        for (String suffix : new String[] {".openai.azure.com", ".services.ai.azure.com"}) {
            if (host.endsWith(suffix) && host.length() > suffix.length()) {
                return Optional.of(host.substring(0, host.length() - suffix.length()));
            }
        }
        return Optional.empty();
    }

    /** The data-plane credential, in the order the class documentation gives. */
    private Authentication authentication(ProviderConfig config) {
        // every credential variable is read (and checked) even when an earlier one wins
        Optional<ApiKey> key = config.apiKey().or(() -> secret(config, null, API_KEY_ENV));
        Optional<ApiKey> token = secret(config, SETTING_AD_TOKEN, AD_TOKEN_ENV);
        if (dataPlaneTokens != null) {
            return Authentication.bearerToken(dataPlaneTokens);
        }
        if (key.isPresent()) {
            return Authentication.header("api-key", key.get());
        }
        if (token.isPresent()) {
            return Authentication.bearer(token.get());
        }
        throw new IllegalStateException("no Azure OpenAI credential: set the environment variable " + API_KEY_ENV
                + " (the resource's key) or " + AD_TOKEN_ENV + " (an Entra ID access token), or pass "
                + "ProviderConfig.builder().apiKey(...) or AzureOpenAiProviderFactory.withDataPlaneTokens(...)");
    }

    private static Optional<ApiKey> secret(ProviderConfig config, String setting, String env) {
        Optional<String> raw = setting == null ? Optional.empty() : config.setting(setting);
        String from = "setting " + setting;
        if (raw.isEmpty()) {
            raw = config.env(env).filter(v -> !v.isBlank());
            from = "environment variable " + env;
        }
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ApiKey.of(raw.get()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(from + ": " + e.getMessage(), e);
        }
    }

    /**
     * The resource endpoint without a trailing {@code /}, {@code /openai} or {@code /openai/v1}.
     *
     * @throws IllegalStateException when none is set or it is not a URL
     */
    static URI resourceEndpoint(ProviderConfig config) {
        String raw;
        if (config.endpoint().isPresent()) {
            raw = config.endpoint().get().toString();
        } else {
            raw = config.env(ENDPOINT_ENV).map(String::strip).filter(v -> !v.isEmpty())
                    .orElseThrow(() -> new IllegalStateException("no Azure OpenAI endpoint: set the environment "
                            + "variable " + ENDPOINT_ENV + " to https://YOUR-RESOURCE.openai.azure.com or pass "
                            + "ProviderConfig.builder().endpoint(...)"));
        }
        String s = raw;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        for (String tail : new String[] {API_PATH, "/openai"}) {
            if (s.endsWith(tail)) {
                s = s.substring(0, s.length() - tail.length());
                break;
            }
        }
        try {
            return URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(endpointSource(config) + " is not a URL: " + e.getMessage(), e);
        }
    }

    private static String endpointSource(ProviderConfig config) {
        return config.endpoint().isPresent() ? "ProviderConfig.endpoint" : "environment variable " + ENDPOINT_ENV;
    }

    private static Optional<String> text(ProviderConfig config, String setting, String env) {
        return config.setting(setting).map(String::strip).filter(s -> !s.isEmpty())
                .or(() -> config.env(env).map(String::strip).filter(s -> !s.isEmpty()));
    }

    private static String source(ProviderConfig config, String setting, String env) {
        return config.setting(setting).filter(s -> !s.isBlank()).isPresent() ? "setting " + setting
                : "environment variable " + env;
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
        throw new IllegalStateException("setting " + setting + " is '" + raw.get() + "'; it must be a whole number "
                + "of seconds, at least 1");
    }
}
