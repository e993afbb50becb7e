package dev.finetune4j.together;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuning;
import dev.finetune4j.InvalidRequestException;
import dev.finetune4j.NotFoundException;
import dev.finetune4j.ProviderError;
import dev.finetune4j.ProviderException;
import dev.finetune4j.Tenant;
import dev.finetune4j.assistant.Assistant;
import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.WeightsCopy;
import dev.finetune4j.cost.PriceQuote;
import dev.finetune4j.job.JobEvent;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.DeploymentService;
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
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.RetrySafety;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.together.internal.CreateBody;
import dev.finetune4j.together.internal.EndpointService;
import dev.finetune4j.together.internal.FileUploader;
import dev.finetune4j.together.internal.JobJson;
import dev.finetune4j.together.internal.Limits;
import dev.finetune4j.together.internal.PriceEstimate;
import dev.finetune4j.together.internal.WeightsDownloader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Together AI provider: training files, LoRA and full fine-tunes, their events, metrics and
 * checkpoints, continuing from an earlier version, weights you can download, and chat
 * completions, over {@code https://api.together.ai/v1/...}. Create it with {@link
 * TogetherProviderFactory} (or let {@link dev.finetune4j.spi.Providers} find it).
 *
 * <h2>What it does, and the choices it makes</h2>
 *
 * <ul>
 *   <li><b>Upload</b>: each file first passes Together's own file check (UTF-8 without a byte order
 *       mark, one JSON object a line, {@code messages} and at most {@code tools}, known roles that
 *       alternate, weights 0 or 1, an assistant message); a file that fails is refused with its line
 *       and nothing is sent. Then Together's clients' three steps: {@code POST /files} (a redirect to
 *       an upload URL), {@code PUT} of the bytes there without the key, {@code POST
 *       /files/{id}/preprocess}. The core reuses the upload per dataset version and format.
 *   <li><b>Create</b>: {@code POST /fine-tunes}, never repeated after a failure that may have
 *       reached Together (Together's own clients retry it; two jobs would be two bills). Before it,
 *       as Together's clients do, {@code GET /fine-tunes/models/limits} for the model or checkpoint:
 *       LoRA's default rank (the largest), the batch size, epoch, evaluation and learning-rate bounds,
 *       and whether LoRA or full training is offered. Jobs have no metadata, so our job tag travels
 *       in {@code suffix} (after the host application's own suffix, 40 characters in all). The
 *       options are {@link TogetherOptions}'.
 *   <li><b>Continuing</b> ({@link dev.finetune4j.spi.Capability#CONTINUE_FROM_FINE_TUNED}): a job
 *       whose base model is a job id ({@code ft-...[:STEP]}) or the output of one of the account's
 *       jobs, or that names {@link TogetherOptions#FROM_CHECKPOINT}, is sent with {@code
 *       from_checkpoint} and without {@code model} (Together's clients refuse both together). Which
 *       it is: a base model in {@code GET /fine-tunes/models/supported} is a base model; otherwise
 *       {@code GET /fine-tunes} is searched for a job whose {@code model_output_name} it is.
 *   <li><b>Find by tag</b>: {@code GET /fine-tunes} has neither filters nor pages, so the whole list
 *       it answers is searched for a {@code suffix} that is the tag or ends with {@code -tag}; the
 *       limit is that answer (every job Together lists for the account). Two matches: the oldest.
 *   <li><b>Events</b>: {@code GET /fine-tunes/{id}/events}, oldest first, each numbered by its
 *       position (the cursor); <b>metrics</b>: {@code GET /fine-tunes/{id}/metrics} ({@code
 *       train/loss} becomes {@code train_loss}, {@code eval/loss} {@code valid_loss});
 *       <b>checkpoints</b>: {@link #checkpoints}.
 *   <li><b>Price quote</b> ({@link dev.finetune4j.spi.Capability#PRICE_QUOTE}, {@link #quote}): {@code
 *       POST /fine-tunes/estimate-price} on the uploaded files, with the model, training type and
 *       method, epochs, evaluations and validation file the create sends; Together's estimate in
 *       dollars, its token counts, the account's credit limit and whether it may proceed. Not asked
 *       for a job that continues an earlier one: Together's own client does not ask then.
 *   <li><b>Cost</b>: a job's {@code total_price} (nano-dollars) is its {@link RemoteJob#costPreview()},
 *       Together's own price, which the core records on the version.
 *   <li><b>Delete model</b>: Together deletes models only with the job that trained them ({@code
 *       DELETE /fine-tunes/{id}}); whether the output model stops being served at once is not
 *       documented.
 *   <li><b>Weights</b>: {@link #downloadWeights} to a file, {@link #storeWeights} into a version
 *       store, {@link #keepWeights} to do either and record the copy on the version.
 *   <li><b>Chat</b>: {@code POST /chat/completions} through the kit's {@link OpenAiCompatibleChat},
 *       with {@code max_tokens} and no {@code stream_options} (Together's streams carry their usage
 *       unasked). A fine-tuned model is called by its output name: LoRA adapters of the bases Together
 *       serves serverless answer at once; other models need a dedicated endpoint.
 *   <li><b>Deployments</b> ({@link #deployments()}): dedicated endpoints, one per deployment, its
 *       {@code display_name} starting with our deployment id; see {@code docs/together.md}.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class TogetherProvider implements Provider, TrainingService {

    private static final Logger LOG = LoggerFactory.getLogger(TogetherProvider.class);

    private final ProviderHttp http;
    private final FileUploader uploader;
    private final WeightsDownloader downloader;
    private final OpenAiCompatibleChat chat;
    private final EndpointService endpoints;
    private final Clock clock;

    TogetherProvider(ProviderHttp http, Duration transferTimeout, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.uploader = new FileUploader(http, transferTimeout);
        this.downloader = new WeightsDownloader(http, transferTimeout);
        this.endpoints = new EndpointService(http);
        this.chat = OpenAiCompatibleChat.builder(http)
                .maxTokensField("max_tokens")
                .streamUsage(false)
                .build();
    }

    /** {@code together}. */
    @Override
    public String id() {
        return TogetherProviderFactory.ID;
    }

    /** {@link TogetherProviderFactory#DESCRIPTOR}. */
    @Override
    public ProviderDescriptor descriptor() {
        return TogetherProviderFactory.DESCRIPTOR;
    }

    /** Chat completions ({@code POST /chat/completions}, plain and streamed) through {@link OpenAiCompatibleChat}. */
    @Override
    public Optional<ChatService> chat() {
        return Optional.of(chat);
    }

    /**
     * Dedicated endpoints ({@code /endpoints}): create with hardware and autoscaling, state, stop and
     * start as pause and resume, scale, delete, and the hardware's hourly price from {@code GET
     * /hardware}. Chat goes to the endpoint's {@code name} on the usual {@code /chat/completions}.
     */
    @Override
    public Optional<DeploymentService> deployments() {
        return Optional.of(endpoints);
    }

    /**
     * Checks the files against Together's file check, then uploads them (see the class comment).
     *
     * @throws IllegalArgumentException when a file breaks Together's file check, naming the line;
     *     nothing is sent
     */
    @Override
    public UploadedData upload(TrainingData data) {
        return uploader.upload(Objects.requireNonNull(data, "data"));
    }

    /**
     * Checks the options, hyper-parameters and suffix without sending anything.
     *
     * @throws IllegalArgumentException for an unknown option, a value out of range, a learning-rate
     *     multiplier or a suffix too long for Together's 40 characters with our tag
     */
    @Override
    public void checkRequest(JobRequest request) {
        CreateBody.plan(Objects.requireNonNull(request, "request"));
    }

    /**
     * Creates the job: its starting point (a base model, or a checkpoint to continue from), its
     * limits, then {@code POST /fine-tunes}, never repeated after a failure that may have reached
     * Together.
     *
     * @throws IllegalArgumentException for what {@link #checkRequest} refuses, or a value outside the
     *     model's limits
     * @throws InvalidRequestException when Together has no limits for the model (it cannot fine-tune
     *     it), or refuses the job
     */
    @Override
    public RemoteJob createJob(JobRequest request) {
        Objects.requireNonNull(request, "request");
        CreateBody.Plan plan = CreateBody.plan(request);
        CreateBody.Start start = start(plan, request.baseModel());
        ObjectNode body = CreateBody.body(plan, start, limits(start.limitsName()));
        LOG.info("together: creating job {} on {}", request.tag(),
                start.model() != null ? start.model() : "checkpoint " + start.fromCheckpoint());
        return JobJson.job(http.postJson("/fine-tunes", body, RetrySafety.UNSAFE));
    }

    /**
     * Together's own price for the job this request would create, on its uploaded files ({@code POST
     * /fine-tunes/estimate-price}, retried like any read: it creates nothing). The body carries what
     * the create will send: the base model, the training type (with the LoRA rank from the model's
     * limits, as the create picks it), the training method, epochs, evaluations and validation file.
     * A job that continues an earlier one ({@code from_checkpoint}) is not asked about: together-python
     * skips the estimate for it ("unsupported case"), so this answers empty without a request. Nor is
     * a job outside the model's limits (a batch size, epochs, a LoRA rank Together does not take):
     * Together cannot train it, so there is nothing to price; this answers empty, and {@link
     * #createJob} refuses the job with the reason.
     *
     * @return the quote (dollars), or empty when Together says it cannot price the job ({@code
     *     estimation_available: false}), the job continues an earlier one, or is outside the model's
     *     limits
     * @throws IllegalArgumentException for what {@link #checkRequest} refuses
     * @throws InvalidRequestException when Together has no limits for the model, or refuses the
     *     estimate (an unknown file, say)
     */
    @Override
    public Optional<PriceQuote> quote(JobRequest request) {
        Objects.requireNonNull(request, "request");
        CreateBody.Plan plan = CreateBody.plan(request);
        CreateBody.Start start = start(plan, request.baseModel());
        if (start.model() == null) {
            LOG.debug("together: no price estimate for job {}: it continues {} (together's clients do not ask "
                    + "for one)", request.tag(), start.fromCheckpoint());
            return Optional.empty();
        }
        // the create's own body, checked against the model's limits: a job Together cannot train is refused here
        ObjectNode create = CreateBody.body(plan, start, limits(start.limitsName()));
        ObjectNode body = PriceEstimate.body(create);
        Optional<PriceQuote> quote = http.sendJson(ApiRequest.post(PriceEstimate.PATH).json(body)
                .retrySafety(RetrySafety.SAFE).build(), (answer, call) -> PriceEstimate.read(answer, call,
                TogetherProviderFactory.ID, start.model(), clock.instant()));
        LOG.info("together: job {} on {} quoted {}", request.tag(), start.model(),
                quote.map(q -> q.price().toString()).orElse("nothing (estimation not available)"));
        return quote;
    }

    private CreateBody.Start start(CreateBody.Plan plan, String baseModel) {
        if (plan.fromCheckpoint() != null) {
            return new CreateBody.Start(null, plan.fromCheckpoint());
        }
        if (CreateBody.isJobId(baseModel)) {
            return new CreateBody.Start(null, baseModel);
        }
        if (!supported(baseModel) && jobs().stream().anyMatch(j -> baseModel.equals(JobJson.text(j,
                "model_output_name")))) {
            return new CreateBody.Start(null, baseModel);
        }
        return new CreateBody.Start(baseModel, null);
    }

    /** Whether Together lists the model as fine-tunable; false when the list cannot be read. */
    private boolean supported(String model) {
        try {
            for (JsonNode m : http.getJson("/fine-tunes/models/supported").path("models")) {
                if (model.equals(m.asText())) {
                    return true;
                }
            }
        } catch (ProviderException | NotFoundException e) {
            LOG.debug("together: the supported models could not be read; looking for {} among the jobs", model, e);
        }
        return false;
    }

    /** The limits Together gives for a model or checkpoint, as its clients read them before a create. */
    private Limits limits(String name) {
        try {
            return Limits.of(http.getJson("/fine-tunes/models/limits", java.util.Map.of("model_name", name)));
        } catch (NotFoundException e) {
            ProviderError error = e.providerError()
                    .orElseGet(() -> ProviderError.builder(TogetherProviderFactory.ID, 404).build());
            InvalidRequestException refused = new InvalidRequestException("together cannot fine-tune '" + name
                    + "': it has no limits for it (" + e.getMessage() + "); GET /fine-tunes/models/supported lists "
                    + "the models it can", error.provider(), error.statusCode(), error.errorCode().orElse(null),
                    error.requestId().orElse(null), error.rawBody(), false);
            refused.initCause(e);
            throw refused;
        }
    }

    /** The job ({@code GET /fine-tunes/{id}}). */
    @Override
    public RemoteJob getJob(String remoteId) {
        return JobJson.job(http.getJson(jobPath(remoteId)));
    }

    /**
     * Finds the job created with this tag: searches every job {@code GET /fine-tunes} lists (it has no
     * filters and no pages) for a {@code suffix} that is the tag or ends with {@code -tag}; the oldest
     * when two match.
     */
    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        Objects.requireNonNull(tag, "tag");
        List<RemoteJob> found = new ArrayList<>();
        for (JsonNode j : jobs()) {
            String suffix = JobJson.text(j, "suffix");
            if (suffix != null && (suffix.equals(tag) || suffix.endsWith("-" + tag))) {
                RemoteJob job = JobJson.job(j);
                found.add(job);
            }
        }
        if (found.size() > 1) {
            LOG.warn("together has {} jobs tagged {}: {}; using the oldest", found.size(), tag,
                    found.stream().map(RemoteJob::remoteId).toList());
        }
        return found.stream().min(Comparator.comparing((RemoteJob j) -> j.createdAt().orElse(Instant.MAX))
                .thenComparing(RemoteJob::remoteId));
    }

    /** Every job {@code GET /fine-tunes} lists. */
    private List<JsonNode> jobs() {
        List<JsonNode> all = new ArrayList<>();
        http.getJson("/fine-tunes").path("data").forEach(all::add);
        return all;
    }

    /**
     * Not supported: Together starts a job when it is created.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public RemoteJob startJob(String remoteId) {
        throw new UnsupportedOperationException("together starts a job when it is created; there is no cost preview "
                + "(COST_PREVIEW) and nothing to start");
    }

    /** Cancels a job ({@code POST /fine-tunes/{id}/cancel}); it becomes {@code cancel_requested}, then {@code cancelled}. */
    @Override
    public RemoteJob cancelJob(String remoteId) {
        return JobJson.job(http.sendJson(ApiRequest.post(jobPath(remoteId) + "/cancel")
                .retrySafety(RetrySafety.SAFE).build()).body());
    }

    /**
     * Events after the cursor, oldest first ({@code GET /fine-tunes/{id}/events}, all of them in one
     * answer); an event's id is its position, the cursor the last one delivered.
     *
     * @throws IllegalArgumentException when the cursor is not one this method gave
     */
    @Override
    public EventPage events(String remoteId, String cursor) {
        int from = 0;
        if (cursor != null) {
            try {
                from = Integer.parseInt(cursor) + 1;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("together: event cursor '" + cursor + "' is not a position", e);
            }
        }
        JsonNode data = http.getJson(jobPath(remoteId) + "/events").path("data");
        List<JobEvent> events = JobJson.events(data, Math.min(from, data.size()));
        return new EventPage(events, events.isEmpty() ? cursor : events.get(events.size() - 1).id());
    }

    /** The job's training metrics by step ({@code GET /fine-tunes/{id}/metrics}). */
    @Override
    public List<MetricPoint> metrics(String remoteId) {
        return JobJson.metrics(http.getJson(jobPath(remoteId) + "/metrics"));
    }

    /**
     * The checkpoints a job saved, newest first ({@code GET /fine-tunes/{id}/checkpoints}), each named
     * as {@link TogetherOptions#FROM_CHECKPOINT} and {@link #downloadWeights} take it. Not part of the
     * provider SPI: reach it with {@code ((TogetherProvider) provider).checkpoints(jobId)}.
     */
    public List<TogetherCheckpoint> checkpoints(String remoteId) {
        return JobJson.checkpoints(http.getJson(jobPath(remoteId) + "/checkpoints"), remoteId);
    }

    /**
     * Deletes a fine-tuned model: Together's only route is deleting the job that trained it ({@code
     * DELETE /fine-tunes/{id}}), found by its {@code model_output_name} (a job id is taken as it is).
     *
     * @throws NotFoundException when no job of the account produced that model
     */
    @Override
    public void deleteModel(String providerModelId) {
        Objects.requireNonNull(providerModelId, "providerModelId");
        String jobId = jobIdOf(providerModelId);
        http.delete(jobPath(jobId));
        LOG.info("together: deleted job {} (model {})", jobId, providerModelId);
    }

    /**
     * Downloads a finished job's weights ({@code GET /finetune/download}) to a file, streamed, with the
     * SHA-256 of every byte written: the copy of a model no provider can switch off. A LoRA job gives
     * its merged model ({@link WeightsKind#DEFAULT}, {@link WeightsKind#MERGED}) or its adapter ({@link
     * WeightsKind#ADAPTER}); a full fine-tune its model ({@link WeightsKind#DEFAULT} only).
     *
     * <pre>{@code
     * TogetherProvider together = (TogetherProvider) fineTuning.provider("together");
     * DownloadedWeights w = together.downloadWeights(version.providerModelId(), WeightsKind.ADAPTER, dir);
     * }</pre>
     *
     * @param model the model's {@code model_output_name} (a version's provider model id), or a job id,
     *     {@code ft-...:STEP} for an intermediate checkpoint
     * @param kind which weights
     * @param target a file that does not exist yet, or a directory to name the file in as Together's
     *     clients do ({@code <model>[-checkpoint-<step>].tar.zst}, {@code .tar.gz} for a tar answer)
     * @throws IllegalArgumentException when {@code kind} does not apply to the job's training type, or
     *     the target file exists; nothing is written
     * @throws NotFoundException when no job of the account produced that model
     * @throws dev.finetune4j.TransportException when the download ends early; nothing is kept
     */
    public DownloadedWeights downloadWeights(String model, WeightsKind kind, Path target) {
        Objects.requireNonNull(target, "target");
        Weights w = weights(model, kind);
        return downloader.download(w.jobId, w.step, w.checkpoint, target, w.name);
    }

    /**
     * Downloads a finished job's weights as {@link #downloadWeights} does, streamed into a version
     * store as a blob of {@code tenant}: the blob exists only when every byte arrived, and its id is
     * the SHA-256 of those bytes.
     *
     * @return the copy, {@link WeightsCopy#inStore() in the store}, to record on the version with
     *     {@link Assistant#recordWeights}
     * @throws IllegalArgumentException when {@code kind} does not apply to the job's training type
     * @throws NotFoundException when no job of the account produced that model
     * @throws dev.finetune4j.TransportException when the download ends early; nothing is stored
     */
    public WeightsCopy storeWeights(String model, WeightsKind kind, VersionStore store, Tenant tenant) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(tenant, "tenant");
        Weights w = weights(model, kind);
        BlobRef blob = downloader.download(w.jobId, w.step, w.checkpoint, store, tenant);
        return WeightsCopy.inStore(w.checkpoint, blob.id(), blob.size(), clock.instant());
    }

    /**
     * Keeps a copy of a model version's weights in the version store of {@code fineTuning} and
     * records it on the version: {@link #storeWeights}, then {@link Assistant#recordWeights}.
     *
     * <pre>{@code
     * ModelVersion v = together.keepWeights(fineTuning, "parser", 3, WeightsKind.ADAPTER);
     * v.weights().get(0).sha256();
     * }</pre>
     *
     * @return the version with the copy recorded
     * @throws dev.finetune4j.NotFoundException when the assistant has no such version
     * @throws IllegalArgumentException when the version is not this provider's, or {@code kind} does
     *     not apply to its job's training type
     */
    public ModelVersion keepWeights(FineTuning fineTuning, String assistant, int version, WeightsKind kind) {
        Assistant a = fineTuning.assistant(assistant);
        ModelVersion v = ownVersion(a, version);
        return a.recordWeights(version, storeWeights(v.providerModelId(), kind, fineTuning.store(),
                fineTuning.tenant()));
    }

    /**
     * Keeps a copy of a model version's weights in a file and records it on the version: {@link
     * #downloadWeights} to {@code target}, then {@link Assistant#recordWeights}.
     *
     * @return the version with the copy recorded
     * @throws dev.finetune4j.NotFoundException when the assistant has no such version
     * @throws IllegalArgumentException when the version is not this provider's, {@code kind} does not
     *     apply to its job's training type, or the target file exists
     */
    public ModelVersion keepWeights(FineTuning fineTuning, String assistant, int version, WeightsKind kind,
                                    Path target) {
        Assistant a = fineTuning.assistant(assistant);
        ModelVersion v = ownVersion(a, version);
        return a.recordWeights(version, downloadWeights(v.providerModelId(), kind, target).copy(clock.instant()));
    }

    private static ModelVersion ownVersion(Assistant assistant, int version) {
        ModelVersion v = assistant.modelVersion(version).orElseThrow(() -> new NotFoundException("assistant '"
                + assistant.name() + "' has no model version " + version));
        if (!TogetherProviderFactory.ID.equals(v.provider())) {
            throw new IllegalArgumentException("model version " + version + " of '" + assistant.name()
                    + "' was trained on " + v.provider() + ", not together; its weights are not Together's to give");
        }
        return v;
    }

    /** What to download: the job, step, Together's checkpoint name, and the output name for a file name. */
    private record Weights(String jobId, int step, String checkpoint, String name) {}

    private Weights weights(String model, WeightsKind kind) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(kind, "kind");
        String jobId = jobIdOf(model);
        int step = -1;
        int colon = jobId.lastIndexOf(':');
        if (colon > 0) {
            step = Integer.parseInt(jobId.substring(colon + 1));
            jobId = jobId.substring(0, colon);
        }
        JsonNode job = http.getJson(jobPath(jobId));
        String type = JobJson.text(job.path("training_type"), "type");
        boolean lora = "Lora".equalsIgnoreCase(type);
        String checkpoint;
        if (lora) {
            checkpoint = kind == WeightsKind.ADAPTER ? "adapter" : "merged";
        } else if (kind == WeightsKind.DEFAULT) {
            checkpoint = "model_output_path";
        } else {
            throw new IllegalArgumentException("together: job " + jobId + " trained the full model (training_type "
                    + type + "); its weights are WeightsKind.DEFAULT only, not " + kind);
        }
        return new Weights(jobId, step, checkpoint,
                Optional.ofNullable(JobJson.text(job, "model_output_name")).orElse(jobId));
    }

    /** The job id a model name or job id names, keeping a {@code :STEP}. */
    private String jobIdOf(String model) {
        if (CreateBody.isJobId(model)) {
            return model;
        }
        for (JsonNode j : jobs()) {
            if (model.equals(JobJson.text(j, "model_output_name")) || model.equals(JobJson.text(j,
                    "adapter_output_name"))) {
                return JobJson.text(j, "id");
            }
        }
        throw new NotFoundException("together: no job of this account produced the model '" + model
                + "' (GET /fine-tunes lists none whose model_output_name it is)",
                ProviderError.builder(TogetherProviderFactory.ID, 404).errorCode("model_not_found").build());
    }

    /** Nothing to release: the HTTP client is shared (or the host app's). */
    @Override
    public void close() {
        // The JDK client is shared or owned by the host app; this provider holds nothing else.
    }

    @Override
    public String toString() {
        return "TogetherProvider[" + http.baseUrl() + "]";
    }

    private static String jobPath(String remoteId) {
        Objects.requireNonNull(remoteId, "remoteId");
        return "/fine-tunes/" + ApiRequest.segment(remoteId);
    }
}
