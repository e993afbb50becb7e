package dev.finetune4j.spi;

import dev.finetune4j.dataset.RuleSet;
import dev.finetune4j.format.DatasetFormat;
import java.util.List;
import java.util.Optional;

/** Provider factories the ServiceLoader finds in tests: one that works, one that needs a key. */
public final class TestFactories {

    private TestFactories() {}

    /** Always creates a provider that reports its configuration's endpoint. */
    public static final class Working implements ProviderFactory {
        @Override
        public String id() {
            return "working";
        }

        @Override
        public Provider create(ProviderConfig config) {
            return new Stub("working");
        }
    }

    /** Needs WORKING_KEY in the environment, like a real provider needs its API key. */
    public static final class NeedsKey implements ProviderFactory {
        @Override
        public String id() {
            return "needs-key";
        }

        @Override
        public Provider create(ProviderConfig config) {
            config.env("NEEDS_KEY_API_KEY").orElseThrow(() -> new IllegalStateException(
                    "needs-key: NEEDS_KEY_API_KEY is not set"));
            return new Stub("needs-key");
        }
    }

    record Stub(String id) implements Provider {
        @Override
        public Capabilities capabilities() {
            return new Capabilities(false, false, false, false, false, false, false, false, false);
        }

        @Override
        public RuleSet rules() {
            return RuleSet.OPENAI;
        }

        @Override
        public DatasetFormat uploadFormat() {
            return DatasetFormat.OPENAI;
        }

        @Override
        public UploadedData upload(TrainingData data) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RemoteJob createJob(JobRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RemoteJob getJob(String remoteId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<RemoteJob> findJobByTag(String tag) {
            return Optional.empty();
        }

        @Override
        public RemoteJob startJob(String remoteId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RemoteJob cancelJob(String remoteId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EventPage events(String remoteId, String cursor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<dev.finetune4j.job.MetricPoint> metrics(String remoteId) {
            return List.of();
        }

        @Override
        public void deleteModel(String providerModelId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChatResult chat(ChatCall call) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void chatStream(ChatCall call, ChatStreamListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            // nothing
        }
    }
}
