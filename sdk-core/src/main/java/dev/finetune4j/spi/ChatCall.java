package dev.finetune4j.spi;

import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolDefinition;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One chat completion call to a provider: the model, the full message list (already resolved by
 * the router: system prompt and few-shot examples included), the tools offered, and the {@link
 * ChatOptions} of the host app's {@link dev.finetune4j.chat.ChatRequest}, unchanged; for a model
 * version served by a deployment, also where the deployment serves ({@link #servingUrl()}) and how
 * long a deployment scaled to zero may take to wake ({@link #wakeUpTimeout()}). Immutable and
 * thread-safe; build with {@link #builder(String)}.
 */
public final class ChatCall {

    private final String model;
    private final List<Message> messages;
    private final List<ToolDefinition> tools;
    private final ChatOptions options;
    private final URI servingUrl;
    private final Duration wakeUpTimeout;

    private ChatCall(Builder b) {
        this.model = b.model;
        this.messages = List.copyOf(b.messages);
        this.tools = List.copyOf(b.tools);
        this.options = b.options;
        this.servingUrl = b.servingUrl;
        this.wakeUpTimeout = b.wakeUpTimeout;
    }

    /** A builder for a call to {@code model} (a base model or a fine-tuned model id). */
    public static Builder builder(String model) {
        return new Builder(model);
    }

    /** A builder holding this call, to change a part of it. */
    public Builder toBuilder() {
        Builder b = new Builder(model);
        b.messages.addAll(messages);
        b.tools.addAll(tools);
        b.options = options;
        b.servingUrl = servingUrl;
        b.wakeUpTimeout = wakeUpTimeout;
        return b;
    }

    /** The provider model id. */
    public String model() {
        return model;
    }

    /** The messages, in order; never empty. */
    public List<Message> messages() {
        return messages;
    }

    /** Tool definitions offered to the model; may be empty. */
    public List<ToolDefinition> tools() {
        return tools;
    }

    /** How the answer is generated; {@link ChatOptions#none()} unless set. */
    public ChatOptions options() {
        return options;
    }

    /**
     * Where the call goes instead of the provider's configured endpoint: the base URL of the
     * deployment that serves the model (including {@code /v1} for OpenAI-compatible servers). A chat
     * service that cannot send there refuses the call with {@link IllegalArgumentException}
     * rather than send it to its own endpoint.
     */
    public Optional<URI> servingUrl() {
        return Optional.ofNullable(servingUrl);
    }

    /**
     * How long the serving side may hold the call while a deployment scaled to zero wakes up
     * (Hugging Face: the {@code X-Scale-Up-Timeout} header); empty to answer at once (a waking
     * deployment then answers 503).
     */
    public Optional<Duration> wakeUpTimeout() {
        return Optional.ofNullable(wakeUpTimeout);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatCall c && model.equals(c.model) && messages.equals(c.messages)
                && tools.equals(c.tools) && options.equals(c.options) && Objects.equals(servingUrl, c.servingUrl)
                && Objects.equals(wakeUpTimeout, c.wakeUpTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, messages, tools, options, servingUrl, wakeUpTimeout);
    }

    /** The model, the sizes of the lists, the options and where it goes; never message text. */
    @Override
    public String toString() {
        return "ChatCall[" + model + ", " + messages.size() + " messages, " + tools.size() + " tools, " + options
                + (servingUrl == null ? "" : ", at " + servingUrl)
                + (wakeUpTimeout == null ? "" : ", wake up within " + wakeUpTimeout) + "]";
    }

    /** Builds a {@link ChatCall}. Not thread-safe. */
    public static final class Builder {
        private final String model;
        private final List<Message> messages = new ArrayList<>();
        private final List<ToolDefinition> tools = new ArrayList<>();
        private ChatOptions options = ChatOptions.none();
        private URI servingUrl;
        private Duration wakeUpTimeout;

        private Builder(String model) {
            this.model = Objects.requireNonNull(model, "model");
            if (model.isBlank()) {
                throw new IllegalArgumentException("model is blank");
            }
        }

        /** Appends a message. */
        public Builder message(Message message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /** Appends messages, in order. */
        public Builder messages(List<Message> list) {
            Objects.requireNonNull(list, "list").forEach(this::message);
            return this;
        }

        /** Offers a tool to the model. */
        public Builder tool(ToolDefinition tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /** Offers tools to the model, in order. */
        public Builder tools(List<ToolDefinition> list) {
            Objects.requireNonNull(list, "list").forEach(this::tool);
            return this;
        }

        /** How the answer is generated (replacing options set before). */
        public Builder options(ChatOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Sends the call to this base URL instead of the provider's configured endpoint (a
         * deployment's address).
         *
         * @throws IllegalArgumentException when it is not an absolute http(s) URL
         */
        public Builder servingUrl(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException("a serving URL must be an absolute http(s) URL, was " + url);
            }
            this.servingUrl = url;
            return this;
        }

        /**
         * How long the serving side may hold the call while a deployment scaled to zero wakes up.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder wakeUpTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("wakeUpTimeout must be positive, was " + timeout);
            }
            this.wakeUpTimeout = timeout;
            return this;
        }

        /**
         * The call.
         *
         * @throws IllegalStateException when there is no message
         */
        public ChatCall build() {
            if (messages.isEmpty()) {
                throw new IllegalStateException("a chat call to " + model + " needs at least one message");
            }
            return new ChatCall(this);
        }
    }
}
