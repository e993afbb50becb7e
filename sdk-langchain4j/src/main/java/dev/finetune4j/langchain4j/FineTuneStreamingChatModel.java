package dev.finetune4j.langchain4j;

import dev.finetune4j.langchain4j.internal.ErrorMapper;
import dev.finetune4j.langchain4j.internal.RequestMapper;
import dev.finetune4j.langchain4j.internal.StreamRelay;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.Set;

/**
 * An assistant's {@link dev.finetune4j.chat.ChatRouter} as LangChain4j's {@link
 * StreamingChatModel}, with the mappings of {@link FineTuneChatModel}. The handler receives text
 * pieces ({@code onPartialResponse}), tool-call pieces ({@code onPartialToolCall}), each assembled
 * tool call ({@code onCompleteToolCall}), then the whole answer with token usage and {@link
 * FineTuneChatResponseMetadata} ({@code onCompleteResponse}) — or {@code onError} with
 * LangChain4j's exception; a fallback to the base model can only happen before the first piece.
 *
 * <p>The call runs on the calling thread: {@code chat} returns after {@code onCompleteResponse}
 * or {@code onError}. Cancelling through the handle of a partial response stops the callbacks;
 * the provider's stream is read to its end. Thread-safe; it does not own the router.
 */
public final class FineTuneStreamingChatModel implements StreamingChatModel {

    private final ModelSettings settings;

    private FineTuneStreamingChatModel(ModelSettings settings) {
        this.settings = settings;
    }

    /** A builder; {@link Builder#router} and {@link Builder#assistant} are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
        StreamRelay relay = new StreamRelay(handler);
        dev.finetune4j.chat.ChatResponse response;
        try {
            dev.finetune4j.chat.ChatRequest request = RequestMapper.toRouter(chatRequest, settings.strictJsonSchema());
            response = settings.router().chatStream(request, relay);
        } catch (RuntimeException e) {
            relay.fail(ErrorMapper.toLangChain4j(e));
            return;
        }
        relay.complete(response);
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
        return "FineTuneStreamingChatModel[" + settings.defaults().modelName() + "]";
    }

    /** Builds a {@link FineTuneStreamingChatModel}. Not thread-safe. */
    public static final class Builder extends FineTuneModelBuilder<Builder> {

        private Builder() {}

        /**
         * The model.
         *
         * @throws IllegalStateException without a router or an assistant
         */
        public FineTuneStreamingChatModel build() {
            return new FineTuneStreamingChatModel(settings());
        }
    }
}
