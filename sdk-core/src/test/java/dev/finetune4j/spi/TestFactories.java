package dev.finetune4j.spi;


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

    static final class Stub extends dev.finetune4j.testing.StubProvider {
        Stub(String id) {
            super(id);
        }
    }
}
