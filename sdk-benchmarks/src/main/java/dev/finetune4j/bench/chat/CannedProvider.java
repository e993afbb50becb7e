package dev.finetune4j.bench.chat;

import dev.finetune4j.dataset.RuleSet;
import dev.finetune4j.format.DatasetFormat;
import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
import java.util.List;
import java.util.Optional;

/**
 * A provider that answers every chat call at once with one fixed result, and passes everything
 * else to a real provider: the router over it costs only the router's own work (no JSON, no HTTP).
 */
final class CannedProvider implements Provider {

    private final Provider real;
    private final ChatResult answer;

    CannedProvider(Provider real, ChatResult answer) {
        this.real = real;
        this.answer = answer;
    }

    @Override
    public ChatResult chat(ChatCall call) {
        return answer;
    }

    @Override
    public String id() {
        return real.id();
    }

    @Override
    public Capabilities capabilities() {
        return real.capabilities();
    }

    @Override
    public RuleSet rules() {
        return real.rules();
    }

    @Override
    public DatasetFormat uploadFormat() {
        return real.uploadFormat();
    }

    @Override
    public UploadedData upload(TrainingData data) {
        return real.upload(data);
    }

    @Override
    public RemoteJob createJob(JobRequest request) {
        return real.createJob(request);
    }

    @Override
    public RemoteJob getJob(String remoteId) {
        return real.getJob(remoteId);
    }

    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        return real.findJobByTag(tag);
    }

    @Override
    public RemoteJob startJob(String remoteId) {
        return real.startJob(remoteId);
    }

    @Override
    public RemoteJob cancelJob(String remoteId) {
        return real.cancelJob(remoteId);
    }

    @Override
    public EventPage events(String remoteId, String cursor) {
        return real.events(remoteId, cursor);
    }

    @Override
    public List<MetricPoint> metrics(String remoteId) {
        return real.metrics(remoteId);
    }

    @Override
    public void deleteModel(String providerModelId) {
        real.deleteModel(providerModelId);
    }

    @Override
    public void chatStream(ChatCall call, ChatStreamListener listener) {
        real.chatStream(call, listener);
    }

    @Override
    public void close() {
        // the real provider belongs to the caller
    }
}
