package dev.finetune4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.internal.json.FineTuningJson;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.lifecycle.LifecycleEvent;
import dev.finetune4j.lifecycle.LifecycleKind;
import dev.finetune4j.lifecycle.SourceQuality;
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
import dev.finetune4j.spi.kit.OpenAiCompatibleChat;
import dev.finetune4j.spi.kit.OpenAiCompatibleTraining;
import dev.finetune4j.spi.kit.ProviderHttp;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenAI provider: uploads through the Files and Uploads APIs, supervised fine-tuning jobs
 * (create, retrieve, list by our tag, cancel, pause, resume, events, checkpoints), deletion of
 * fine-tuned models, and chat completions, plain and streamed. Create it with {@link
 * OpenAiProviderFactory} (or let {@link dev.finetune4j.spi.Providers} find it).
 *
 * <p>Fine-tuning goes through the provider kit's {@link OpenAiCompatibleTraining} with OpenAI's
 * own settings (its defaults, plus the Uploads API for large files); chat through {@link
 * OpenAiCompatibleChat}. Every call goes through the kit's HTTP client (retries of 408/409/429/5xx
 * and connection failures with backoff, {@code Retry-After}, deadlines, error mapping), except that
 * creating a job is never repeated after a failure that may have reached OpenAI: the core then
 * looks for the job by its tag ({@link #findJobByTag}). Errors are {@link ProviderException}s with
 * OpenAI's status, error code, {@code x-request-id} and body, or {@link
 * dev.finetune4j.TransportException}s.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenAiProvider implements Provider, TrainingService {

    /** How many jobs {@link #findJobByTag} asks for per page. */
    public static final int FIND_BY_TAG_PAGE_SIZE = OpenAiCompatibleTraining.FIND_BY_TAG_PAGE_SIZE;

    /** How many pages of the filtered job list {@link #findJobByTag} reads at most. */
    public static final int FIND_BY_TAG_MAX_PAGES = OpenAiCompatibleTraining.FIND_BY_TAG_MAX_PAGES;

    /** How many events {@link #events} asks for per page. */
    public static final int EVENTS_PAGE_SIZE = OpenAiCompatibleTraining.EVENTS_PAGE_SIZE;

    /** How many pages of events one {@link #events} call reads at most. */
    public static final int EVENTS_MAX_PAGES = OpenAiCompatibleTraining.EVENTS_MAX_PAGES;

    /** How many checkpoints {@link #metrics} asks for per page. */
    public static final int CHECKPOINTS_PAGE_SIZE = OpenAiCompatibleTraining.CHECKPOINTS_PAGE_SIZE;

    /** How many pages of checkpoints {@link #metrics} reads at most. */
    public static final int CHECKPOINTS_MAX_PAGES = OpenAiCompatibleTraining.CHECKPOINTS_MAX_PAGES;

    private final ProviderHttp http;
    private final OpenAiCompatibleTraining training;
    private final OpenAiCompatibleChat chat;
    private final String uploadScope;

    /** @param account the organization and project the calls name, as the upload scope adds them ("" for none) */
    OpenAiProvider(ProviderHttp http, OpenAiCompatibleTraining training, String maxTokensField, String account) {
        this.http = Objects.requireNonNull(http, "http");
        this.training = Objects.requireNonNull(training, "training");
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
        return training.upload(data);
    }

    /**
     * Builds the create body without sending it: what OpenAI cannot take (a suffix over 64
     * characters, an absolute learning rate, {@code start = false}, provider options) fails before
     * any upload with an {@link IllegalArgumentException}.
     */
    @Override
    public void checkRequest(JobRequest request) {
        training.checkRequest(request);
    }

    /**
     * Creates a supervised fine-tuning job ({@code POST /fine_tuning/jobs}) with our tag in {@code
     * metadata.finetune4j_job}. Not retried after a failure that may have reached OpenAI.
     *
     * @throws IllegalArgumentException as {@link #checkRequest}, before anything is sent
     * @throws InvalidRequestException also when OpenAI refuses to continue training from a
     *     fine-tuned ({@code ft:}) model; the message then suggests retraining from the base model
     */
    @Override
    public RemoteJob createJob(JobRequest request) {
        return training.createJob(request);
    }

    /** The job ({@code GET /fine_tuning/jobs/{id}}). */
    @Override
    public RemoteJob getJob(String remoteId) {
        return training.getJob(remoteId);
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
        return training.findJobByTag(tag);
    }

    /**
     * Not supported: OpenAI starts a job when it is created (no cost preview).
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public RemoteJob startJob(String remoteId) {
        return training.startJob(remoteId);
    }

    /** Cancels a job ({@code POST /fine_tuning/jobs/{id}/cancel}). */
    @Override
    public RemoteJob cancelJob(String remoteId) {
        return training.cancelJob(remoteId);
    }

    /**
     * Pauses a running job ({@code POST /fine_tuning/jobs/{id}/pause}); its status becomes {@code
     * paused} ({@link dev.finetune4j.job.JobStatus#PAUSED}). Not part of the provider SPI: reach it
     * with {@code ((OpenAiProvider) fineTuning.provider("openai")).pauseJob(remoteId)}.
     */
    public RemoteJob pauseJob(String remoteId) {
        return training.pauseJob(remoteId);
    }

    /** Resumes a paused job ({@code POST /fine_tuning/jobs/{id}/resume}); it is queued again. */
    public RemoteJob resumeJob(String remoteId) {
        return training.resumeJob(remoteId);
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
        return training.events(remoteId, cursor);
    }

    /**
     * The metrics of the job's checkpoints ({@code GET /fine_tuning/jobs/{id}/checkpoints}, following
     * {@code after} for at most {@value #CHECKPOINTS_MAX_PAGES} pages), by ascending step.
     */
    @Override
    public List<MetricPoint> metrics(String remoteId) {
        return training.metrics(remoteId);
    }

    /**
     * Deletes a fine-tuned model ({@code DELETE /models/{model}}, the {@code ft:} id as one path
     * segment with its colons kept). OpenAI requires the Owner role of the organisation.
     *
     * @throws ProviderException when OpenAI answers that the model was not deleted
     */
    @Override
    public void deleteModel(String providerModelId) {
        training.deleteModel(providerModelId);
    }

    /**
     * The model's {@code shutdown_date} from {@code GET /models/{model}} (a {@code YYYY-MM-DD} or
     * null, on the Model object since August 2026) as a {@link LifecycleKind#MODEL_SHUTDOWN} for
     * exactly this model id, sourced to the URL read; empty when the field is absent or null.
     *
     * @throws dev.finetune4j.NotFoundException when OpenAI does not know the model (deleted, or shut down)
     * @throws ProviderException when the answer's date is not a date
     */
    @Override
    public List<LifecycleEvent> reportedLifecycle(String providerModelId, LocalDate checkedOn) {
        Objects.requireNonNull(providerModelId, "providerModelId");
        Objects.requireNonNull(checkedOn, "checkedOn");
        String path = "/models/" + ApiRequest.segment(providerModelId);
        JsonNode model = http.getJson(path);
        JsonNode date = model.get("shutdown_date");
        if (date == null || date.isNull()) {
            return List.of();
        }
        LocalDate shutdown;
        try {
            shutdown = LocalDate.parse(date.asText());
        } catch (DateTimeParseException e) {
            throw FineTuningJson.unexpected(OpenAiProviderFactory.ID, "shutdown_date '" + date.asText()
                    + "' of model '" + providerModelId + "' is not YYYY-MM-DD", model);
        }
        return List.of(LifecycleEvent.builder(OpenAiProviderFactory.ID, providerModelId, LifecycleKind.MODEL_SHUTDOWN)
                .date(shutdown)
                .source(URI.create(http.baseUrl() + path), checkedOn, SourceQuality.PROVIDER_API)
                .note("shutdown_date on the model object").build());
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
}
