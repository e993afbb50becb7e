package dev.finetune4j.langchain4j;

import dev.finetune4j.chat.ChatRouter;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link FineTuneChatModel} and {@link FineTuneStreamingChatModel} are built from: the
 * router, the assistant, LangChain4j listeners and default parameters, the capabilities
 * announced and whether JSON schemas are strict. Not thread-safe.
 *
 * @param <B> the concrete builder
 */
public abstract class FineTuneModelBuilder<B extends FineTuneModelBuilder<B>> {

    private ChatRouter router;
    private String assistant;
    private List<ChatModelListener> listeners = List.of();
    private ChatRequestParameters defaults = DefaultChatRequestParameters.EMPTY;
    private Set<Capability> capabilities = EnumSet.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    private boolean strictJsonSchema;

    /** A builder with the defaults. */
    protected FineTuneModelBuilder() {}

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The router that sends the calls (required). The model does not own it: create one router
     * when the application starts, share it, and close it when the application stops.
     */
    public B router(ChatRouter router) {
        this.router = Objects.requireNonNull(router, "router");
        return self();
    }

    /** The assistant called unless a request's parameters name another as their model name (required). */
    public B assistant(String assistant) {
        this.assistant = Objects.requireNonNull(assistant, "assistant");
        return self();
    }

    /** Listeners called before each request and after each answer or error, as LangChain4j calls them. */
    public B listeners(List<ChatModelListener> listeners) {
        this.listeners = List.copyOf(listeners);
        return self();
    }

    /**
     * Parameters every request starts from (a request's own values win); {@link
     * FineTuneChatRequestParameters} for a default subject, pins or seed.
     */
    public B defaultRequestParameters(ChatRequestParameters parameters) {
        this.defaults = Objects.requireNonNull(parameters, "parameters");
        return self();
    }

    /**
     * What the model announces to LangChain4j; default {@link Capability#RESPONSE_FORMAT_JSON_SCHEMA},
     * which OpenAI, Mistral and vLLM chat APIs accept: AI Services then ask for structured output
     * through the response format instead of appending format instructions to the user's message
     * (which a fine-tuned model was not trained on). Pass an empty set for a provider without it.
     */
    public B supportedCapabilities(Set<Capability> capabilities) {
        this.capabilities = capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities);
        return self();
    }

    /** Whether JSON schemas are sent as strict (OpenAI's structured outputs); default false. */
    public B strictJsonSchema(boolean strict) {
        this.strictJsonSchema = strict;
        return self();
    }

    /** The settings, checked. */
    ModelSettings settings() {
        if (router == null) {
            throw new IllegalStateException("a router is required: builder().router(ft.chatRouter(options))");
        }
        if (assistant == null) {
            throw new IllegalStateException("an assistant is required: builder().assistant(\"avatar-42\")");
        }
        ChatRequestParameters merged = FineTuneChatRequestParameters.builder().modelName(assistant).build()
                .overrideWith(defaults);
        return new ModelSettings(router, merged, listeners, Set.copyOf(capabilities), strictJsonSchema);
    }
}
