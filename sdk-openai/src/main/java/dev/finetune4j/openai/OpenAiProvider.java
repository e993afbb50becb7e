package dev.finetune4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.ProviderException;
import dev.finetune4j.ResourceNotFoundException;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.openai.internal.FileUploader;
import dev.finetune4j.openai.internal.JobJson;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.ErrorParser;
import dev.finetune4j.spi.kit.OpenAiCompatibleChat;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.ProviderJson;
import dev.finetune4j.spi.kit.RetrySafety;
import java.io.IOException;
import java.net.http.HttpHeaders;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI provider: uploads through the Files and Uploads APIs, supervised fine-tuning jobs
 * (create, retrieve, list by our tag, cancel, pause, resume, events, checkpoints), deletion of
 * fine-tuned models, and chat completions, plain and streamed. Create it with {@link
 * OpenAiProviderFactory} (or let {@link dev.finetune4j.spi.Providers} find it).
 *
 * <p>Every call goes through the library's HTTP core (retries of 408/409/429/5xx and connection
 * failures with backoff, {@code Retry-After}, deadlines, error mapping), except that creating a
 * job is never repeated after a failure that may have reached OpenAI: the core then looks for the
 * job by its tag ({@link #findJobByTag}). Errors are {@link ProviderException}s with OpenAI's
 * status, error code, {@code x-request-id} and body, or {@link dev.finetune4j.TransportException}s.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenAiProvider implements Provider, TrainingService {

    /** How many jobs {@link #findJobByTag} asks for per page. */
    public static final int FIND_BY_TAG_PAGE_SIZE = 100;

    /** How many pages of the filtered job list {@link #findJobByTag} reads at most. */
    public static final int FIND_BY_TAG_MAX_PAGES = 5;

    /** How many events {@link #events} asks for per page. */
    public static final int EVENTS_PAGE_SIZE = 100;

    /** How many pages of events one {@link #events} call reads at most. */
    public static final int EVENTS_MAX_PAGES = 50;

    /** How many checkpoints {@link #metrics} asks for per page. */
    public static final int CHECKPOINTS_PAGE_SIZE = 100;

    /** How many pages of checkpoints {@link #metrics} reads at most. */
    public static final int CHECKPOINTS_MAX_PAGES = 20;

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.provider(OpenAiProviderFactory.ID));
    private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (name, value) -> true);

    private final ProviderHttp http;
    private final FileUploader uploader;
    private final OpenAiCompatibleChat chat;
    private final String uploadScope;

    /** @param account the organization and project the calls name, as the upload scope adds them ("" for none) */
    OpenAiProvider(ProviderHttp http, FileUploader uploader, String maxTokensField, String account) {
        this.http = Objects.requireNonNull(http, "http");
        this.uploader = Objects.requireNonNull(uploader, "uploader");
        this.uploadScope = http.baseUrl() + account;
        this.chat = OpenAiCompatibleChat.builder(http).maxTokensField(maxTokensField).build();
    }

    /** {@code openai}. */
    @Override
    public String id() {
        return OpenAiProviderFactory.ID;
    }

    /** {@link OpenAiProviderFactory#DESCRIPTOR}: training and chat, every capability but a cost preview. */
    @Override
    public ProviderDescriptor descriptor() {
        return OpenAiProviderFactory.DESCRIPTOR;
    }

    /**
     * Chat completions ({@code POST /chat/completions}, plain and streamed with {@code
     * include_usage}) through {@link OpenAiCompatibleChat}; the output limit is sent as {@code
     * max_completion_tokens} unless the provider was configured otherwise.
     */
    @Override
    public Optional<ChatService> chat() {
        return Optional.of(chat);
    }

    /**
     * The base URL, and the organization and project when they are configured: files belong to an
     * organization's project at one API.
     */
    @Override
    public String uploadScope() {
        return uploadScope;
    }

    /**
     * Uploads the training file (and the validation file, when there is one) with {@code
     * purpose=fine-tune}; files above the configured threshold go through the Uploads API in parts.
     * The file names come from the data's label.
     */
    @Override
    public UploadedData upload(TrainingData data) {
        Objects.requireNonNull(data, "data");
        return uploader.upload(data);
    }

    /**
     * Creates a supervised fine-tuning job ({@code POST /fine_tuning/jobs}) with our tag in {@code
     * metadata.finetune4j_job}. Not retried after a failure that may have reached OpenAI.
     *
     * @throws IllegalArgumentException for a suffix over 64 characters, an absolute learning rate,
     *     {@code start = false} or provider options, before anything is sent
     * @throws InvalidRequestException also when OpenAI refuses to continue training from a
     *     fine-tuned ({@code ft:}) model; the message then suggests retraining from the base model
     */
    /** Builds the create body without sending it: what OpenAI cannot take fails before any upload. */
    @Override
    public void checkRequest(JobRequest request) {
        JobJson.createBody(Objects.requireNonNull(request, "request"));
    }

    @Override
    public RemoteJob createJob(JobRequest request) {
        Objects.requireNonNull(request, "request");
        JsonNode body = JobJson.createBody(request);
        try {
            return JobJson.job(http.postJson("/fine_tuning/jobs", body, RetrySafety.UNSAFE));
        } catch (InvalidRequestException | ResourceNotFoundException e) {
            if (request.baseModel().startsWith("ft:") && concernsModel(e)) {
                throw refusedToContinue(request.baseModel(), e);
            }
            throw e;
        }
    }

    /** Whether an error answer is about the {@code model} field (its param, or its message names a model). */
    private static boolean concernsModel(ProviderException e) {
        try {
            JsonNode error = ProviderJson.mapper().readTree(e.rawBody()).path("error");
            if ("model".equals(JobJson.text(error, "param"))) {
                return true;
            }
        } catch (IOException notJson) {
            // Fall back to the parsed message below.
        }
        ErrorParser.ParsedError parsed = ErrorParser.parse(NO_HEADERS, e.rawBody());
        return parsed.message().toLowerCase(Locale.ROOT).contains("model")
                || (parsed.code() != null && parsed.code().contains("model"));
    }

    private static InvalidRequestException refusedToContinue(String model, ProviderException e) {
        InvalidRequestException refused = new InvalidRequestException("openai refused to continue training from the "
                + "fine-tuned model '" + model + "' (" + e.getMessage() + "). Retrain from its base model instead: "
                + "submit without continueFrom so the job trains the base model on all examples",
                e.provider(), e.statusCode(), e.errorCode().orElse(null), e.requestId().orElse(null), e.rawBody(),
                false);
        refused.initCause(e);
        return refused;
    }

    /** The job ({@code GET /fine_tuning/jobs/{id}}). */
    @Override
    public RemoteJob getJob(String remoteId) {
        return JobJson.job(http.getJson(jobPath(remoteId)));
    }

    /**
     * Finds the job created with this tag: {@code GET /fine_tuning/jobs?metadata[finetune4j_job]=tag},
     * {@value #FIND_BY_TAG_PAGE_SIZE} jobs a page, following {@code after} for at most {@value
     * #FIND_BY_TAG_MAX_PAGES} pages. Each job's metadata is checked again here, so a gateway that
     * ignores the filter still gives the right answer (within the {@value #FIND_BY_TAG_MAX_PAGES}
     * × {@value #FIND_BY_TAG_PAGE_SIZE} most recent jobs). Should two jobs carry the tag, the oldest
     * is returned.
     */
    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        List<RemoteJob> found = new ArrayList<>();
        String after = null;
        for (int page = 0; page < FIND_BY_TAG_MAX_PAGES; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("metadata[" + JobJson.TAG_KEY + "]", tag);
            query.put("limit", Integer.toString(FIND_BY_TAG_PAGE_SIZE));
            if (after != null) {
                query.put("after", after);
            }
            JsonNode body = http.getJson("/fine_tuning/jobs", query);
            JsonNode data = body.path("data");
            for (JsonNode job : data) {
                if (tag.equals(JobJson.text(job.path("metadata"), JobJson.TAG_KEY))) {
                    found.add(JobJson.job(job));
                }
            }
            if (!body.path("has_more").asBoolean(false) || data.isEmpty()) {
                break;
            }
            after = JobJson.text(data.get(data.size() - 1), "id");
            if (after == null) {
                break;
            }
        }
        if (found.size() > 1) {
            LOG.warn("openai has {} jobs tagged {}: {}; using the oldest", found.size(), tag,
                    found.stream().map(RemoteJob::remoteId).toList());
        }
        return found.stream().min(Comparator.comparing((RemoteJob j) -> j.createdAt().orElse(Instant.MAX))
                .thenComparing(RemoteJob::remoteId));
    }

    /**
     * Not supported: OpenAI starts a job when it is created (no cost preview).
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public RemoteJob startJob(String remoteId) {
        throw new UnsupportedOperationException("openai starts a job when it is created; there is no cost preview "
                + "and nothing to start");
    }

    /** Cancels a job ({@code POST /fine_tuning/jobs/{id}/cancel}). */
    @Override
    public RemoteJob cancelJob(String remoteId) {
        return jobAction(remoteId, "cancel");
    }

    /**
     * Pauses a running job ({@code POST /fine_tuning/jobs/{id}/pause}); its status becomes {@code
     * paused} ({@link dev.finetune4j.job.JobStatus#PAUSED}). Not part of the provider SPI: reach it
     * with {@code ((OpenAiProvider) fineTuning.provider("openai")).pauseJob(remoteId)}.
     */
    public RemoteJob pauseJob(String remoteId) {
        return jobAction(remoteId, "pause");
    }

    /** Resumes a paused job ({@code POST /fine_tuning/jobs/{id}/resume}); it is queued again. */
    public RemoteJob resumeJob(String remoteId) {
        return jobAction(remoteId, "resume");
    }

    private RemoteJob jobAction(String remoteId, String action) {
        return JobJson.job(http.sendJson(ApiRequest.post(jobPath(remoteId) + "/" + action)
                .retrySafety(RetrySafety.SAFE).build()).body());
    }

    /**
     * Events after the cursor, oldest first; the next cursor is the newest event's id.
     *
     * <p>OpenAI lists events newest first and its {@code after} parameter pages towards older
     * events, so this reads from the newest page ({@code limit} {@value #EVENTS_PAGE_SIZE}) back
     * until it meets the cursor, for at most {@value #EVENTS_MAX_PAGES} pages, then reverses. With
     * no cursor it returns the whole history (within that bound).
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
                if (cursor != null && cursor.equals(JobJson.text(e, "id"))) {
                    met = true;
                    break;
                }
                newestFirst.add(e);
            }
            if (!body.path("has_more").asBoolean(false) || data.isEmpty()) {
                break;
            }
            after = JobJson.text(data.get(data.size() - 1), "id");
            if (after == null) {
                break;
            }
        }
        if (cursor != null && !met && page >= EVENTS_MAX_PAGES) {
            LOG.warn("openai job {}: event {} not found within {} pages; older new events are skipped", remoteId,
                    cursor, EVENTS_MAX_PAGES);
        }
        if (newestFirst.isEmpty()) {
            return new EventPage(List.of(), cursor);
        }
        List<JobEvent> events = new ArrayList<>(newestFirst.size());
        for (JsonNode e : newestFirst) {
            events.add(JobJson.event(e));
        }
        String next = events.get(0).id();
        Collections.reverse(events);
        return new EventPage(events, next);
    }

    /**
     * The metrics of the job's checkpoints ({@code GET /fine_tuning/jobs/{id}/checkpoints}, following
     * {@code after} for at most {@value #CHECKPOINTS_MAX_PAGES} pages), by ascending step.
     */
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
                points.add(JobJson.checkpoint(c));
            }
            if (!body.path("has_more").asBoolean(false) || data.isEmpty()) {
                break;
            }
            after = Optional.ofNullable(JobJson.text(body, "last_id"))
                    .orElse(JobJson.text(data.get(data.size() - 1), "id"));
            if (after == null) {
                break;
            }
        }
        points.sort(Comparator.comparingLong(MetricPoint::step));
        return List.copyOf(points);
    }

    /**
     * Deletes a fine-tuned model ({@code DELETE /models/{model}}, the {@code ft:} id as one path
     * segment with its colons kept). OpenAI requires the Owner role of the organisation.
     *
     * @throws ProviderException when OpenAI answers that the model was not deleted
     */
    @Override
    public void deleteModel(String providerModelId) {
        Objects.requireNonNull(providerModelId, "providerModelId");
        JsonNode answer = http.delete("/models/" + ApiRequest.segment(providerModelId));
        JsonNode deleted = answer.get("deleted");
        if (deleted != null && deleted.isBoolean() && !deleted.asBoolean()) {
            throw JobJson.unexpected("deleted=false for model '" + providerModelId + "'", answer);
        }
    }

    /** Nothing to release: the HTTP client is shared (or the host app's). */
    @Override
    public void close() {
        // The JDK client is shared or owned by the host app; this provider holds nothing else.
    }

    @Override
    public String toString() {
        return "OpenAiProvider[" + http.baseUrl() + "]";
    }

    private static String jobPath(String remoteId) {
        Objects.requireNonNull(remoteId, "remoteId");
        return "/fine_tuning/jobs/" + ApiRequest.segment(remoteId);
    }
}
