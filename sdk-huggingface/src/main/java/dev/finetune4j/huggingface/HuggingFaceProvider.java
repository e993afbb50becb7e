package dev.finetune4j.huggingface;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.ProviderException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.cost.Money;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.deployment.ServingAddress;
import dev.finetune4j.huggingface.internal.DatasetUploader;
import dev.finetune4j.huggingface.internal.EndpointDeployments;
import dev.finetune4j.huggingface.internal.HubApi;
import dev.finetune4j.huggingface.internal.JobJson;
import dev.finetune4j.huggingface.internal.JobLogs;
import dev.finetune4j.huggingface.internal.JobSpecs;
import dev.finetune4j.huggingface.internal.LfsUploader;
import dev.finetune4j.huggingface.internal.Pricing;
import dev.finetune4j.huggingface.internal.RepoNames;
import dev.finetune4j.huggingface.internal.ServedModels;
import dev.finetune4j.huggingface.internal.ServingChat;
import dev.finetune4j.huggingface.internal.TrainerLogs;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.DeploymentService;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderCache;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.JsonResponse;
import dev.finetune4j.spi.kit.OpenAiCompatibleChat;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.RetrySafety;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hugging Face provider: training data goes to a private Hub dataset repository, training
 * runs on Hugging Face Jobs (TRL SFT with LoRA, in a pinned container image), the adapter lands in
 * a private model repository you own, and chat goes to an OpenAI-compatible server that serves it
 * (vLLM, TGI, an Inference Endpoint). Create it with {@link HuggingFaceProviderFactory} (or let
 * {@link dev.finetune4j.spi.Providers} find it).
 *
 * <ul>
 *   <li>{@link #upload}: {@code {namespace}/{assistant}-data}, one commit per dataset version
 *       ({@code train.jsonl}, {@code validation.jsonl}), none when the Hub already holds the same
 *       files; references are {@code repo@commit:path}.
 *   <li>{@link #createJob}: {@code POST /api/jobs/{namespace}}, labelled {@code finetune4j_job} =
 *       our job id so {@link #findJobByTag} finds it after a crash; the model is {@code
 *       {namespace}/{assistant}-{job id}}. See {@link HuggingFaceOptions} for flavor, time limit,
 *       image, command and continue-training options.
 *   <li>{@link #events} and {@link #metrics}: the job's logs, the trainer's log dicts parsed into
 *       {@code train_loss}, {@code valid_loss}, ….
 *   <li>{@link #chat}: at a deployment's Inference Endpoint when the call names one; otherwise at
 *       the hand-configured serving endpoint, only after its {@code /models} confirms it serves the
 *       model (TGI would otherwise answer with its base model, silently).
 *   <li>{@link #deployments}: Inference Endpoints that serve the base model with the version's
 *       adapter through vLLM, named by our deployment id, scaled to zero when idle by default,
 *       checked to list the adapter before they count as ready; see {@link EndpointDeployments}.
 *   <li>{@link #estimateHours}: a local time and cost estimate.
 * </ul>
 *
 * <p>Every call goes through the library's HTTP core (retries, {@code Retry-After}, the Hub's
 * {@code ratelimit} header, deadlines, error mapping with {@code X-Error-Code}, {@code
 * X-Error-Message} and {@code X-Request-Id}); creating a job and committing are never repeated
 * after a failure that may have reached the Hub. The token is sent only to the Hub, to the
 * Inference Endpoints API and the endpoints it names, to a serving endpoint on Hugging Face's own
 * hosts when no serving key is set, and to a job or an endpoint only as a secret.
 *
 * <p>Thread-safe.
 */
public final class HuggingFaceProvider implements Provider, TrainingService {

    /** How many log lines one {@link #events} call returns at most. */
    public static final int EVENTS_MAX_LINES = 1000;

    /** How many pages of the labelled job list {@link #findJobByTag} reads at most. */
    public static final int FIND_BY_TAG_MAX_PAGES = 5;

    /** How long the live hardware prices are kept. */
    public static final Duration HARDWARE_CACHE = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.provider(HuggingFaceProviderFactory.ID));

    /** How long the token owner's name from whoami is kept in the {@link ProviderCache}. */
    public static final Duration WHOAMI_CACHE_AGE = Duration.ofDays(7);
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");
    private static final Pattern ERROR_LINE = Pattern.compile(
            "^(Traceback \\(most recent call last\\).*|[A-Za-z_.]*(Error|Exception)\\b.*|.*\\bERROR\\b.*)");

    private final HubApi hub;
    private final ApiKey token;
    private final String configuredNamespace;
    private final DatasetUploader uploader;
    private final JobLogs logs;
    private final JobSpecs.Defaults defaults;
    private final ProviderHttp serving;
    private final ChatService chat;
    private final EndpointDeployments deployments;
    private final Clock clock;
    private final ProviderCache cache;
    private volatile String namespace;
    private volatile Hardware hardware;

    private record Hardware(Map<String, BigDecimal> prices, Instant at) {}

    HuggingFaceProvider(HubApi hub, ApiKey token, String namespace, LfsUploader lfs, JobLogs logs,
            JobSpecs.Defaults defaults, ProviderHttp serving, ServedModels served, ProviderHttp endpointsApi,
            EndpointDeployments.Defaults deployDefaults, BiFunction<URI, Duration, ProviderHttp> endpointHttp,
            Clock clock, ProviderCache cache) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.token = Objects.requireNonNull(token, "token");
        this.configuredNamespace = namespace;
        this.namespace = namespace;
        this.uploader = new DatasetUploader(hub, lfs, this::namespace);
        this.logs = Objects.requireNonNull(logs, "logs");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.serving = serving;
        // the served-models check runs before every chat call: TGI would answer for an adapter it lacks
        ChatService configured = serving == null ? new NoServingEndpoint() : OpenAiCompatibleChat.builder(serving)
                .beforeCall(call -> {
                    if (served != null) {
                        served.require(call.model());
                    }
                })
                .build();
        this.chat = new ServingChat(serving == null ? null : serving.baseUrl(), configured, endpointHttp);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deployments = new EndpointDeployments(endpointsApi, this::namespace, token, deployDefaults,
                url -> endpointHttp.apply(url, Duration.ZERO),
                serving == null ? null : ServingAddress.url(serving.baseUrl()), clock);
    }

    /** {@link HuggingFaceProviderFactory#DESCRIPTOR}. */
    @Override
    public ProviderDescriptor descriptor() {
        return HuggingFaceProviderFactory.DESCRIPTOR;
    }

    /**
     * Chat at the serving endpoint ({@code POST {serving}/chat/completions}, plain and streamed,
     * through {@link OpenAiCompatibleChat}) with {@code model} = the adapter (or base model) name,
     * after checking that the endpoint serves it: a model it does not serve is a {@link
     * NotFoundException} (the router then falls back to the base model). Without a
     * configured serving endpoint every call fails with an {@link IllegalStateException} saying
     * how to configure one.
     */
    @Override
    public Optional<ChatService> chat() {
        return Optional.of(chat);
    }

    /**
     * Deployments on Inference Endpoints ({@code HF_ENDPOINTS_URL}, default {@value
     * HuggingFaceProviderFactory#DEFAULT_ENDPOINTS_URL}): an endpoint per deployment, named by its id,
     * serving the base model with the version's LoRA adapter through vLLM ({@code --enable-lora
     * --lora-modules ADAPTER=ADAPTER}), authenticated with the token, scaling to zero when idle
     * unless the spec keeps replicas; hardware and hourly prices from the endpoints' catalogue. A
     * hand-configured serving URL is a standing address: with one, activating a version needs no
     * deployment. See {@link EndpointDeployments} and docs/huggingface.md.
     */
    @Override
    public Optional<DeploymentService> deployments() {
        return Optional.of(deployments);
    }

    /**
     * The namespace (user or organisation) repositories and jobs live in: the {@code namespace}
     * setting, else the token owner's name from {@code GET /api/whoami-v2} — asked once per
     * provider, and kept for {@link #WHOAMI_CACHE_AGE} in the configuration's {@link
     * ProviderCache} (the CLI's is its store) under a hash of the token, since the Hub
     * rate-limits whoami.
     */
    public String namespace() {
        String ns = namespace;
        if (ns == null) {
            synchronized (this) {
                if (namespace == null) {
                    String key = "huggingface/whoami/" + tokenHash();
                    Optional<String> cached = cache.get(key, WHOAMI_CACHE_AGE)
                            .filter(RepoNames::isNamespace);
                    if (cached.isPresent()) {
                        namespace = cached.get();
                    } else {
                        namespace = RepoNames.requireNamespace(hub.whoami(), "the user name from /api/whoami-v2");
                        cache.put(key, namespace);
                    }
                    LOG.debug("huggingface: using namespace {} (the token's owner{})", namespace,
                            cached.isPresent() ? ", remembered" : "");
                }
                ns = namespace;
            }
        }
        return ns;
    }

    /** The first 128 bits of the token's SHA-256, hex: names the token in the cache without revealing it. */
    private String tokenHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.value().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * The Hub URL and the {@link #namespace()} the dataset repositories live in (asking the Hub
     * who the token belongs to when the namespace is not set).
     */
    @Override
    public String uploadScope() {
        return hub.http().baseUrl() + " namespace=" + namespace();
    }

    /**
     * Pushes the dataset version to the private dataset repository {@code
     * {namespace}/{assistant}-data} (created if needed), or finds it already there; see {@link
     * DatasetUploader} for the steps. Returns {@code repo@commit:train.jsonl} (and the validation
     * reference); details hold the repository, commit, sizes, SHA-256s and whether it was reused.
     */
    @Override
    public UploadedData upload(TrainingData data) {
        Objects.requireNonNull(data, "data");
        return uploader.upload(data);
    }

    /**
     * Refuses, before any data is uploaded, a request whose options or start flag a job could not
     * take: an unknown option, a per-job namespace, {@code start = false}, a flavor that is not a
     * hardware name, an empty image or command, a LoRA rank or alpha below 1.
     */
    @Override
    public void checkRequest(JobRequest request) {
        JobSpecs.check(Objects.requireNonNull(request, "request"), defaults);
    }

    /**
     * Creates a Hugging Face Job that trains a LoRA adapter with TRL and pushes it to {@code
     * {namespace}/{assistant}-{tag}}. The token travels in {@code secrets.HF_TOKEN}, never in
     * {@code environment}. When the base model is an adapter repository (it has an {@code
     * adapter_config.json}), or the option {@code adapter} names one, the job loads that adapter on
     * its base model and trains it further, by default at a tenth of the learning rate and for one
     * epoch. Never repeated after a failure that may have reached the Hub.
     *
     * @throws IllegalArgumentException for unusable options, {@code start = false} or data not
     *     uploaded by this provider, before anything is sent
     */
    @Override
    public RemoteJob createJob(JobRequest request) {
        Objects.requireNonNull(request, "request");
        String ns = namespace();
        JobSpecs.Plan plan = JobSpecs.plan(request, ns, defaults, this::adapterBase);
        ObjectNode body = JobSpecs.body(plan, token.value());
        JsonNode answer = hub.http().postJson("/api/jobs/" + ApiRequest.segment(ns), body, RetrySafety.UNSAFE);
        RemoteJob job = JobJson.job(answer);
        LOG.info("huggingface: job {} created for {} on {} ({}{}), adapter -> {}", job.remoteId(), request.tag(),
                plan.flavor(), plan.baseModel(), plan.continues() ? ", continuing " + plan.adapter() : "",
                plan.hubModelId());
        return job;
    }

    /** The base model of an adapter repository, or empty when the model is not an adapter. */
    private Optional<String> adapterBase(String model) {
        if (!model.contains("/")) {
            return Optional.empty();
        }
        try {
            return hub.modelFile(model, "main", "adapter_config.json")
                    .map(c -> c.path("base_model_name_or_path").asText(""))
                    .filter(s -> !s.isBlank());
        } catch (ProviderException e) {
            if (e.statusCode() == 401 || e.statusCode() == 403) {
                // The Hub answers 401 for repositories it will not show; a base model it will not show fails
                // in the job with its own message, so it is not an adapter here.
                LOG.debug("huggingface: cannot read {}/adapter_config.json ({}); treating it as a base model", model,
                        e.statusCode());
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The job ({@code GET /api/jobs/{namespace}/{id}}). */
    @Override
    public RemoteJob getJob(String remoteId) {
        return JobJson.job(hub.http().getJson(jobPath(remoteId)));
    }

    /**
     * Finds the job with the label {@code finetune4j_job} = {@code tag}: {@code GET
     * /api/jobs/{namespace}?label=finetune4j_job=<tag>}, following {@code Link: rel="next"} for at
     * most {@value #FIND_BY_TAG_MAX_PAGES} pages. Labels are checked again here, so a server that
     * ignores the filter still gives the right answer within those pages; of two jobs with the tag
     * the oldest wins.
     */
    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        String label = RepoNames.labelValue(tag);
        ApiRequest request = ApiRequest.get("/api/jobs/" + ApiRequest.segment(namespace()))
                .query("label", JobSpecs.LABEL_JOB + "=" + label).build();
        List<RemoteJob> found = new ArrayList<>();
        for (int page = 1; request != null && page <= FIND_BY_TAG_MAX_PAGES; page++) {
            JsonResponse answer = hub.http().sendJson(request);
            JsonNode list = answer.body().isArray() ? answer.body() : answer.body().path("jobs");
            for (JsonNode j : list) {
                if (label.equals(j.path("labels").path(JobSpecs.LABEL_JOB).asText())) {
                    found.add(JobJson.job(j));
                }
            }
            request = next(answer).map(uri -> ApiRequest.absolute("GET", uri).build()).orElse(null);
        }
        return found.stream().min(Comparator.comparing((RemoteJob j) -> j.createdAt().orElse(Instant.MAX)));
    }

    private static Optional<URI> next(JsonResponse answer) {
        for (String link : answer.headers().allValues("Link")) {
            Matcher m = NEXT_LINK.matcher(link);
            if (m.find()) {
                return Optional.of(URI.create(m.group(1)));
            }
        }
        return Optional.empty();
    }

    /**
     * Not supported: Hugging Face Jobs start when created.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public RemoteJob startJob(String remoteId) {
        throw new UnsupportedOperationException("huggingface: jobs start when created; there is nothing to start "
                + "(capability costPreview is false)");
    }

    /** Cancels ({@code POST …/cancel}, safe to repeat) and returns the job as it is then. */
    @Override
    public RemoteJob cancelJob(String remoteId) {
        hub.http().sendJson(ApiRequest.post(jobPath(remoteId) + "/cancel").retrySafety(RetrySafety.SAFE).build());
        return getJob(remoteId);
    }

    /**
     * The job's log lines after the cursor (the number of lines seen, {@code null} for none), at
     * most {@value #EVENTS_MAX_LINES}, as events: id = line number, time = the line's timestamp,
     * level {@code error} for tracebacks and error lines, {@code warn} for warnings, and the
     * trainer's metrics when the line logs some. Reads what is available now (see {@link JobLogs}),
     * never follows a running job.
     */
    @Override
    public EventPage events(String remoteId, String cursor) {
        long seen = 0;
        if (cursor != null) {
            try {
                seen = Math.max(0, Long.parseLong(cursor));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("huggingface: event cursor '" + cursor + "' is not a line count", e);
            }
        }
        JobLogs.Read read = logs.read(namespace(), requireId(remoteId), seen, EVENTS_MAX_LINES);
        List<JobEvent> events = new ArrayList<>();
        for (JobLogs.Line l : read.lines()) {
            events.add(new JobEvent(Long.toString(l.number()), l.at() != null ? l.at() : clock.instant(), level(l.text()),
                    l.text(), TrainerLogs.metrics(l.text())));
        }
        String next = events.isEmpty() ? cursor : events.get(events.size() - 1).id();
        return new EventPage(events, next);
    }

    private static String level(String line) {
        String s = line.strip();
        if (ERROR_LINE.matcher(s).matches()) {
            return "error";
        }
        return s.toLowerCase(Locale.ROOT).contains("warning") || s.contains("WARN") ? "warn" : "info";
    }

    /**
     * The trainer's metrics from the whole log available now: one point per training log line
     * ({@code train_loss}, {@code learning_rate}, {@code epoch}, …) with the evaluation that
     * follows it merged in ({@code valid_loss}, …); see {@link TrainerLogs}.
     */
    @Override
    public List<MetricPoint> metrics(String remoteId) {
        TrainerLogs.Collector collector = new TrainerLogs.Collector();
        logs.readAll(namespace(), requireId(remoteId), l -> collector.accept(l.text()));
        return collector.points();
    }

    /**
     * Deletes the model repository ({@code DELETE /api/repos/delete}, type {@code model}); one
     * already gone counts as deleted. Served copies (vLLM, TGI, Inference Endpoints) are not touched.
     *
     * @throws IllegalArgumentException when the id is not {@code namespace/name}
     */
    @Override
    public void deleteModel(String providerModelId) {
        Objects.requireNonNull(providerModelId, "providerModelId");
        hub.deleteRepo(providerModelId, "model");
    }

    /** Chat without a serving endpoint: every call says how to configure one. */
    private static final class NoServingEndpoint implements ChatService {
        @Override
        public ChatResult chat(ChatCall call) {
            throw missing();
        }

        @Override
        public void chatStream(ChatCall call, ChatStreamListener listener) {
            throw missing();
        }

        private static IllegalStateException missing() {
            return new IllegalStateException("huggingface: no serving endpoint for chat; deploy the model version "
                    + "(finetune4j deploy ASSISTANT VERSION --wait), or set the environment variable "
                    + HuggingFaceProviderFactory.SERVING_URL_ENV + " or the provider setting '"
                    + HuggingFaceProviderFactory.SETTING_SERVING_URL + "' to an OpenAI-compatible URL including /v1 "
                    + "(vLLM, TGI or an Inference Endpoint) that serves it");
        }
    }

    /**
     * Estimates a training run: {@code duration = 10 min + tokens × epochs / throughput(flavor)}
     * and {@code cost = duration × hourly price(flavor)}. The hourly price comes from {@code GET
     * /api/jobs/hardware} when the Hub answers (kept an hour), else from the documented table
     * ({@code cpu-basic} $0.01, {@code t4-small} $0.40, {@code a10g-small} $1.00, {@code
     * a10g-large} $1.50, {@code a100-large} $2.50, {@code h200} $5.00, …); the throughput is an
     * assumption for models of about 0.5 to 1.5 billion parameters ({@code a10g-small} 5,000
     * tokens/s, {@code a100-large} 12,000, {@code h200} 25,000, …) — use {@link
     * #estimateHours(long, int, String, double)} with your own figure for larger models.
     *
     * @param tokens training tokens in one epoch (the estimate's token statistics)
     * @param epochs epochs (3 for a new adapter, 1 when continuing, unless set)
     * @throws IllegalArgumentException for a negative count or a flavor with no known throughput
     *     or price
     */
    public TrainingEstimate estimateHours(long tokens, int epochs, String flavor) {
        Objects.requireNonNull(flavor, "flavor");
        Double tps = Pricing.TOKENS_PER_SECOND.get(flavor);
        if (tps == null) {
            throw new IllegalArgumentException("huggingface: no assumed throughput for flavor '" + flavor + "'; known: "
                    + String.join(", ", Pricing.TOKENS_PER_SECOND.keySet())
                    + ". Pass your own with estimateHours(tokens, epochs, flavor, tokensPerSecond)");
        }
        return estimateHours(tokens, epochs, flavor, tps);
    }

    /**
     * Estimates a training run with a throughput you measured; otherwise as {@link
     * #estimateHours(long, int, String)}.
     *
     * @throws IllegalArgumentException for a negative count, a throughput that is not positive, or a
     *     flavor with no price
     */
    public TrainingEstimate estimateHours(long tokens, int epochs, String flavor, double tokensPerSecond) {
        Objects.requireNonNull(flavor, "flavor");
        if (tokens < 0 || epochs < 1) {
            throw new IllegalArgumentException("tokens must be >= 0 and epochs >= 1, were " + tokens + " and " + epochs);
        }
        if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
            throw new IllegalArgumentException("tokensPerSecond must be positive, was " + tokensPerSecond);
        }
        Map<String, BigDecimal> live = livePrices();
        BigDecimal hourly = live.get(flavor);
        boolean isLive = hourly != null;
        if (hourly == null) {
            hourly = Pricing.HOURLY_USD.get(flavor);
        }
        if (hourly == null) {
            throw new IllegalArgumentException("huggingface: no price for flavor '" + flavor + "'; known: "
                    + String.join(", ", Pricing.HOURLY_USD.keySet()));
        }
        long seconds = Pricing.OVERHEAD_SECONDS + (long) Math.ceil((double) tokens * epochs / tokensPerSecond);
        return new TrainingEstimate(flavor, tokens, epochs, tokensPerSecond, Duration.ofSeconds(seconds),
                new Money(hourly, "USD"), Pricing.cost(hourly, seconds), isLive);
    }

    /** Live hourly prices, or none when the Hub cannot say. */
    private Map<String, BigDecimal> livePrices() {
        Hardware h = hardware;
        Instant now = clock.instant();
        if (h != null && Duration.between(h.at(), now).compareTo(HARDWARE_CACHE) < 0) {
            return h.prices();
        }
        Map<String, BigDecimal> prices;
        try {
            prices = Pricing.fromHardware(hub.http().getJson("/api/jobs/hardware"));
        } catch (FineTuneException e) {
            LOG.debug("huggingface: hardware prices not available ({}); using the documented table", e.getMessage());
            prices = Map.of();
        }
        hardware = new Hardware(Map.copyOf(prices), now);
        return prices;
    }

    private String jobPath(String remoteId) {
        return "/api/jobs/" + ApiRequest.segment(namespace()) + "/" + ApiRequest.segment(requireId(remoteId));
    }

    private static String requireId(String remoteId) {
        Objects.requireNonNull(remoteId, "remoteId");
        if (remoteId.isBlank()) {
            throw new IllegalArgumentException("a job id is blank");
        }
        return remoteId;
    }

    /** Nothing to release: the HTTP clients are shared (or the host app's). */
    @Override
    public void close() {
        // The JDK HTTP clients are shared or owned by the host app; the log watchdog thread is a shared daemon.
    }

    @Override
    public String toString() {
        return "HuggingFaceProvider[hub=" + hub.http().baseUrl() + ", namespace="
                + (configuredNamespace != null ? configuredNamespace : "(token owner)") + ", serving="
                + (serving == null ? "none" : serving.baseUrl()) + ", endpoints=" + deployments.apiUrl() + "]";
    }
}
