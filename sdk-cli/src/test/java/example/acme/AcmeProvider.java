package example.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.job.JobStatus;
import dev.finetune4j.job.MetricPoint;
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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Acme AI: uploads ({@code POST /files}), fine-tunes ({@code POST /fine-tunes}, {@code GET
 * /fine-tunes/{id}}, {@code POST /fine-tunes/{id}/cancel}) and chat through the kit's
 * OpenAI-compatible client. It reports no events or metrics, has no cost preview, cannot find a job
 * by its tag nor delete a model: its descriptor does not declare those capabilities, so the core
 * never asks.
 */
public final class AcmeProvider implements Provider, TrainingService {

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

    @Override
    public UploadedData upload(TrainingData data) {
        String train = file(data.trainingFile(), "train.jsonl");
        String validation = data.validation().map(v -> file(v, "validation.jsonl")).orElse(null);
        return new UploadedData(train, validation, Map.of());
    }

    private String file(Path path, String name) {
        return http.postMultipart("/files", Multipart.builder().field("purpose", "fine-tune")
                .file("file", path, name, "application/jsonl").build(), RetrySafety.SAFE).path("id").asText();
    }

    @Override
    public RemoteJob createJob(JobRequest request) {
        ObjectNode body = ProviderJson.mapper().createObjectNode()
                .put("model", request.baseModel())
                .put("training_file", request.data().trainingRef())
                .put("tag", request.tag());
        if (request.data().validationRef() != null) {
            body.put("validation_file", request.data().validationRef());
        }
        return job(http.postJson("/fine-tunes", body, RetrySafety.UNSAFE));
    }

    @Override
    public RemoteJob getJob(String remoteId) {
        return job(http.getJson("/fine-tunes/" + ApiRequest.segment(remoteId)));
    }

    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        return Optional.empty();
    }

    @Override
    public RemoteJob startJob(String remoteId) {
        throw new UnsupportedOperationException("acme starts jobs when they are created");
    }

    @Override
    public RemoteJob cancelJob(String remoteId) {
        return job(http.postJson("/fine-tunes/" + ApiRequest.segment(remoteId) + "/cancel",
                ProviderJson.mapper().createObjectNode(), RetrySafety.SAFE));
    }

    @Override
    public EventPage events(String remoteId, String cursor) {
        return new EventPage(List.of(), cursor);
    }

    @Override
    public List<MetricPoint> metrics(String remoteId) {
        return List.of();
    }

    @Override
    public void deleteModel(String providerModelId) {
        throw new UnsupportedOperationException("acme cannot delete models");
    }

    @Override
    public void close() {
        // the HTTP client is shared
    }

    private static RemoteJob job(JsonNode json) {
        String raw = json.path("status").asText();
        JobStatus status = switch (raw) {
            case "queued" -> JobStatus.QUEUED;
            case "running" -> JobStatus.RUNNING;
            case "succeeded" -> JobStatus.SUCCEEDED;
            case "failed" -> JobStatus.FAILED;
            case "cancelled" -> JobStatus.CANCELLED;
            default -> JobStatus.UNKNOWN;
        };
        RemoteJob.Builder b = RemoteJob.builder(json.path("id").asText(), status, raw)
                .baseModel(json.path("model").asText(null)).tag(json.path("tag").asText(null));
        if (json.hasNonNull("fine_tuned_model")) {
            b.fineTunedModel(json.get("fine_tuned_model").asText());
        }
        return b.build();
    }
}
