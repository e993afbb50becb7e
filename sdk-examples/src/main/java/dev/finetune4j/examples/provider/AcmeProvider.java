package dev.finetune4j.examples.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.UnsupportedCapabilityException;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.Capability;
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
import dev.finetune4j.spi.kit.Multipart;
import dev.finetune4j.spi.kit.OpenAiCompatibleChat;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.ProviderJson;
import dev.finetune4j.spi.kit.RetrySafety;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Acme AI's training and chat: files ({@code POST /files}), fine-tuning jobs ({@code
 * /fine_tuning/jobs}, tagged in {@code metadata}), their checkpoints' metrics, model deletion and
 * chat through the kit's {@link OpenAiCompatibleChat}. It reports no events, has no cost preview and
 * takes no validation file: its descriptor does not declare those capabilities, so the core never
 * asks. Thread-safe.
 */
public final class AcmeProvider implements Provider, TrainingService {

    /** The {@code metadata} key that carries the core's tag. */
    static final String TAG = "finetune4j_job";

    private final ProviderHttp http;
    private final OpenAiCompatibleChat chat;

    AcmeProvider(ProviderHttp http) {
        this.http = http;
        this.chat = OpenAiCompatibleChat.builder(http).build();
    }

    @Override
    public ProviderDescriptor descriptor() {
        return AcmeProviderFactory.DESCRIPTOR;
    }

    @Override
    public Optional<ChatService> chat() {
        return Optional.of(chat);
    }

    /**
     * Where Acme's files live: its base URL, so a file uploaded to the emulator is never reused on
     * the real service.
     */
    @Override
    public String uploadScope() {
        return http.baseUrl().toString();
    }

    @Override
    public UploadedData upload(TrainingData data) {
        JsonNode file = http.postMultipart("/files", Multipart.builder().field("purpose", "fine-tune")
                .file("file", data.trainingFile(), "train.jsonl", "application/jsonl").build(), RetrySafety.SAFE);
        return new UploadedData(file.path("id").asText(), null, Map.of());
    }

    @Override
    public RemoteJob createJob(JobRequest request) {
        ObjectNode body = ProviderJson.mapper().createObjectNode()
                .put("model", request.baseModel())
                .put("training_file", request.data().trainingRef());
        body.putObject("metadata").put(TAG, request.tag());
        return job(http.postJson("/fine_tuning/jobs", body, RetrySafety.UNSAFE));
    }

    @Override
    public RemoteJob getJob(String remoteId) {
        return job(http.getJson(jobPath(remoteId)));
    }

    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        JsonNode page = http.getJson("/fine_tuning/jobs", Map.of("metadata[" + TAG + "]", tag, "limit", "100"));
        for (JsonNode job : page.path("data")) {
            if (tag.equals(job.path("metadata").path(TAG).asText(null))) {
                return Optional.of(job(job));
            }
        }
        return Optional.empty();
    }

    /** Never asked: Acme starts a job when it is created, so its descriptor has no cost preview. */
    @Override
    public RemoteJob startJob(String remoteId) {
        throw new UnsupportedCapabilityException(descriptor().id(), Capability.COST_PREVIEW, "start a created job");
    }

    @Override
    public RemoteJob cancelJob(String remoteId) {
        return job(http.postJson(jobPath(remoteId) + "/cancel", ProviderJson.mapper().createObjectNode(),
                RetrySafety.SAFE));
    }

    /** Acme reports no events; its checkpoints' metrics are in {@link #metrics}. */
    @Override
    public EventPage events(String remoteId, String cursor) {
        return new EventPage(List.of(), cursor);
    }

    /** The metrics of the job's checkpoints, by step. */
    @Override
    public List<MetricPoint> metrics(String remoteId) {
        List<MetricPoint> points = new ArrayList<>();
        for (JsonNode c : http.getJson(jobPath(remoteId) + "/checkpoints", Map.of("limit", "100")).path("data")) {
            Map<String, Double> values = new TreeMap<>();
            c.path("metrics").properties().forEach(m -> values.put(m.getKey(), m.getValue().asDouble()));
            points.add(new MetricPoint(c.path("step_number").asLong(), values));
        }
        points.sort(Comparator.comparingLong(MetricPoint::step));
        return points;
    }

    @Override
    public void deleteModel(String providerModelId) {
        http.delete("/models/" + ApiRequest.segment(providerModelId));
    }

    @Override
    public void close() {
        // nothing to release: the JDK's HTTP client closes with the JVM
    }

    private static String jobPath(String remoteId) {
        return "/fine_tuning/jobs/" + ApiRequest.segment(remoteId);
    }

    private static RemoteJob job(JsonNode json) {
        String raw = json.path("status").asText();
        JobStatus status = switch (raw) {
            case "validating_files" -> JobStatus.VALIDATING;
            case "queued" -> JobStatus.QUEUED;
            case "running" -> JobStatus.RUNNING;
            case "succeeded" -> JobStatus.SUCCEEDED;
            case "failed" -> JobStatus.FAILED;
            case "cancelled" -> JobStatus.CANCELLED;
            default -> JobStatus.UNKNOWN;
        };
        return RemoteJob.builder(json.path("id").asText(), status, raw).baseModel(json.path("model").asText(null))
                .fineTunedModel(json.path("fine_tuned_model").asText(null))
                .tag(json.path("metadata").path(TAG).asText(null)).build();
    }
}
