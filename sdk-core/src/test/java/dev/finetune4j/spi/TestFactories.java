package dev.finetune4j.spi;

import dev.finetune4j.dataset.DataCheck;
import dev.finetune4j.dataset.DataRules;
import dev.finetune4j.policy.MinimumExamples;

/**
 * Provider factories the ServiceLoader finds in tests: one that works, one that needs a key, one
 * that cannot describe itself.
 */
public final class TestFactories {

    /** The rules {@link Working} publishes: an assistant message last, at least 7 examples, 900 tokens. */
    public static final DataRules WORKING_RULES = DataRules.builder("Working")
            .enable(DataCheck.ASSISTANT_MESSAGE_LAST)
            .minimumExamples(new MinimumExamples(7, 70, "working's published minimum"))
            .maxTokensPerExample("", 900)
            .build();

    private TestFactories() {}

    /** Always creates a provider that reports its configuration's endpoint. */
    public static final class Working implements ProviderFactory {
        static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("working")
                .displayName("Working Provider")
                .setting(ProviderSetting.endpoint("WORKING_BASE_URL", "https://working.example/v1", "the base URL"))
                .dataRules(WORKING_RULES)
                .capabilities(Capabilities.of(Capability.TRAINING, Capability.CHAT))
                .build();

        @Override
        public ProviderDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public Provider create(ProviderConfig config) {
            return new Stub("working");
        }
    }

    /** Needs NEEDS_KEY_API_KEY in the environment, like a real provider needs its API key. */
    public static final class NeedsKey implements ProviderFactory {
        static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("needs-key")
                .setting(ProviderSetting.apiKey("NEEDS_KEY_API_KEY", "the key"))
                .build();

        @Override
        public ProviderDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public Provider create(ProviderConfig config) {
            config.env("NEEDS_KEY_API_KEY").orElseThrow(() -> new IllegalStateException(
                    "needs-key: NEEDS_KEY_API_KEY is not set"));
            return new Stub("needs-key");
        }
    }

    /** A factory whose descriptor cannot be built: discovery skips it without hiding the others. */
    public static final class Undescribable implements ProviderFactory {
        @Override
        public ProviderDescriptor descriptor() {
            return ProviderDescriptor.builder("Not An Id").build();
        }

        @Override
        public Provider create(ProviderConfig config) {
            throw new AssertionError("never created");
        }
    }

    static final class Stub extends dev.finetune4j.testing.StubProvider {
        Stub(String id) {
            super(id);
        }
    }
}
