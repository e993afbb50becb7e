package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.mistral.MistralApi;
import java.util.Map;

/**
 * A stateful emulator of the Mistral HTTP API on a local port: files, fine-tuning jobs
 * ({@code QUEUED → VALIDATED → RUNNING → SUCCESS}, with the {@code auto_start: false} cost preview
 * in {@code metadata} and {@code /start}), checkpoints, fine-tuned models (archive, rename,
 * delete) and chat completions (plain and streamed) where a fine-tuned model answers from its
 * training data. {@link #baseUrl()} is the host without {@code /v1}, as {@code MISTRAL_BASE_URL}
 * expects.
 *
 * <pre>{@code
 * @RegisterExtension
 * static MistralEmulator mistral = MistralEmulator.create();
 * }</pre>
 *
 * The lifecycle, faults and views are the same as {@link OpenAiEmulator}'s. What is emulated and
 * what is not is listed in {@code sdk-testkit/README.md}. Thread-safe.
 */
public final class MistralEmulator extends EmulatorBase<MistralEmulator> {

    private MistralEmulator(Builder b) {
        super("mistral", "Mistral", new MistralApi(b.settings()), b);
    }

    /** An emulator with default settings, not started yet: it starts with the JUnit test class or on first use. */
    public static MistralEmulator create() {
        return builder().build();
    }

    /** Starts an emulator with default settings on a free port. */
    public static MistralEmulator start() {
        return builder().start();
    }

    /**
     * Starts an emulator with default settings on {@code port}.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static MistralEmulator start(int port) {
        return builder().port(port).start();
    }

    /** A builder for an emulator with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL clients use, {@code http://localhost:PORT} (paths {@code /v1/...} are appended by clients). */
    @Override
    public String baseUrl() {
        return lifecycle.rootUrl();
    }

    /** {@code MISTRAL_BASE_URL} and {@code MISTRAL_API_KEY}; starts the emulator if needed. */
    @Override
    public Map<String, String> environment() {
        return variables("MISTRAL_BASE_URL", baseUrl(), "MISTRAL_API_KEY", clientKey());
    }

    /**
     * Settings of a {@link MistralEmulator}: those of every emulator. The default base models are
     * the fine-tunable ones. Not thread-safe.
     */
    public static final class Builder extends EmulatorBuilder<Builder, MistralEmulator> {

        private Builder() {
            super(MistralApi.DEFAULT_BASE_MODELS);
        }

        @Override
        public MistralEmulator build() {
            return new MistralEmulator(this);
        }
    }
}
