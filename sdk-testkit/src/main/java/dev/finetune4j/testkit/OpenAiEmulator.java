package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.openai.OpenAiApi;
import java.util.Map;
import java.util.Objects;

/**
 * A stateful emulator of the OpenAI HTTP API on a local port, for tests and demos without the
 * internet: files and uploads, fine-tuning jobs that move through their statuses with events,
 * metrics and checkpoints, models (with deletion), and chat completions (plain and streamed)
 * where a fine-tuned model answers from its training data. Any OpenAI client works against
 * {@link #baseUrl()} ({@code http://localhost:PORT/v1}, what {@code OPENAI_BASE_URL} expects).
 *
 * <p>As a JUnit 5 extension (started before the first test, state reset before each test,
 * stopped after the last; test methods may take it as a parameter):
 * <pre>{@code
 * @RegisterExtension
 * static OpenAiEmulator openai = OpenAiEmulator.create();
 * }</pre>
 * As a plain object:
 * <pre>{@code
 * try (OpenAiEmulator openai = OpenAiEmulator.start()) {
 *     client = new MyClient(openai.baseUrl(), "sk-test");
 * }
 * }</pre>
 *
 * <p>Any non-blank {@code Authorization: Bearer} key is accepted unless {@link Builder#apiKey}
 * names the one key to accept. Scripted faults ({@link #rateLimitNext}, {@link #on(String)} …)
 * apply to the next matching requests in the order they were added. What is emulated and what is
 * not is listed in {@code sdk-testkit/README.md}.
 *
 * <p>Thread-safe: requests are served concurrently, state changes one request at a time.
 */
public final class OpenAiEmulator extends EmulatorBase<OpenAiEmulator> {

    private final String baseUrlVariable;
    private final String keyVariable;

    private OpenAiEmulator(Builder b) {
        super(b.providerId, b.displayName, new OpenAiApi(b.settings(), b.organization), b);
        this.baseUrlVariable = b.baseUrlVariable;
        this.keyVariable = b.keyVariable;
    }

    /** An emulator with default settings, not started yet: it starts with the JUnit test class or on first use. */
    public static OpenAiEmulator create() {
        return builder().build();
    }

    /** Starts an emulator with default settings on a free port. */
    public static OpenAiEmulator start() {
        return builder().start();
    }

    /**
     * Starts an emulator with default settings on {@code port}.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static OpenAiEmulator start(int port) {
        return builder().port(port).start();
    }

    /** A builder for an emulator with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL clients use, {@code http://localhost:PORT/v1} (as {@code OPENAI_BASE_URL}); starts the emulator if needed. */
    @Override
    public String baseUrl() {
        return lifecycle.rootUrl() + "/v1";
    }

    /**
     * {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY}, or the variables {@link Builder#servesAs}
     * named; starts the emulator if needed.
     */
    @Override
    public Map<String, String> environment() {
        return variables(baseUrlVariable, baseUrl(), keyVariable, clientKey());
    }

    /**
     * Settings of an {@link OpenAiEmulator}: those of every emulator, plus the organization. The
     * default base models are gpt-4o-mini, gpt-4o, the gpt-4.1 family, gpt-3.5-turbo, babbage-002
     * and davinci-002, with their dated snapshots. Not thread-safe.
     */
    public static final class Builder extends EmulatorBuilder<Builder, OpenAiEmulator> {

        private String organization = "emulator";
        private String providerId = "openai";
        private String displayName = "OpenAI";
        private String baseUrlVariable = "OPENAI_BASE_URL";
        private String keyVariable = "OPENAI_API_KEY";

        private Builder() {
            super(OpenAiApi.DEFAULT_BASE_MODELS);
        }

        /**
         * The organization name that appears in fine-tuned model ids
         * ({@code ft:BASE:ORGANIZATION:SUFFIX:ID}); {@code emulator} by default.
         */
        public Builder organization(String organization) {
            Objects.requireNonNull(organization, "organization");
            if (organization.isBlank() || organization.contains(":")) {
                throw new IllegalArgumentException("organization must be non-blank without ':', was '" + organization + "'");
            }
            this.organization = organization;
            return this;
        }

        /**
         * Serves as another provider that speaks the OpenAI protocol: the emulator reports {@code
         * providerId} and {@code displayName} (so {@code Emulators} and the CLI list it under that
         * provider) and its {@link OpenAiEmulator#environment() environment} names the provider's own
         * variables. What the emulator of an OpenAI-compatible provider module is, in one line:
         * {@code OpenAiEmulator.builder().servesAs("acme", "Acme AI", "ACME_BASE_URL", "ACME_API_KEY")}.
         *
         * @throws IllegalArgumentException when a value is blank
         */
        public Builder servesAs(String providerId, String displayName, String baseUrlVariable, String keyVariable) {
            this.providerId = nonBlank(providerId, "providerId");
            this.displayName = nonBlank(displayName, "displayName");
            this.baseUrlVariable = nonBlank(baseUrlVariable, "baseUrlVariable");
            this.keyVariable = nonBlank(keyVariable, "keyVariable");
            return this;
        }

        private static String nonBlank(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank, was '" + value + "'");
            }
            return value;
        }

        @Override
        void account(String name) {
            organization(name);
        }

        @Override
        public OpenAiEmulator build() {
            return new OpenAiEmulator(this);
        }
    }
}
