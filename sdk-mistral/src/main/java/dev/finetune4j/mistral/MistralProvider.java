package dev.finetune4j.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.ProviderException;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.mistral.internal.JobCodec;
import dev.finetune4j.policy.MinimumExamples;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderConfig;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.ProviderSetting;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.JsonResponse;
import dev.finetune4j.spi.kit.Multipart;
import dev.finetune4j.spi.kit.OpenAiCompatibleChat;
import dev.finetune4j.spi.kit.ProviderErrors;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.RetrySafety;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mistral provider: files, fine-tuning jobs with the {@code auto_start: false} cost preview
 * and {@code /start}, fine-tuned models (delete, archive, unarchive) and chat completions, over
 * {@code https://api.mistral.ai/v1/...}.
 *
 * <p><b>Mistral fine-tuning is deprecated.</b> Since April 2026 Mistral's documentation lists
 * fine-tuning under "deprecated" ("no longer actively supported"); the endpoints still exist and no
 * shutdown date is announced. Chat with existing fine-tuned models is not affected.
 *
 * <h2>What it does, and the choices it makes</h2>
 *
 * <ul>
 *   <li><b>Upload</b>: {@code POST /v1/files}, multipart, {@code purpose=fine-tune}, the file
 *       streamed from disk, named {@code <label>-train.jsonl} / {@code <label>-validation.jsonl}.
 *       Retried like a safe call: Mistral returns the existing file for an identical name and
 *       content. A validation file over {@value #MAX_VALIDATION_BYTES} bytes (Mistral's 1 MB limit)
 *       is rejected before anything is uploaded, with an {@link IllegalArgumentException} that
 *       suggests a smaller validation fraction; it is never cut.
 *   <li><b>Create</b>: {@code POST /v1/fine_tuning/jobs}, never retried blindly (only a 429 or a
 *       connection that could not be opened is repeated). Our job id (16 characters) travels in
 *       {@code suffix}, Mistral's only free-text field on a job (at most 18 characters), so a
 *       {@linkplain dev.finetune4j.job.FineTuneSpec#suffix() suffix} the host app asked for is
 *       <em>not</em> sent (a warning is logged): the job id wins, and the fine-tuned model is named
 *       {@code ft:<base>:<hex>:<date>:<job id>:<hex>}. {@code auto_start} is the request's
 *       {@code start} flag; {@code start = false} is the cost preview (the legacy {@code dry_run}
 *       query parameter is not used). A 409 (Mistral refuses a job similar to one already queued,
 *       validated or running) becomes a non-retryable {@link ProviderException} saying so. See
 *       {@link JobCodec#requestBody} for the hyper-parameter mapping and the accepted options.
 *   <li><b>Cost preview</b>: after validation the job ({@code VALIDATED}, normalised to QUEUED)
 *       carries {@code metadata.cost}/{@code cost_currency} ({@link RemoteJob#costPreview()}),
 *       {@code expected_duration_seconds} ({@link RemoteJob#expectedDuration()}) and {@code
 *       train_tokens}; {@link #startJob} starts it.
 *   <li><b>Find by tag</b>: {@code GET /v1/fine_tuning/jobs?page=N&page_size=100&suffix=<tag>},
 *       keeping only jobs whose {@code suffix} equals the tag; at most {@value #FIND_MAX_PAGES}
 *       pages (1,000 jobs) are read should the server ignore the filter.
 *   <li><b>Events and metrics</b> come from the detailed job ({@code GET
 *       /v1/fine_tuning/jobs/{id}}): {@code events} oldest first, the cursor being the number of
 *       events already delivered; {@code checkpoints[].metrics} by {@code step_number}.
 *   <li><b>Statuses</b>: all ten are mapped, anything new is {@code UNKNOWN} with the raw string
 *       kept; see {@link JobCodec}.
 *   <li><b>Chat</b>: {@code POST /v1/chat/completions} through the kit's {@link
 *       OpenAiCompatibleChat}, with Mistral's field names and quirks ({@link #chat}).
 * </ul>
 *
 * <p>Capabilities: validation file, cancel, cost preview, delete model, weights, tools and find by
 * tag; no pause/resume and no continued training of a fine-tuned model (Mistral documents no way).
 * Per-message {@code weight} is passed through in the upload format: the mistral-finetune trainer
 * honours {@code weight: 0}, whether the hosted API does is UNVERIFIED.
 *
 * <p>Immutable and thread-safe. Create it with {@link #create(ProviderConfig)} or through
 * {@link MistralProviderFactory} (ServiceLoader id {@code mistral}).
 */
public final class MistralProvider implements Provider, TrainingService {

    /** The provider id. */
    public static final String ID = "mistral";

    /** The environment variable holding the API key. */
    public static final String API_KEY_ENV = "MISTRAL_API_KEY";

    /** The environment variable holding the base URL (the host, without {@code /v1}). */
    public static final String BASE_URL_ENV = "MISTRAL_BASE_URL";

    /** The base URL when neither the configuration nor the environment names one. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.mistral.ai");

    /**
     * The data rules: those of Mistral's format ({@link DatasetFormat#rules()}: one leading system
     * message, an assistant message last, tool call ids of exactly 9 letters and digits, each tool
     * message naming its call, every called tool defined, no content beside tool calls), and no
     * documented minimum number of examples.
     */
    public static final DataRules RULES = DatasetFormat.MISTRAL.rules().toBuilder()
            .minimumExamples(new MinimumExamples(1, 50, "Mistral fine-tuning docs: no documented minimum "
                    + "(undocumented); 50 is this library's recommendation"))
            .build();

    /**
     * What the provider declares: key ({@value #API_KEY_ENV}) and base URL ({@value #BASE_URL_ENV}),
     * default base model {@code open-mistral-7b} (the smallest that can be fine-tuned), Mistral JSONL
     * uploads, {@link #RULES}, and its capabilities: validation file, cancel, cost preview, delete
     * model, weights (UNVERIFIED for the hosted API), tools and find by tag; no pause/resume, no
     * continued training of a fine-tuned model. A trained model serves as soon as its job succeeds.
     */
    public static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder(ID)
            .displayName("Mistral")
            .setting(ProviderSetting.apiKey(API_KEY_ENV, "the API key"))
            .setting(ProviderSetting.endpoint(BASE_URL_ENV, DEFAULT_BASE_URL.toString(),
                    "the API host, without /v1 (paths /v1/... are appended)"))
            .defaultBaseModel("open-mistral-7b")
            .uploadFormat(DatasetFormat.MISTRAL)
            .dataRules(RULES)
            .capabilities(Capabilities.of(Capability.TRAINING, Capability.CHAT, Capability.VALIDATION_FILE,
                    Capability.CANCEL, Capability.COST_PREVIEW, Capability.DELETE_MODEL, Capability.WEIGHTS,
                    Capability.TOOLS, Capability.FIND_BY_TAG))
            .build();

    /** The largest validation file sent: Mistral limits validation data to 1 MB (read as 1 MiB). */
    public static final long MAX_VALIDATION_BYTES = 1024 * 1024;

    /** The most pages of 100 jobs {@link #findJobByTag} reads. */
    public static final int FIND_MAX_PAGES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.provider(ID));
    private static final int FIND_PAGE_SIZE = 100;
    /** Mistral's own SDK gives uploads 300 s when nothing else is configured. */
    private static final Duration MIN_UPLOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final String JOBS = "/v1/fine_tuning/jobs";
    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);

    private final ProviderHttp http;
    private final ApiKey apiKey;
    private final Duration uploadTimeout;
    private final OpenAiCompatibleChat chat;

    private MistralProvider(ProviderHttp http, ApiKey apiKey, Duration timeout) {
        this.http = http;
        this.apiKey = apiKey;
        this.chat = chatClient(http);
        this.uploadTimeout = timeout.compareTo(MIN_UPLOAD_TIMEOUT) > 0 ? timeout : MIN_UPLOAD_TIMEOUT;
    }

    /**
     * Creates the provider: the key from the configuration, else {@value #API_KEY_ENV}; the base URL
     * from the configuration, else {@value #BASE_URL_ENV}, else {@code https://api.mistral.ai} (paths
     * {@code /v1/...} are appended to it); retries, timeout, clock, sleeper and HTTP client from the
     * configuration.
     *
     * @throws IllegalStateException when no key is configured or set, or the key or base URL is
     *     unusable, naming the setting
     */
    public static MistralProvider create(ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        ApiKey key = config.apiKey().orElseGet(() -> {
            String raw = config.env(API_KEY_ENV).orElseThrow(() -> new IllegalStateException(
                    "mistral: no API key; set " + API_KEY_ENV + " or ProviderConfig.builder().apiKey(...)"));
            try {
                return ApiKey.of(raw);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("mistral: " + API_KEY_ENV + " is unusable: " + e.getMessage(), e);
            }
        });
        URI base = config.endpoint().orElseGet(() -> config.env(BASE_URL_ENV).map(v -> {
            try {
                return URI.create(v.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("mistral: " + BASE_URL_ENV + " '" + v + "' is not a URL", e);
            }
        }).orElse(DEFAULT_BASE_URL));
        base = baseUrl(base);
        ProviderHttp.Builder b = ProviderHttp.builder(ID, base)
                .apiKey(key)
                .retry(config.retry())
                .timeout(config.timeout())
                .clock(config.clock())
                .sleeper(config.sleeper());
        config.httpClient().ifPresent(b::httpClient);
        return new MistralProvider(b.build(), key, config.timeout());
    }

    private static URI baseUrl(URI uri) {
        String s = uri.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        URI u = URI.create(s);
        if (!u.isAbsolute() || u.getHost() == null
                || !("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))) {
            throw new IllegalStateException("mistral: base URL '" + uri + "' is not an absolute http(s) URL such as "
                    + DEFAULT_BASE_URL + " (set it in ProviderConfig or " + BASE_URL_ENV + ")");
        }
        return u;
    }

    /** The base URL calls go to, without {@code /v1}. */
    public URI baseUrl() {
        return http.baseUrl();
    }

    /** {@link #DESCRIPTOR}. */
    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Chat completions ({@code POST /v1/chat/completions}, plain and streamed) through {@link
     * OpenAiCompatibleChat}, with Mistral's differences: the token limit as {@code max_tokens}, the
     * seed as {@code random_seed}, no message {@code name} (Mistral's messages have none), an empty
     * object schema as the {@code parameters} of a tool defined without any (Mistral requires them),
     * and no {@code stream_options} (Mistral sends the usage in its last chunk unasked).
     */
    @Override
    public Optional<ChatService> chat() {
        return Optional.of(chat);
    }

    // ---- files --------------------------------------------------------------------------------

    /** The base URL: files belong to the workspace of the key, at one API. */
    @Override
    public String uploadScope() {
        return http.baseUrl().toString();
    }

    /**
     * Uploads the training file and, when present, the validation file ({@code POST /v1/files},
     * {@code purpose=fine-tune}, streamed).
     *
     * @throws IllegalArgumentException before any upload when the validation file is larger than
     *     {@value #MAX_VALIDATION_BYTES} bytes
     * @throws UncheckedIOException when a file cannot be read
     */
    @Override
    public UploadedData upload(TrainingData data) {
        Objects.requireNonNull(data, "data");
        Path validation = data.validation().orElse(null);
        if (validation != null) {
            long size = size(validation);
            if (size > MAX_VALIDATION_BYTES) {
                throw new IllegalArgumentException("the validation split of " + data.label() + " is " + size
                        + " bytes; Mistral accepts at most 1 MB (" + MAX_VALIDATION_BYTES + " bytes) of validation data."
                        + " Nothing was uploaded. Lower the validation fraction (FineTuning.builder().splitPolicy(new "
                        + "SplitPolicy(...))) so the split stays under 1 MB - Mistral suggests min(1 MB, 5% of the "
                        + "training data) - or submit without validation (FineTuneSpec validation(false))");
            }
        }
        Map<String, String> details = new LinkedHashMap<>();
        String base = fileName(data.label());
        String trainingId = uploadFile(data.trainingFile(), base + "-train.jsonl", "training", details);
        String validationId = validation == null ? null
                : uploadFile(validation, base + "-validation.jsonl", "validation", details);
        return new UploadedData(trainingId, validationId, details);
    }

    private String uploadFile(Path file, String name, String role, Map<String, String> details) {
        Multipart parts = Multipart.builder()
                .field("purpose", "fine-tune")
                .file("file", file, name, "application/jsonl")
                .build();
        // Safe to repeat: Mistral answers an upload of the same name and content with the existing file.
        JsonResponse r = http.sendJson(ApiRequest.post("/v1/files").multipart(parts).retrySafety(RetrySafety.SAFE)
                .timeout(uploadTimeout).build());
        String id = required(r, "POST", "/v1/files", "id", "the uploaded file's id");
        details.put(role + "_file", id);
        details.put(role + "_filename", name);
        details.put(role + "_bytes", Long.toString(size(file)));
        JsonNode lines = r.body().get("num_lines");
        if (lines != null && lines.isNumber()) {
            details.put(role + "_lines", lines.asText());
        }
        LOG.info("mistral: uploaded {} as {} ({})", name, id, role);
        return id;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }

    /** A file name Mistral shows in its console: the label's letters, digits, dots, dashes and underscores. */
    private static String fileName(String label) {
        String s = label.replaceAll("[^A-Za-z0-9._-]+", "-");
        return s.isEmpty() ? "finetune4j" : s;
    }

    // ---- jobs ---------------------------------------------------------------------------------

    /**
     * Creates the job ({@code POST /v1/fine_tuning/jobs}), with our tag as {@code suffix} and
     * {@code auto_start} = {@link JobRequest#start()}. Not retried unless the request certainly did
     * not arrive.
     *
     * @throws ProviderException with status 409, not retryable, when Mistral refuses the job because
     *     a similar one is already queued, validated or running
     * @throws IllegalArgumentException for an option or hyper-parameter Mistral cannot take (see
     *     {@link JobCodec#requestBody}), before anything is sent
     */
    /** Builds the create body without sending it: what Mistral cannot take fails before any upload. */
    @Override
    public void checkRequest(JobRequest request) {
        JobCodec.requestBody(Objects.requireNonNull(request, "request"));
    }

    @Override
    public RemoteJob createJob(JobRequest request) {
        Objects.requireNonNull(request, "request");
        JsonNode body = JobCodec.requestBody(request);
        JsonResponse r;
        try {
            r = http.sendJson(ApiRequest.post(JOBS).json(body).retrySafety(RetrySafety.UNSAFE).build());
        } catch (ProviderException e) {
            if (e.statusCode() == 409) {
                ProviderException clear = new ProviderException("mistral refused to create job " + request.tag()
                        + " on " + request.baseModel() + " (409 Conflict): a similar job is already queued, validated "
                        + "or running at Mistral. Wait for it to finish or cancel it, then submit again. " + e.getMessage(),
                        ID, 409, e.errorCode().orElse(null), e.requestId().orElse(null), e.rawBody(), false);
                clear.initCause(e);
                throw clear;
            }
            throw e;
        }
        RemoteJob job = parseJob(r, "POST", JOBS);
        LOG.info("mistral: created job {} for {} ({}, auto_start={})", job.remoteId(), request.tag(), job.rawStatus(),
                request.start());
        return job;
    }

    /** The job as {@code GET /v1/fine_tuning/jobs/{id}} reports it. */
    @Override
    public RemoteJob getJob(String remoteId) {
        String path = jobPath(remoteId);
        return parseJob(http.sendJson(ApiRequest.get(path).build()), "GET", path);
    }

    /**
     * Looks for the job whose {@code suffix} is this tag ({@code GET /v1/fine_tuning/jobs?suffix=...}),
     * reading at most {@value #FIND_MAX_PAGES} pages of 100. When several match (which the core never
     * causes), the one created first is returned.
     */
    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        List<JsonNode> found = new ArrayList<>();
        long seen = 0;
        for (int page = 0; page < FIND_MAX_PAGES; page++) {
            JsonResponse r = http.sendJson(ApiRequest.get(JOBS)
                    .query("page", Integer.toString(page))
                    .query("page_size", Integer.toString(FIND_PAGE_SIZE))
                    .query("suffix", tag)
                    .build());
            JsonNode data = r.body().path("data");
            for (JsonNode job : data) {
                if (tag.equals(job.path("suffix").asText(null))) {
                    found.add(job);
                }
            }
            seen += data.size();
            JsonNode total = r.body().get("total");
            if (data.size() < FIND_PAGE_SIZE || total != null && total.isNumber() && seen >= total.asLong()) {
                break;
            }
        }
        if (found.size() > 1) {
            LOG.warn("mistral: {} jobs carry the tag {}; adopting the one created first", found.size(), tag);
        }
        return found.stream()
                .min(Comparator.comparingLong(j -> j.path("created_at").asLong(Long.MAX_VALUE)))
                .map(j -> parseJob(j, "GET", JOBS));
    }

    /**
     * Starts a validated job created with {@code start = false} ({@code POST .../start}). Not
     * retried once the request may have arrived: the caller refreshes the job instead.
     */
    @Override
    public RemoteJob startJob(String remoteId) {
        String path = jobPath(remoteId) + "/start";
        RemoteJob job = parseJob(http.sendJson(ApiRequest.post(path).retrySafety(RetrySafety.UNSAFE).build()),
                "POST", path);
        LOG.info("mistral: started job {} ({})", remoteId, job.rawStatus());
        return job;
    }

    /** Cancels a job ({@code POST .../cancel}); Mistral answers {@code CANCELLATION_REQUESTED} first. */
    @Override
    public RemoteJob cancelJob(String remoteId) {
        String path = jobPath(remoteId) + "/cancel";
        return parseJob(http.sendJson(ApiRequest.post(path).retrySafety(RetrySafety.SAFE).build()), "POST", path);
    }

    /**
     * The events of the detailed job after the cursor, oldest first. The cursor is the number of
     * events delivered so far ({@code null} for none); the answer's cursor is the new count, or
     * {@code null} when no event is new.
     *
     * @throws IllegalArgumentException when the cursor is not one this provider handed out
     */
    @Override
    public EventPage events(String remoteId, String cursor) {
        int skip = 0;
        if (cursor != null) {
            try {
                skip = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mistral event cursor '" + cursor + "' is not a count of events", e);
            }
            if (skip < 0) {
                throw new IllegalArgumentException("mistral event cursor '" + cursor + "' is negative");
            }
        }
        List<JobEvent> all = JobCodec.events(detailed(remoteId));
        if (skip >= all.size()) {
            return new EventPage(List.of(), null);
        }
        return new EventPage(all.subList(skip, all.size()), Integer.toString(all.size()));
    }

    /** The metrics of the detailed job's checkpoints, by step. */
    @Override
    public List<MetricPoint> metrics(String remoteId) {
        return JobCodec.metrics(detailed(remoteId));
    }

    private JsonNode detailed(String remoteId) {
        return http.sendJson(ApiRequest.get(jobPath(remoteId)).build()).body();
    }

    private static String jobPath(String remoteId) {
        Objects.requireNonNull(remoteId, "remoteId");
        return JOBS + "/" + ApiRequest.segment(remoteId);
    }

    private RemoteJob parseJob(JsonResponse r, String method, String path) {
        return parseJob(r.body(), r, method, path);
    }

    private RemoteJob parseJob(JsonNode job, String method, String path) {
        return parseJob(job, null, method, path);
    }

    private RemoteJob parseJob(JsonNode job, JsonResponse r, String method, String path) {
        try {
            return JobCodec.job(job);
        } catch (IllegalArgumentException e) {
            throw unexpected(r, method, path, job, "the answer is not a fine-tuning job (" + e.getMessage() + ")");
        }
    }

    // ---- models -------------------------------------------------------------------------------

    /** Deletes a fine-tuned model ({@code DELETE /v1/models/{id}}); Mistral refuses base models with 403. */
    @Override
    public void deleteModel(String providerModelId) {
        String path = "/v1/models/" + ApiRequest.segment(Objects.requireNonNull(providerModelId, "providerModelId"));
        JsonNode answer = http.sendJson(ApiRequest.delete(path).build()).body();
        if (answer.has("deleted") && !answer.get("deleted").asBoolean()) {
            LOG.warn("mistral: DELETE {} answered deleted=false", path);
        }
    }

    /**
     * Archives a fine-tuned model ({@code POST /v1/fine_tuning/models/{id}/archive}): it stays, but
     * is hidden from model lists. Not part of the provider SPI.
     *
     * @return the {@code archived} flag Mistral reports (true on success)
     */
    public boolean archiveModel(String providerModelId) {
        String path = archivePath(providerModelId);
        return http.sendJson(ApiRequest.post(path).retrySafety(RetrySafety.SAFE).build()).body()
                .path("archived").asBoolean(true);
    }

    /**
     * Unarchives a fine-tuned model ({@code DELETE /v1/fine_tuning/models/{id}/archive}). Not part of
     * the provider SPI.
     *
     * @return the {@code archived} flag Mistral reports (false on success)
     */
    public boolean unarchiveModel(String providerModelId) {
        return http.sendJson(ApiRequest.delete(archivePath(providerModelId)).build()).body()
                .path("archived").asBoolean(false);
    }

    private static String archivePath(String providerModelId) {
        return "/v1/fine_tuning/models/" + ApiRequest.segment(Objects.requireNonNull(providerModelId, "providerModelId"))
                + "/archive";
    }

    // ---- chat ---------------------------------------------------------------------------------

    /** Mistral's chat: the path under the host, its field names and quirks (see {@link #chat}). */
    private static OpenAiCompatibleChat chatClient(ProviderHttp http) {
        return OpenAiCompatibleChat.builder(http)
                .path("/v1/chat/completions")
                .maxTokensField("max_tokens")
                .seedField("random_seed")
                .sendMessageName(false)
                .defaultToolParameters("{\"type\":\"object\",\"properties\":{}}")
                .streamUsage(false)
                .build();
    }

    /** Holds no resources of its own: the HTTP client is shared or the host app's. */
    @Override
    public void close() {
        // Nothing to release.
    }

    @Override
    public String toString() {
        return "MistralProvider[" + http.baseUrl() + "]";
    }

    // ---- errors -------------------------------------------------------------------------------

    private String required(JsonResponse r, String method, String path, String field, String what) {
        JsonNode v = r.body().get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw unexpected(r, method, path, r.body(), "the answer has no " + what + " ('" + field + "')");
        }
        return v.asText();
    }

    private ProviderException unexpected(JsonResponse r, String method, String path, JsonNode body, String what) {
        ProviderErrors.CallInfo call = new ProviderErrors.CallInfo(ID, method, path, apiKey);
        return ProviderErrors.unexpectedBody(call, r == null ? 200 : r.status(),
                r == null ? NO_HEADERS : r.headers(),
                body == null ? "" : body.toString(), what);
    }
}
