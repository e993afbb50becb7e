package dev.finetune4j.openai;

import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.openai.internal.FileUploader;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderFactory;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates the {@link OpenAiProvider}; registered for {@link java.util.ServiceLoader} under the id
 * {@value #ID}.
 *
 * <p>Configuration, code first, then the environment ({@link ProviderConfig#env}):
 *
 * <table>
 *   <caption>Where each setting comes from</caption>
 *   <tr><th>what</th><th>in code</th><th>environment</th><th>default</th></tr>
 *   <tr><td>API key (required)</td><td>{@code apiKey(...)}</td><td>{@value #API_KEY_ENV}</td><td>none</td></tr>
 *   <tr><td>base URL, including the version</td><td>{@code endpoint(...)}</td><td>{@value #BASE_URL_ENV}</td>
 *       <td>{@value #DEFAULT_BASE_URL}</td></tr>
 *   <tr><td>{@code OpenAI-Organization} header</td><td>setting {@value #SETTING_ORGANIZATION}</td>
 *       <td>{@value #ORGANIZATION_ENV}</td><td>not sent</td></tr>
 *   <tr><td>{@code OpenAI-Project} header</td><td>setting {@value #SETTING_PROJECT}</td>
 *       <td>{@value #PROJECT_ENV}</td><td>not sent</td></tr>
 *   <tr><td>size above which files go through the Uploads API</td>
 *       <td>setting {@value #SETTING_UPLOAD_PART_THRESHOLD}</td><td>-</td><td>256 MiB</td></tr>
 *   <tr><td>size of each upload part (at most 64 MiB)</td><td>setting {@value #SETTING_UPLOAD_PART_SIZE}</td>
 *       <td>-</td><td>64 MiB</td></tr>
 *   <tr><td>chat output limit field</td><td>setting {@value #SETTING_MAX_TOKENS_FIELD}</td><td>-</td>
 *       <td>{@code max_completion_tokens} ({@code max_tokens} for older gateways)</td></tr>
 * </table>
 *
 * HTTP client, retries, per-attempt timeout, clock and sleeper come from the {@link
 * ProviderConfig}. Cheap to instantiate; thread-safe.
 */
public final class OpenAiProviderFactory implements ProviderFactory {

    /** The provider id. */
    public static final String ID = "openai";

    /** The environment variable holding the API key. */
    public static final String API_KEY_ENV = "OPENAI_API_KEY";

    /** The environment variable overriding the base URL. */
    public static final String BASE_URL_ENV = "OPENAI_BASE_URL";

    /** The environment variable holding the organization id. */
    public static final String ORGANIZATION_ENV = "OPENAI_ORG_ID";

    /** The environment variable holding the project id. */
    public static final String PROJECT_ENV = "OPENAI_PROJECT_ID";

    /** The base URL used when none is configured. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    /** The setting holding the organization id (sent as {@code OpenAI-Organization}). */
    public static final String SETTING_ORGANIZATION = "organization";

    /** The setting holding the project id (sent as {@code OpenAI-Project}). */
    public static final String SETTING_PROJECT = "project";

    /** The setting: files larger than this many bytes are sent with the Uploads API. */
    public static final String SETTING_UPLOAD_PART_THRESHOLD = "upload_part_threshold_bytes";

    /** The setting: the size in bytes of each part sent with the Uploads API (1 to 64 MiB). */
    public static final String SETTING_UPLOAD_PART_SIZE = "upload_part_size_bytes";

    /** The setting: {@code max_completion_tokens} (default) or {@code max_tokens}. */
    public static final String SETTING_MAX_TOKENS_FIELD = "max_tokens_field";

    /** The data rules: the shared checks, OpenAI's minimum examples and per-model token limits. */
    static final DataRules RULES = DataRules.builder("OpenAI")
            .minimumExamples(new MinimumExamples(10, 50,
                    "OpenAI fine-tuning guide: minimum 10 examples, improvements usually from 50-100"))
            // as Azure OpenAI documents for these snapshots (the alias and -2024-07-18)
            .maxTokensPerExample("gpt-4o-mini", 65_536)
            .maxTokensPerExample("gpt-4o-2024-08-06", 65_536)
            // unverified: OpenAI publishes no per-model figure; taken to match gpt-4o
            .maxTokensPerExample("gpt-4.1", 65_536)
            // the alias, -0125 and -1106; -0613 from the OpenAI cookbook
            .maxTokensPerExample("gpt-3.5-turbo", 16_385)
            .maxTokensPerExample("gpt-3.5-turbo-0613", 4_096)
            .build();

    /**
     * What the provider declares: its settings (the table above), default base model {@code
     * gpt-4o-mini-2024-07-18}, OpenAI chat JSONL uploads, {@link #RULES}, and every capability but
     * a cost preview. A trained model serves as soon as its job succeeds.
     */
    public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder(ID)
            .displayName("OpenAI")
            .setting(ProviderSetting.apiKey(API_KEY_ENV, "the API key"))
            .setting(ProviderSetting.endpoint(BASE_URL_ENV, DEFAULT_BASE_URL, "the API base URL, including the version"))
            .setting(ProviderSetting.builder(SETTING_ORGANIZATION, ProviderSetting.Type.TEXT)
                    .environmentVariable(ORGANIZATION_ENV).description("sent as the OpenAI-Organization header").build())
            .setting(ProviderSetting.builder(SETTING_PROJECT, ProviderSetting.Type.TEXT)
                    .environmentVariable(PROJECT_ENV).description("sent as the OpenAI-Project header").build())
            .setting(ProviderSetting.builder(SETTING_UPLOAD_PART_THRESHOLD, ProviderSetting.Type.NUMBER)
                    .defaultValue(Long.toString(FileUploader.DEFAULT_THRESHOLD_BYTES))
                    .description("files larger than this many bytes go through the Uploads API in parts").build())
            .setting(ProviderSetting.builder(SETTING_UPLOAD_PART_SIZE, ProviderSetting.Type.NUMBER)
                    .defaultValue(Long.toString(FileUploader.MAX_PART_BYTES))
                    .description("the size in bytes of each Uploads API part, at most 64 MiB").build())
            .setting(ProviderSetting.builder(SETTING_MAX_TOKENS_FIELD, ProviderSetting.Type.TEXT)
                    .defaultValue("max_completion_tokens")
                    .description("the chat output-limit field: max_completion_tokens, or max_tokens for older gateways")
                    .build())
            .defaultBaseModel("gpt-4o-mini-2024-07-18")
            .uploadFormat(DatasetFormat.OPENAI)
            .dataRules(RULES)
            .capabilities(Capabilities.of(Capability.TRAINING, Capability.CHAT, Capability.VALIDATION_FILE,
                    Capability.CANCEL, Capability.PAUSE_RESUME, Capability.CONTINUE_FROM_FINE_TUNED,
                    Capability.DELETE_MODEL, Capability.WEIGHTS, Capability.TOOLS, Capability.FIND_BY_TAG))
            .build();

    /** Creates the factory; all work happens in {@link #create}. */
    public OpenAiProviderFactory() {
        // ServiceLoader needs a public no-argument constructor.
    }

    /** {@link #DESCRIPTOR}. */
    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Creates the provider.
     *
     * @throws IllegalStateException when there is no API key (naming {@value #API_KEY_ENV}), or a
     *     base URL, header value or setting is not usable (naming where it came from)
     */
    @Override
    public OpenAiProvider create(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        ApiKey key = config.apiKey().orElseGet(() -> config.env(API_KEY_ENV).map(v -> {
            try {
                return ApiKey.of(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("environment variable " + API_KEY_ENV + ": " + e.getMessage(), e);
            }
        }).orElseThrow(() -> new IllegalStateException("no OpenAI API key: set the environment variable "
                + API_KEY_ENV + " or pass ProviderConfig.builder().apiKey(...)")));
        URI baseUrl = baseUrl(config);
        ProviderHttp.Builder http;
        try {
            http = ProviderHttp.builder(ID, baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage() + " (from " + baseUrlSource(config) + ")", e);
        }
        http.apiKey(key)
                .retry(config.retry())
                .timeout(config.timeout())
                .sleeper(config.sleeper())
                .clock(config.clock());
        config.httpClient().ifPresent(http::httpClient);
        Optional<String> organization = header(config, SETTING_ORGANIZATION, ORGANIZATION_ENV);
        Optional<String> project = header(config, SETTING_PROJECT, PROJECT_ENV);
        organization.ifPresent(v -> http.header("OpenAI-Organization", v));
        project.ifPresent(v -> http.header("OpenAI-Project", v));
        long threshold = bytes(config, SETTING_UPLOAD_PART_THRESHOLD, FileUploader.DEFAULT_THRESHOLD_BYTES, 0,
                Long.MAX_VALUE);
        long partSize = bytes(config, SETTING_UPLOAD_PART_SIZE, FileUploader.MAX_PART_BYTES, 1,
                FileUploader.MAX_PART_BYTES);
        String maxTokensField = config.setting(SETTING_MAX_TOKENS_FIELD).orElse("max_completion_tokens");
        if (!maxTokensField.equals("max_completion_tokens") && !maxTokensField.equals("max_tokens")) {
            throw new IllegalStateException("setting " + SETTING_MAX_TOKENS_FIELD + " is '" + maxTokensField
                    + "'; use max_completion_tokens or max_tokens");
        }
        ProviderHttp core = http.build();
        return new OpenAiProvider(core, new FileUploader(core, threshold, partSize, config.timeout()),
                maxTokensField, organization.map(o -> " organization=" + o).orElse("")
                        + project.map(p -> " project=" + p).orElse(""));
    }

    private static URI baseUrl(ProviderConfig config) {
        if (config.endpoint().isPresent()) {
            return config.endpoint().get();
        }
        Optional<String> env = config.env(BASE_URL_ENV);
        if (env.isEmpty()) {
            return URI.create(DEFAULT_BASE_URL);
        }
        try {
            return URI.create(env.get().strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable " + BASE_URL_ENV + " is not a URL: "
                    + e.getMessage(), e);
        }
    }

    private static String baseUrlSource(ProviderConfig config) {
        return config.endpoint().isPresent() ? "ProviderConfig.endpoint" : "environment variable " + BASE_URL_ENV;
    }

    private static Optional<String> header(ProviderConfig config, String setting, String env) {
        Optional<String> fromSetting = config.setting(setting).map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> value = fromSetting.or(() -> config.env(env).map(String::strip));
        value.ifPresent(v -> {
            if (!v.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalStateException((fromSetting.isPresent() ? "setting " + setting
                        : "environment variable " + env) + " must be printable ASCII without spaces");
            }
        });
        return value;
    }

    private static long bytes(ProviderConfig config, String setting, long fallback, long min, long max) {
        Optional<String> raw = config.setting(setting);
        if (raw.isEmpty()) {
            return fallback;
        }
        long v;
        try {
            v = Long.parseLong(raw.get().strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting " + setting + " is '" + raw.get() + "'; it must be a number of "
                    + "bytes", e);
        }
        if (v < min || v > max) {
            throw new IllegalStateException("setting " + setting + " is " + v + "; it must be from " + min + " to "
                    + max + " bytes");
        }
        return v;
    }
}
