package dev.finetune4j.langchain4j;

import dev.finetune4j.langchain4j.internal.ErrorMapper;
import dev.finetune4j.langchain4j.internal.RequestMapper;
import dev.finetune4j.langchain4j.internal.ResponseMapper;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Set;

/**
 * An assistant's {@link dev.finetune4j.chat.ChatRouter} as LangChain4j's {@link ChatModel}: the
 * active model version (or the canary candidate, a pinned version, the base model on fallback)
 * answers with the active prompt version, and the app keeps LangChain4j's memory, tools,
 * structured output and RAG.
 *
 * <pre>{@code
 * ChatModel model = FineTuneChatModel.builder().router(router).assistant("avatar-42").build();
 * Assistant ava = AiServices.builder(Assistant.class)
 *         .chatModel(model)
 *         .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
 *         .chatRequestTransformer(FineTuneChatRequestParameters.subjectFromMemoryId())
 *         .build();
 * }</pre>
 *
 * <p>Requests map as follows: system, user (text), AI (text and tool requests) and tool-result
 * messages; tool specifications; temperature, top-p, max output tokens, stop sequences, frequency
 * and presence penalties, tool choice and the response format (text, JSON, JSON schema); and from
 * {@link FineTuneChatRequestParameters} the subject, pins and seed. The model name names the
 * assistant. Answers carry the AI message with its tool requests, token usage, finish reason, the
 * provider model as model name, and in {@link FineTuneChatResponseMetadata} which version,
 * prompt, arm and fallback answered. Listeners are called by LangChain4j's {@code chat}, before
 * the call and after its answer or error. Errors are LangChain4j's exceptions (authentication,
 * rate limit, model not found, invalid request, content filtered, server error, timeout) with the
 * router's exception as their cause.
 *
 * <p>Thread-safe; it does not own the router.
 */
public final class FineTuneChatModel implements ChatModel {

    private final ModelSettings settings;

    private FineTuneChatModel(ModelSettings settings) {
        this.settings = settings;
    }

    /** A builder; {@link Builder#router} and {@link Builder#assistant} are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        dev.finetune4j.chat.ChatRequest request = RequestMapper.toRouter(chatRequest, settings.strictJsonSchema());
        try {
            return ResponseMapper.toLangChain4j(settings.router().chat(request));
        } catch (RuntimeException e) {
            throw ErrorMapper.toLangChain4j(e);
        }
    }

    /** The model's default parameters; their model name is the assistant. */
    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return settings.defaults();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return settings.listeners();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return settings.capabilities();
    }

    @Override
    public String toString() {
        return "FineTuneChatModel[" + settings.defaults().modelName() + "]";
    }

    /** Builds a {@link FineTuneChatModel}. Not thread-safe. */
    public static final class Builder extends FineTuneModelBuilder<Builder> {

        private Builder() {}

        /**
         * The model.
         *
         * @throws IllegalStateException without a router or an assistant
         */
        public FineTuneChatModel build() {
            return new FineTuneChatModel(settings());
        }
    }
}
