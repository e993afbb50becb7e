package dev.finetune4j.together;

import dev.finetune4j.dataset.DataCheck;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.http.ApiKey;
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
import java.util.Objects;
import java.util.Optional;

/**
 * Creates the {@link TogetherProvider}; registered for {@link java.util.ServiceLoader} under the id
 * {@value #ID}.
 *
 * <p>Configuration, code first, then the environment ({@link ProviderConfig#env}), as Together's
 * own clients read it:
 *
 * <table>
 *   <caption>Where each setting comes from</caption>
 *   <tr><th>what</th><th>in code</th><th>environment</th><th>default</th></tr>
 *   <tr><td>API key (required)</td><td>{@code apiKey(...)}</td><td>{@value #API_KEY_ENV}</td><td>none</td></tr>
 *   <tr><td>base URL, including {@code /v1}</td><td>{@code endpoint(...)}</td><td>{@value #BASE_URL_ENV}</td>
 *       <td>{@value #DEFAULT_BASE_URL}</td></tr>
 * </table>
 *
 * HTTP client, retries, per-attempt timeout, clock and sleeper come from the {@link
 * ProviderConfig}; uploads and weight downloads get at least {@link #MIN_TRANSFER_TIMEOUT} per
 * attempt. Cheap to instantiate; thread-safe.
 */
public final class TogetherProviderFactory implements ProviderFactory {

    /** The provider id. */
    public static final String ID = "together";

    /** The environment variable holding the API key (as in Together's Python and TypeScript clients). */
    public static final String API_KEY_ENV = "TOGETHER_API_KEY";

    /** The environment variable overriding the base URL (as in Together's clients). */
    public static final String BASE_URL_ENV = "TOGETHER_BASE_URL";

    /**
     * The base URL used when none is configured: the one Together's API reference and its v2 client
     * name ({@code https://api.together.xyz/v1}, the older host, still appears in its docs).
     */
    public static final String DEFAULT_BASE_URL = "https://api.together.ai/v1";

    /**
     * The base model used when none is named: the Llama 3.1 8B Instruct reference model, Together's
     * own example model and the smallest base whose LoRA adapters Together serves serverless, so a
     * trained version answers chat without a paid dedicated endpoint.
     */
    public static final String DEFAULT_BASE_MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";

    /** The least per-attempt timeout of an upload or a weights download. */
    public static final Duration MIN_TRANSFER_TIMEOUT = Duration.ofMinutes(10);

    /**
     * The data rules: the shared checks, plus what Together's own file check refuses that they
     * allow (two messages of one role in a row); at least one example (the checker's {@code
     * MIN_SAMPLES}); the SFT context length of the Llama bases Together lists (131,072 tokens; the
     * limits of other bases are Together's to say, {@code GET /fine-tunes/models/limits}).
     */
    public static final DataRules RULES = DataRules.builder("Together AI")
            .enable(DataCheck.NO_REPEATED_ROLE)
            .minimumExamples(new MinimumExamples(1, 50, "Together's file check: at least 1 example "
                    + "(together-python MIN_SAMPLES); 50 is this library's recommendation"))
            .maxTokensPerExample("meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", 131_072)
            .maxTokensPerExample("meta-llama/Llama-3.2-1B-Instruct", 131_072)
            .maxTokensPerExample("meta-llama/Llama-3.2-3B-Instruct", 131_072)
            .build();

    /** How the provider bills training, for where no price is known. */
    static final String PRICING_NOTE = "bills the tokens processed (epochs x training tokens + evaluations x "
            + "validation tokens) at a rate per model size, SFT or DPO, LoRA or full (together.ai/pricing; no rates are "
            + "bundled); Together quotes each job on its uploaded files before it is created (estimate-price; "
            + "kept on every submitted job's estimate), and a finished job's own price is recorded on "
            + "its version";

    /**
     * What the provider declares: key ({@value #API_KEY_ENV}) and base URL ({@value #BASE_URL_ENV}),
     * default base model {@value #DEFAULT_BASE_MODEL}, OpenAI chat JSONL uploads (checked against
     * Together's own file check before anything is sent), {@link #RULES}, and its capabilities:
     * validation file, cancel, continuing from a fine-tuned model ({@code from_checkpoint}), delete
     * model (the job that trained it), weights, tools, find by tag, and deployments on dedicated
     * endpoints (stopped and started as pause and resume), and price quotes ({@code
     * estimate-price}). No pause of jobs and no cost preview.
     * Trained models need a deployment unless Together serves them serverless: the descriptor says
     * they need one, and the deployment service's standing address is the model itself for a LoRA
     * adapter on a base Together serves LoRA adapters on ({@code internal.ServerlessLora}), so such a
     * version activates and answers with no endpoint, while a full fine-tune (or an adapter on another
     * base) is deployed on a dedicated endpoint first.
     */
    public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder(ID)
            .displayName("Together AI")
            .setting(ProviderSetting.apiKey(API_KEY_ENV, "the Together API key"))
            .setting(ProviderSetting.endpoint(BASE_URL_ENV, DEFAULT_BASE_URL, "the API base URL, including /v1"))
            .defaultBaseModel(DEFAULT_BASE_MODEL)
            .uploadFormat(DatasetFormat.OPENAI)
            .dataRules(RULES)
            .capabilities(Capabilities.of(Capability.TRAINING, Capability.CHAT, Capability.VALIDATION_FILE,
                    Capability.CANCEL, Capability.CONTINUE_FROM_FINE_TUNED, Capability.DELETE_MODEL,
                    Capability.WEIGHTS, Capability.TOOLS, Capability.FIND_BY_TAG, Capability.DEPLOY,
                    Capability.PAUSE_DEPLOYMENT, Capability.PRICE_QUOTE))
            .pricingNote(PRICING_NOTE)
            .trainedModelsNeedDeployment(true)
            .build();

    /** Creates the factory; all work happens in {@link #create}. */
    public TogetherProviderFactory() {
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
     * @throws IllegalStateException when there is no API key (naming {@value #API_KEY_ENV}), or the
     *     key or base URL is not usable (naming where it came from)
     */
    @Override
    public TogetherProvider create(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        ApiKey key = config.apiKey().orElseGet(() -> config.env(API_KEY_ENV).map(v -> {
            try {
                return ApiKey.of(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("environment variable " + API_KEY_ENV + ": " + e.getMessage(), e);
            }
        }).orElseThrow(() -> new IllegalStateException("no Together AI API key: set the environment variable "
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
        Duration transfer = config.timeout().compareTo(MIN_TRANSFER_TIMEOUT) > 0 ? config.timeout()
                : MIN_TRANSFER_TIMEOUT;
        return new TogetherProvider(http.build(), transfer, config.clock());
    }

    private static URI baseUrl(ProviderConfig config) {
        if (config.endpoint().isPresent()) {
            return config.endpoint().get();
        }
        Optional<String> env = config.env(BASE_URL_ENV).map(String::strip).filter(s -> !s.isEmpty());
        if (env.isEmpty()) {
            return URI.create(DEFAULT_BASE_URL);
        }
        try {
            return URI.create(env.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable " + BASE_URL_ENV + " is not a URL: "
                    + e.getMessage(), e);
        }
    }

    private static String baseUrlSource(ProviderConfig config) {
        return config.endpoint().isPresent() ? "ProviderConfig.endpoint" : "environment variable " + BASE_URL_ENV;
    }
}
