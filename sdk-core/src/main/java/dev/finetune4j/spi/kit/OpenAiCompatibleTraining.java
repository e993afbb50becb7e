package dev.finetune4j.spi.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderError;
import dev.finetune4j.ProviderException;
import dev.finetune4j.internal.json.FineTuningJson;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.spi.UploadedData;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tuning over OpenAI's fine-tuning protocol, for every service that speaks it (OpenAI, Azure
 * OpenAI's {@code /openai/v1}, gateways): training files sent to {@code POST /files} with {@code
 * purpose=fine-tune}, supervised jobs under {@code /fine_tuning/jobs} (create, retrieve, list by
 * our tag, cancel, pause, resume, events, checkpoints) and fine-tuned models deleted with {@code
 * DELETE /models/{id}}. A provider builds one on its {@link ProviderHttp} (whose base URL is the
 * API root the paths are appended to) and configures what its service does differently ({@link
 * Builder}); its {@link dev.finetune4j.spi.Provider#training()} returns it or delegates to it.
 * Part of the provider kit (see the package documentation).
 *
 * <h2>What it sends</h2>
 *
 * <ul>
 *   <li><b>Upload</b>: each file as {@code multipart/form-data} with the parts {@code purpose}
 *       ({@code fine-tune}) and {@code file} (streamed from disk, named after the data's label:
 *       {@code LABEL.jsonl}, {@code LABEL-validation.jsonl}), safe to repeat; a file above the
 *       {@linkplain Builder#largeFiles large-file threshold} goes the provider's own way.
 *   <li><b>Create</b>: {@code model}, {@code training_file}, {@code validation_file}, {@code
 *       method: {type: "supervised", supervised: {hyperparameters: {n_epochs, batch_size,
 *       learning_rate_multiplier}}}} with only what is set, {@code suffix}, {@code seed}, {@code
 *       metadata: {finetune4j_job: TAG, finetune4j_assistant: NAME}} (unless turned off), then
 *       what the request's provider options write. Never repeated after a failure that may have
 *       reached the service: the core looks the job up by its tag instead ({@link #findJobByTag}).
 *   <li><b>Find by tag</b>: {@code GET /fine_tuning/jobs?limit=100} (with {@code
 *       metadata[finetune4j_job]=TAG} when the service filters on it), then {@code after=<last
 *       id>}, at most {@value #FIND_BY_TAG_MAX_PAGES} pages; the tag is checked again on each job.
 *   <li><b>Events</b>: {@code GET …/events?limit=100[&after=…]}. The protocol lists events newest
 *       first and {@code after} pages towards older ones, so this reads from the newest page back
 *       to the cursor (at most {@value #EVENTS_MAX_PAGES} pages) and hands them over oldest first.
 *   <li><b>Metrics</b>: {@code GET …/checkpoints?limit=100[&after=…]}, at most {@value
 *       #CHECKPOINTS_MAX_PAGES} pages; one point per checkpoint, by ascending step.
 *   <li><b>Cancel, pause, resume</b>: {@code POST …/cancel}, {@code …/pause}, {@code …/resume}.
 * </ul>
 *
 * Statuses: {@code validating_files, queued, running, paused, succeeded, failed, cancelled}, and
 * {@link dev.finetune4j.job.JobStatus#UNKNOWN} (polled on) for anything else, the raw string kept.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenAiCompatibleTraining implements TrainingService {

    /** The metadata key holding the core's tag (its job id). */
    public static final String TAG_KEY = FineTuningJson.TAG_KEY;

    /** The metadata key holding the assistant's name. */
    public static final String ASSISTANT_KEY = FineTuningJson.ASSISTANT_KEY;

    /** The longest metadata value the protocol accepts. */
    public static final int MAX_METADATA_VALUE_LENGTH = 512;

    /** How many jobs {@link #findJobByTag} asks for per page. */
    public static final int FIND_BY_TAG_PAGE_SIZE = 100;

    /** How many pages of the job list {@link #findJobByTag} reads at most. */
    public static final int FIND_BY_TAG_MAX_PAGES = 5;

    /** How many events {@link #events} asks for per page. */
    public static final int EVENTS_PAGE_SIZE = 100;

    /** How many pages of events one {@link #events} call reads at most. */
    public static final int EVENTS_MAX_PAGES = 50;

    /** How many checkpoints {@link #metrics} asks for per page. */
    public static final int CHECKPOINTS_PAGE_SIZE = 100;

    /** How many pages of checkpoints {@link #metrics} reads at most. */
    public static final int CHECKPOINTS_MAX_PAGES = 20;

    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);
    private static final long ASSUMED_BYTES_PER_SECOND = 1024 * 1024;
    private static final String JOBS = "/fine_tuning/jobs";

    /**
     * Sends one file the provider's own way (OpenAI's Uploads API, in parts) and returns the file
     * id the jobs refer to.
     */
    @FunctionalInterface
    public interface FileSender {
        /**
         * Sends {@code file}.
         *
         * @param filename the name to give it
         * @param bytes its size
         * @return the file id
         */
        String send(Path file, String filename, long bytes);
    }

    private final ProviderHttp http;
    private final Logger log;
    private final String provider;
    private final Duration timeout;
    private final String partContentType;
    private final long largeFileThreshold;
    private final String largeFileRoute;
    private final FileSender largeFileSender;
    private final int maxSuffixLength;
    private final Pattern suffixPattern;
    private final String suffixDescription;
    private final boolean metadataTag;
    private final boolean filterByMetadata;
    private final boolean tagAsDefaultSuffix;
    private final Map<String, BiConsumer<String, ObjectNode>> options;
    private final Map<String, String> optionDefaults;
    private final Predicate<String> fineTunedModels;
    private final boolean modelDeletion;

    private OpenAiCompatibleTraining(Builder b) {
        this.http = b.http;
        this.log = LoggerFactory.getLogger(LoggerNames.provider(b.http.provider()));
        this.provider = b.http.provider();
        this.timeout = b.timeout;
        this.partContentType = b.partContentType;
        this.largeFileThreshold = b.largeFileThreshold;
        this.largeFileRoute = b.largeFileRoute;
        this.largeFileSender = b.largeFileSender;
        this.maxSuffixLength = b.maxSuffixLength;
        this.suffixPattern = b.suffixPattern;
        this.suffixDescription = b.suffixDescription;
        this.metadataTag = b.metadataTag;
        this.filterByMetadata = b.filterByMetadata;
        this.tagAsDefaultSuffix = b.tagAsDefaultSuffix;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
        this.optionDefaults = Map.copyOf(b.optionDefaults);
        this.fineTunedModels = b.fineTunedModels;
        this.modelDeletion = b.modelDeletion;
    }

    /** A builder over {@code http}, whose base URL is the API root ({@code https://api.openai.com/v1}). */
    public static Builder builder(ProviderHttp http) {
        return new Builder(http);
    }

    // ---- files ---------------------------------------------------------------------------------

    /**
     * Uploads the training file and, when present, the validation file.
     *
     * @return the file ids, with details {@code training_file}, {@code training_bytes}, {@code
     *     training_filename}, {@code training_upload} ({@code files}, or the large-file route's
     *     name), the same for {@code validation_}, and {@code training_examples}
     */
    @Override
    public UploadedData upload(TrainingData data) {
        Objects.requireNonNull(data, "data");
        String base = fileBase(data.label());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("training_examples", Long.toString(data.trainingExamples()));
        String training = uploadOne(data.trainingFile(), base + ".jsonl", "training", details);
        String validation = data.validation().isPresent()
                ? uploadOne(data.validation().get(), base + "-validation.jsonl", "validation", details)
                : null;
        return new UploadedData(training, validation, details);
    }

    /** The label as a file name: letters, digits, {@code . _ -}; at most 100 characters. */
    static String fileBase(String label) {
        String s = label.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (s.length() > 100) {
            s = s.substring(0, 100);
        }
        return s.isEmpty() ? "training" : s;
    }

    private String uploadOne(Path file, String filename, String role, Map<String, String> details) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new FineTuneException("cannot read the " + role + " file " + file + ": " + e.getMessage(), e);
        }
        boolean large = largeFileSender != null && size > largeFileThreshold;
        String id = large ? largeFileSender.send(file, filename, size) : uploadFile(file, filename);
        details.put(role + "_file", id);
        details.put(role + "_bytes", Long.toString(size));
        details.put(role + "_filename", filename);
        details.put(role + "_upload", large ? largeFileRoute : "files");
        log.debug("{}: uploaded {} ({} bytes) as {}", provider, filename, size, id);
        return id;
    }

    /**
     * Sends one file with {@code POST /files} ({@code purpose=fine-tune}, the file part streamed
     * from disk with the configured content type); safe to repeat. Its per-attempt timeout is the
     * configured one plus a second per MiB.
     *
     * @return the file id
     * @throws ProviderException when the answer has no {@code id}
     */
    public String uploadFile(Path file, String filename) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(filename, "filename");
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new FineTuneException("cannot read " + file + " to upload it: " + e.getMessage(), e);
        }
        Multipart body = Multipart.builder()
                .field("purpose", "fine-tune")
                .file("file", file, filename, partContentType)
                .build();
        JsonNode answer = http.sendJson(ApiRequest.post("/files").multipart(body).retrySafety(RetrySafety.SAFE)
                .timeout(timeoutFor(size)).build()).body();
        String id = FineTuningJson.text(answer, "id");
        if (id == null) {
            throw FineTuningJson.unexpected(provider, "a file without an id", answer);
        }
        return id;
    }

    /** The per-attempt timeout of a transfer of {@code bytes}: the configured one plus a second per MiB. */
    public Duration timeoutFor(long bytes) {
        return timeout.plusSeconds(bytes / ASSUMED_BYTES_PER_SECOND);
    }

    // ---- jobs ----------------------------------------------------------------------------------

    /**
     * Builds the create body without sending it, so what the service cannot take fails before any
     * upload.
     *
     * @throws IllegalArgumentException for a suffix the service refuses (empty, too long, other
     *     characters), an absolute learning rate (the protocol takes only the multiplier), {@code
     *     start = false} (no cost preview), a provider option it does not know (naming those it
     *     does) or one whose value its writer refuses, a metadata value over 512 characters
     */
    @Override
    public void checkRequest(JobRequest request) {
        createBody(Objects.requireNonNull(request, "request"));
    }

    /**
     * Creates a supervised job ({@code POST /fine_tuning/jobs}); not retried after a failure that
     * may have reached the service.
     *
     * @throws IllegalArgumentException as {@link #checkRequest}, before anything is sent
     * @throws InvalidRequestException also when the service refuses to continue training a
     *     fine-tuned model; the message then suggests retraining from the base model
     */
    @Override
    public RemoteJob createJob(JobRequest request) {
        Objects.requireNonNull(request, "request");
        ObjectNode body = createBody(request);
        try {
            return job(http.postJson(JOBS, body, RetrySafety.UNSAFE));
        } catch (InvalidRequestException e) {
            if (fineTunedModels.test(request.baseModel()) && concernsModel(e.providerError())) {
                throw refusedToContinue(request.baseModel(), e, e.providerError());
            }
            throw e;
        } catch (NotFoundException e) {
            if (e.providerError().isPresent() && fineTunedModels.test(request.baseModel())
                    && concernsModel(e.providerError().get())) {
                throw refusedToContinue(request.baseModel(), e, e.providerError().get());
            }
            throw e;
        }
    }

    private ObjectNode createBody(JobRequest request) {
        String suffix = request.suffix();
        if (suffix != null) {
            checkSuffix(suffix);
        } else if (tagAsDefaultSuffix) {
            suffix = request.tag();
            checkSuffix(suffix);
        }
        if (request.hyperparameters().learningRate().isPresent()) {
            throw new IllegalArgumentException(provider + " takes no absolute learning rate (learningRate "
                    + request.hyperparameters().learningRate().getAsDouble()
                    + "); set learningRateMultiplier instead (1.0 = the service's own rate)");
        }
        if (!request.start()) {
            throw new IllegalArgumentException(provider + " has no cost preview: a job starts training when it is "
                    + "created; submit it with start(true)");
        }
        for (String name : request.options().keySet()) {
            if (!options.containsKey(name)) {
                throw new IllegalArgumentException(provider + " has no option '" + name + "'"
                        + (options.isEmpty() ? "; it takes no provider options" : "; it knows "
                                + new TreeSet<>(options.keySet())));
            }
        }
        if (metadataTag) {
            for (Map.Entry<String, String> e : Map.of(TAG_KEY, request.tag(), ASSISTANT_KEY, request.assistant())
                    .entrySet()) {
                if (e.getValue().length() > MAX_METADATA_VALUE_LENGTH) {
                    throw new IllegalArgumentException("metadata " + e.getKey() + " has " + e.getValue().length()
                            + " characters; " + provider + " allows at most " + MAX_METADATA_VALUE_LENGTH);
                }
            }
        }
        ObjectNode body = FineTuningJson.createBody(request, suffix, metadataTag);
        Map<String, String> chosen = new LinkedHashMap<>(optionDefaults);
        chosen.putAll(request.options());
        chosen.forEach((name, value) -> options.get(name).accept(value, body));
        return body;
    }

    private void checkSuffix(String suffix) {
        if (suffix.isEmpty()) {
            throw new IllegalArgumentException("suffix is empty; give " + provider + " 1 to " + maxSuffixLength
                    + " characters or no suffix");
        }
        if (suffix.length() > maxSuffixLength) {
            throw new IllegalArgumentException("suffix '" + suffix + "' has " + suffix.length()
                    + " characters; " + provider + " allows at most " + maxSuffixLength);
        }
        if (suffixPattern != null && !suffixPattern.matcher(suffix).matches()) {
            throw new IllegalArgumentException("suffix '" + suffix + "' is not allowed by " + provider + ": it must be "
                    + suffixDescription);
        }
    }

    /** Whether an error answer is about the {@code model} field (its param, or its message names a model). */
    private static boolean concernsModel(ProviderError e) {
        try {
            JsonNode error = ProviderJson.mapper().readTree(e.rawBody()).path("error");
            if ("model".equals(FineTuningJson.text(error, "param"))) {
                return true;
            }
        } catch (IOException notJson) {
            // Fall back to the parsed message below.
        }
        ErrorParser.ParsedError parsed = ErrorParser.parse(NO_HEADERS, e.rawBody());
        return parsed.message().toLowerCase(Locale.ROOT).contains("model")
                || (parsed.code() != null && parsed.code().contains("model"));
    }

    private InvalidRequestException refusedToContinue(String model, RuntimeException e, ProviderError error) {
        InvalidRequestException refused = new InvalidRequestException(provider + " refused to continue training "
                + "from the fine-tuned model '" + model + "' (" + e.getMessage() + "). Retrain from its base model "
                + "instead: submit without continueFrom so the job trains the base model on all examples",
                error.provider(), error.statusCode(), error.errorCode().orElse(null), error.requestId().orElse(null),
                error.rawBody(), false);
        refused.initCause(e);
        return refused;
    }

    /** The job ({@code GET /fine_tuning/jobs/{id}}). */
    @Override
    public RemoteJob getJob(String remoteId) {
        return job(http.getJson(jobPath(remoteId)));
    }

    /**
     * Finds the job created with this tag: {@code GET /fine_tuning/jobs}, {@value
     * #FIND_BY_TAG_PAGE_SIZE} jobs a page (filtered by {@code metadata[finetune4j_job]} when the
     * service supports it), following {@code after} for at most {@value #FIND_BY_TAG_MAX_PAGES}
     * pages. A job matches when its {@code metadata.finetune4j_job} is the tag or, when the tag is
     * the default suffix, its {@code user_provided_suffix} is; so a service that drops the filter or
     * the metadata still gives the right answer within those pages. Should two jobs match, the
     * oldest is returned.
     */
    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        List<RemoteJob> found = new ArrayList<>();
        String after = null;
        for (int page = 0; page < FIND_BY_TAG_MAX_PAGES; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            if (filterByMetadata) {
                query.put("metadata[" + TAG_KEY + "]", tag);
            }
            query.put("limit", Integer.toString(FIND_BY_TAG_PAGE_SIZE));
            if (after != null) {
                query.put("after", after);
            }
            JsonNode body = http.getJson(JOBS, query);
            JsonNode data = body.path("data");
            for (JsonNode job : data) {
                if (tag.equals(FineTuningJson.text(job.path("metadata"), TAG_KEY))
                        || tagAsDefaultSuffix && tag.equals(FineTuningJson.text(job, "user_provided_suffix"))) {
                    found.add(job(job));
                }
            }
            if (!body.path("has_more").asBoolean(false) || data.isEmpty()) {
                break;
            }
            after = FineTuningJson.text(data.get(data.size() - 1), "id");
            if (after == null) {
                break;
            }
        }
        if (found.size() > 1) {
            log.warn("{} has {} jobs tagged {}: {}; using the oldest", provider, found.size(), tag,
                    found.stream().map(RemoteJob::remoteId).toList());
        }
        return found.stream().min(Comparator.comparing((RemoteJob j) -> j.createdAt().orElse(Instant.MAX))
                .thenComparing(RemoteJob::remoteId));
    }

    /**
     * Not supported: the protocol starts a job when it is created (no cost preview).
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public RemoteJob startJob(String remoteId) {
        throw new UnsupportedOperationException(provider + " starts a job when it is created; there is no cost "
                + "preview (COST_PREVIEW) and nothing to start");
    }

    /** Cancels a job ({@code POST /fine_tuning/jobs/{id}/cancel}). */
    @Override
    public RemoteJob cancelJob(String remoteId) {
        return jobAction(remoteId, "cancel");
    }

    /** Pauses a running job ({@code POST /fine_tuning/jobs/{id}/pause}); its status becomes {@code paused}. */
    public RemoteJob pauseJob(String remoteId) {
        return jobAction(remoteId, "pause");
    }

    /** Resumes a paused job ({@code POST /fine_tuning/jobs/{id}/resume}). */
    public RemoteJob resumeJob(String remoteId) {
        return jobAction(remoteId, "resume");
    }

    private RemoteJob jobAction(String remoteId, String action) {
        return job(http.sendJson(ApiRequest.post(jobPath(remoteId) + "/" + action)
                .retrySafety(RetrySafety.SAFE).build()).body());
    }

    /**
     * Events after the cursor, oldest first; the next cursor is the newest event's id. With no
     * cursor, the whole history (within {@value #EVENTS_MAX_PAGES} pages).
     */
    @Override
    public EventPage events(String remoteId, String cursor) {
        List<JsonNode> newestFirst = new ArrayList<>();
        String after = null;
        boolean met = false;
        int page = 0;
        for (; page < EVENTS_MAX_PAGES && !met; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", Integer.toString(EVENTS_PAGE_SIZE));
            if (after != null) {
                query.put("after", after);
            }
            JsonNode body = http.getJson(jobPath(remoteId) + "/events", query);
            JsonNode data = body.path("data");
            for (JsonNode e : data) {
                if (cursor != null && cursor.equals(FineTuningJson.text(e, "id"))) {
                    met = true;
                    break;
                }
                newestFirst.add(e);
            }
            if (!body.path("has_more").asBoolean(false) || data.isEmpty()) {
                break;
            }
            after = FineTuningJson.text(data.get(data.size() - 1), "id");
            if (after == null) {
                break;
            }
        }
        if (cursor != null && !met && page >= EVENTS_MAX_PAGES) {
            log.warn("{} job {}: event {} not found within {} pages; older new events are skipped", provider, remoteId,
                    cursor, EVENTS_MAX_PAGES);
        }
        if (newestFirst.isEmpty()) {
            return new EventPage(List.of(), cursor);
        }
        List<JobEvent> events = new ArrayList<>(newestFirst.size());
        for (JsonNode e : newestFirst) {
            events.add(FineTuningJson.event(provider, e));
        }
        String next = events.get(0).id();
        Collections.reverse(events);
        return new EventPage(events, next);
    }

    /** The metrics of the job's checkpoints, by ascending step. */
    @Override
    public List<MetricPoint> metrics(String remoteId) {
        List<MetricPoint> points = new ArrayList<>();
        String after = null;
        for (int page = 0; page < CHECKPOINTS_MAX_PAGES; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", Integer.toString(CHECKPOINTS_PAGE_SIZE));
            if (after != null) {
                query.put("after", after);
            }
            JsonNode body = http.getJson(jobPath(remoteId) + "/checkpoints", query);
            JsonNode data = body.path("data");
            for (JsonNode c : data) {
                points.add(FineTuningJson.checkpoint(provider, c));
            }
            if (!body.path("has_more").asBoolean(false) || data.isEmpty()) {
                break;
            }
            after = Optional.ofNullable(FineTuningJson.text(body, "last_id"))
                    .orElse(FineTuningJson.text(data.get(data.size() - 1), "id"));
            if (after == null) {
                break;
            }
        }
        points.sort(Comparator.comparingLong(MetricPoint::step));
        return List.copyOf(points);
    }

    /**
     * Deletes a fine-tuned model ({@code DELETE /models/{model}}, the id as one path segment with
     * its colons kept).
     *
     * @throws UnsupportedOperationException when the provider turned model deletion off
     * @throws ProviderException when the service answers that the model was not deleted
     */
    @Override
    public void deleteModel(String providerModelId) {
        Objects.requireNonNull(providerModelId, "providerModelId");
        if (!modelDeletion) {
            throw new UnsupportedOperationException(provider + " offers no API to delete a fine-tuned model "
                    + "(DELETE_MODEL); delete '" + providerModelId + "' where the provider says");
        }
        JsonNode answer = http.delete("/models/" + ApiRequest.segment(providerModelId));
        JsonNode deleted = answer.get("deleted");
        if (deleted != null && deleted.isBoolean() && !deleted.asBoolean()) {
            throw FineTuningJson.unexpected(provider, "deleted=false for model '" + providerModelId + "'", answer);
        }
    }

    private RemoteJob job(JsonNode node) {
        return FineTuningJson.job(provider, node);
    }

    private static String jobPath(String remoteId) {
        Objects.requireNonNull(remoteId, "remoteId");
        return JOBS + "/" + ApiRequest.segment(remoteId);
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleTraining[" + provider + " " + http.baseUrl() + "]";
    }

    /** Configures an {@link OpenAiCompatibleTraining}; every setting has OpenAI's behaviour as its default. Not thread-safe. */
    public static final class Builder {

        private final ProviderHttp http;
        private Duration timeout = ProviderHttp.DEFAULT_TIMEOUT;
        private String partContentType = "application/jsonl";
        private long largeFileThreshold = Long.MAX_VALUE;
        private String largeFileRoute;
        private FileSender largeFileSender;
        private int maxSuffixLength = 64;
        private Pattern suffixPattern;
        private String suffixDescription;
        private boolean metadataTag = true;
        private boolean filterByMetadata = true;
        private boolean tagAsDefaultSuffix;
        private final Map<String, BiConsumer<String, ObjectNode>> options = new LinkedHashMap<>();
        private final Map<String, String> optionDefaults = new LinkedHashMap<>();
        private Predicate<String> fineTunedModels = model -> model.startsWith("ft:");
        private boolean modelDeletion = true;

        private Builder(ProviderHttp http) {
            this.http = Objects.requireNonNull(http, "http");
        }

        /**
         * The per-attempt timeout of an upload of a small file (default {@link
         * ProviderHttp#DEFAULT_TIMEOUT}); each MiB adds a second.
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout is " + timeout + "; it must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /** The content type of the uploaded file's part (default {@code application/jsonl}). */
        public Builder filePartContentType(String contentType) {
            Objects.requireNonNull(contentType, "contentType");
            if (contentType.isBlank()) {
                throw new IllegalArgumentException("contentType must not be blank");
            }
            this.partContentType = contentType;
            return this;
        }

        /**
         * Files larger than {@code thresholdBytes} go through {@code sender} instead of {@code POST
         * /files} (default: every file goes to {@code /files}).
         *
         * @param route the name recorded in the upload's details ({@code uploads})
         */
        public Builder largeFiles(long thresholdBytes, String route, FileSender sender) {
            if (thresholdBytes < 0) {
                throw new IllegalArgumentException("thresholdBytes must be >= 0, was " + thresholdBytes);
            }
            this.largeFileThreshold = thresholdBytes;
            this.largeFileRoute = Objects.requireNonNull(route, "route");
            this.largeFileSender = Objects.requireNonNull(sender, "sender");
            return this;
        }

        /** The longest suffix the service accepts (default 64). */
        public Builder maxSuffixLength(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max must be positive, was " + max);
            }
            this.maxSuffixLength = max;
            return this;
        }

        /**
         * What a suffix must match beyond its length (default: anything), and how to say it in a
         * message ({@code "letters, digits, '-' and '_'"}).
         */
        public Builder suffixPattern(String regex, String description) {
            this.suffixPattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
            this.suffixDescription = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Whether the tag and the assistant are sent in {@code metadata} (default true). */
        public Builder metadataTag(boolean send) {
            this.metadataTag = send;
            return this;
        }

        /**
         * Whether {@link #findJobByTag} asks the service to filter the job list with {@code
         * metadata[finetune4j_job]=TAG} (default true); without it, pages of recent jobs are read
         * and matched here.
         */
        public Builder filterJobsByMetadata(boolean filter) {
            this.filterByMetadata = filter;
            return this;
        }

        /**
         * Whether a request without a suffix sends the tag as its suffix, so the job can be found by
         * its {@code user_provided_suffix} even where the service keeps no metadata (default false).
         */
        public Builder tagAsDefaultSuffix(boolean tagAsSuffix) {
            this.tagAsDefaultSuffix = tagAsSuffix;
            return this;
        }

        /**
         * A provider option a job request may carry ({@link JobRequest#options()}), and how it goes
         * into the create body; the writer throws {@link IllegalArgumentException} for a value the
         * service cannot take. Options not declared are refused.
         */
        public Builder option(String name, BiConsumer<String, ObjectNode> writer) {
            Objects.requireNonNull(name, "name");
            options.put(name, Objects.requireNonNull(writer, "writer"));
            return this;
        }

        /**
         * The value a declared option takes when a request does not set it (a provider-wide
         * setting); checked by the option's writer when the request is.
         *
         * @throws IllegalArgumentException when no option of that name was declared
         */
        public Builder optionDefault(String name, String value) {
            Objects.requireNonNull(value, "value");
            if (!options.containsKey(Objects.requireNonNull(name, "name"))) {
                throw new IllegalArgumentException("no option '" + name + "' was declared; declare it with option(...)");
            }
            optionDefaults.put(name, value);
            return this;
        }

        /**
         * How to tell a fine-tuned model id from a base model's (default: it starts with {@code
         * ft:}), so that a refusal to continue training one says what to do.
         */
        public Builder fineTunedModels(Predicate<String> isFineTuned) {
            this.fineTunedModels = Objects.requireNonNull(isFineTuned, "isFineTuned");
            return this;
        }

        /** Whether {@code DELETE /models/{id}} deletes fine-tuned models (default true). */
        public Builder modelDeletion(boolean supported) {
            this.modelDeletion = supported;
            return this;
        }

        /** The training service. */
        public OpenAiCompatibleTraining build() {
            return new OpenAiCompatibleTraining(this);
        }
    }
}
