package dev.finetune4j.testkit;

import dev.finetune4j.testkit.internal.together.TogetherApi;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A stateful emulator of the Together AI HTTP API on a local port: files (the clients' upload
 * flow: {@code POST /files} redirected to an upload URL, a {@code PUT} of the bytes without the key,
 * {@code /preprocess}, with Together's file check; and the one-step {@code /files/upload}),
 * fine-tune jobs ({@code pending → queued → running → completed}, {@code user_error} for data the
 * check refuses, {@code error} when scripted, {@code cancel_requested → cancelled}) with their
 * events, metrics, intermediate and final checkpoints, {@code from_checkpoint}, model limits, the
 * weights download ({@code GET /finetune/download}: a gzip tar, the same bytes for the same job),
 * dedicated endpoints ({@code /endpoints}, {@code /hardware}; {@link #endpoints()}) that start as
 * jobs progress and serve any model of the account, and chat completions (plain and streamed)
 * where a LoRA adapter on a base Together serves serverless, or a started endpoint, answers from
 * the training data, and price estimates ({@code POST /fine-tunes/estimate-price}: the price a job
 * on the same files, epochs and evaluations will report as its {@code total_price}, in dollars, and
 * whether it is within the account's {@link #creditLimit(BigDecimal) credit limit}); its faults are
 * scripted as any route's, {@code on("POST", "/fine-tunes/estimate-price").serverErrorNext(1)}.
 * {@link #baseUrl()} includes {@code /v1}, as {@code
 * TOGETHER_BASE_URL} expects.
 *
 * <pre>{@code
 * @RegisterExtension
 * static TogetherEmulator together = TogetherEmulator.create();
 * }</pre>
 *
 * The lifecycle, faults and views are the same as {@link OpenAiEmulator}'s. What is emulated and
 * what is not is listed in {@code sdk-testkit/README.md}. Thread-safe.
 */
public final class TogetherEmulator extends EmulatorBase<TogetherEmulator> {

    private final String user;

    private TogetherEmulator(Builder b) {
        super("together", "Together AI", new TogetherApi(b.settings(), b.user, b.creditLimit), b);
        this.user = b.user;
        ((TogetherApi) api).rootUrl(lifecycle::rootUrl);
    }

    /** An emulator with default settings, not started yet: it starts with the JUnit test class or on first use. */
    public static TogetherEmulator create() {
        return builder().build();
    }

    /** Starts an emulator with default settings on a free port. */
    public static TogetherEmulator start() {
        return builder().start();
    }

    /**
     * Starts an emulator with default settings on {@code port}.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static TogetherEmulator start(int port) {
        return builder().port(port).start();
    }

    /** A builder for an emulator with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The base URL clients use, {@code http://localhost:PORT/v1} (as {@code TOGETHER_BASE_URL}); starts the emulator if needed. */
    @Override
    public String baseUrl() {
        return lifecycle.rootUrl() + "/v1";
    }

    /** {@code TOGETHER_BASE_URL} and {@code TOGETHER_API_KEY}; starts the emulator if needed. */
    @Override
    public Map<String, String> environment() {
        return variables("TOGETHER_BASE_URL", baseUrl(), "TOGETHER_API_KEY", clientKey());
    }

    /** The user name every fine-tuned model's name starts with ({@code user/base-suffix-1a2b3c4d}). */
    public String user() {
        return user;
    }

    /**
     * The dedicated endpoints ({@code /v1/endpoints}), oldest first, as they are now. An endpoint
     * moves {@code PENDING} → {@code STARTING} → {@code STARTED} as jobs move (one state per read of
     * it, per step of the clock, or by {@link #advanceEndpoint}); once started it serves chat under its
     * {@code name}, a fine-tuned model (full or LoRA) from its training data.
     */
    public List<EmulatedDedicatedEndpoint> endpoints() {
        return together().endpointSnapshots();
    }

    /** One dedicated endpoint, by id ({@code endpoint-…}), as it is now. */
    public Optional<EmulatedDedicatedEndpoint> endpoint(String id) {
        Objects.requireNonNull(id, "id");
        return endpoints().stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /**
     * Moves a dedicated endpoint one state on, as one read of it would.
     *
     * @throws IllegalArgumentException when there is no such endpoint
     */
    public TogetherEmulator advanceEndpoint(String id) {
        together().advanceEndpoint(Objects.requireNonNull(id, "id"));
        return this;
    }

    /**
     * The next dedicated endpoint created goes to {@code ERROR} when it would start. {@code message}
     * says why, for the test's own reading: Together's endpoint object carries no error text.
     */
    public TogetherEmulator failNextEndpoint(String message) {
        together().failNextEndpoint(Objects.requireNonNull(message, "message"));
        return this;
    }

    /** The account's credit limit in dollars, the price estimate's {@code user_limit}. */
    public BigDecimal creditLimit() {
        return together().creditLimit();
    }

    /**
     * Sets the account's credit limit in dollars, until the next {@link #reset()}: a price estimate
     * above it answers {@code allowed_to_proceed: false}. Jobs still run whatever they cost (the
     * emulator cancels nothing for insufficient funds).
     *
     * @throws IllegalArgumentException when it is negative
     */
    public TogetherEmulator creditLimit(BigDecimal dollars) {
        together().creditLimit(Builder.checkLimit(dollars));
        return this;
    }

    private TogetherApi together() {
        return (TogetherApi) api;
    }

    /**
     * Settings of a {@link TogetherEmulator}: those of every emulator, plus the user name. The default
     * base models are Llama 3.1 8B and 70B Instruct Reference, Llama 3.2 1B and 3B Instruct, Qwen2.5
     * 72B Instruct, Qwen3 8B and 32B; LoRA adapters of Llama 3.1 8B/70B Reference and Qwen2.5 72B
     * are served serverless, as Together lists them. Not thread-safe.
     */
    public static final class Builder extends EmulatorBuilder<Builder, TogetherEmulator> {

        private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

        /** The credit limit an emulator starts with unless told otherwise, in dollars. */
        public static final BigDecimal DEFAULT_CREDIT_LIMIT = new BigDecimal("100");

        private String user = "emulator";
        private BigDecimal creditLimit = DEFAULT_CREDIT_LIMIT;

        private Builder() {
            super(TogetherApi.DEFAULT_BASE_MODELS);
        }

        /**
         * The account's user name, which starts every fine-tuned model's name; {@code emulator} by default.
         *
         * @throws IllegalArgumentException when it is not letters, digits, {@code _} and {@code -} (at most 64)
         */
        public Builder user(String user) {
            Objects.requireNonNull(user, "user");
            if (!USER.matcher(user).matches()) {
                throw new IllegalArgumentException("user must be letters, digits, '_' and '-' (at most 64), was '"
                        + user + "'");
            }
            this.user = user;
            return this;
        }

        /**
         * The account's credit limit in dollars ($100 by default), which price estimates answer as
         * {@code user_limit}; an estimate above it answers {@code allowed_to_proceed: false}.
         * Together's own rule ("significantly greater than your current credit limit and balance
         * combined") has no published threshold: the emulator answers {@code false} for any price
         * above the limit, and has no separate balance.
         *
         * @throws IllegalArgumentException when it is negative
         */
        public Builder creditLimit(BigDecimal dollars) {
            this.creditLimit = checkLimit(dollars);
            return this;
        }

        static BigDecimal checkLimit(BigDecimal dollars) {
            Objects.requireNonNull(dollars, "dollars");
            if (dollars.signum() < 0) {
                throw new IllegalArgumentException("a credit limit must not be negative, was " + dollars);
            }
            return dollars;
        }

        @Override
        void account(String name) {
            user(name);
        }

        @Override
        public TogetherEmulator build() {
            return new TogetherEmulator(this);
        }
    }
}
