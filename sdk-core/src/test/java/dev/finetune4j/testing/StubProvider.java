package dev.finetune4j.testing;

import dev.finetune4j.job.MetricPoint;
import dev.finetune4j.spi.Capabilities;
import dev.finetune4j.spi.Capability;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import dev.finetune4j.spi.ChatService;
import dev.finetune4j.spi.ChatStreamListener;
import dev.finetune4j.spi.EventPage;
import dev.finetune4j.spi.JobRequest;
import dev.finetune4j.spi.Provider;
import dev.finetune4j.spi.ProviderDescriptor;
import dev.finetune4j.spi.RemoteJob;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.TrainingService;
import dev.finetune4j.spi.UploadedData;
import java.util.List;
import java.util.Optional;

/**
 * A provider for tests that can do nothing: every operation throws until a test's subclass
 * overrides the ones it needs. It trains and chats (it is its own training and chat service), with
 * the shared data rules, OpenAI uploads, and every capability but pause/resume and a cost preview.
 */
public abstract class StubProvider implements Provider, TrainingService, ChatService {

    private final ProviderDescriptor descriptor;

    protected StubProvider(String id) {
        this.descriptor = ProviderDescriptor.builder(id)
                .capabilities(Capabilities.of(Capability.TRAINING, Capability.CHAT, Capability.VALIDATION_FILE,
                        Capability.CANCEL, Capability.CONTINUE_FROM_FINE_TUNED, Capability.DELETE_MODEL,
                        Capability.WEIGHTS, Capability.TOOLS, Capability.FIND_BY_TAG))
                .build();
    }

    @Override
    public ProviderDescriptor descriptor() {
        return descriptor;
    }


    private UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(getClass().getSimpleName() + " does not " + what);
    }

    @Override
    public UploadedData upload(TrainingData data) {
        throw unsupported("upload");
    }

    @Override
    public RemoteJob createJob(JobRequest request) {
        throw unsupported("create jobs");
    }

    @Override
    public RemoteJob getJob(String remoteId) {
        throw unsupported("get jobs");
    }

    @Override
    public Optional<RemoteJob> findJobByTag(String tag) {
        return Optional.empty();
    }

    @Override
    public RemoteJob startJob(String remoteId) {
        throw unsupported("start jobs");
    }

    @Override
    public RemoteJob cancelJob(String remoteId) {
        throw unsupported("cancel jobs");
    }

    @Override
    public EventPage events(String remoteId, String cursor) {
        throw unsupported("list events");
    }

    @Override
    public List<MetricPoint> metrics(String remoteId) {
        return List.of();
    }

    @Override
    public void deleteModel(String providerModelId) {
        throw unsupported("delete models");
    }

    @Override
    public ChatResult chat(ChatCall call) {
        throw unsupported("chat");
    }

    @Override
    public void chatStream(ChatCall call, ChatStreamListener listener) {
        throw unsupported("stream chat");
    }

    @Override
    public void close() {
        // nothing to release
    }
}
