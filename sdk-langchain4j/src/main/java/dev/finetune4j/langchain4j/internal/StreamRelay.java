package dev.finetune4j.langchain4j.internal;

import dev.finetune4j.LoggerNames;
import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.chat.ChatStreamHandler;
import dev.finetune4j.chat.ToolCallDelta;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a routed stream to a LangChain4j handler: text pieces as partial responses, tool-call
 * pieces as partial tool calls (each named, as LangChain4j requires, by the id and name its call
 * began with), then each assembled tool call, then the whole answer; or the error. An exception
 * thrown by the handler is logged and the stream goes on, as LangChain4j's own models do: it must
 * not look like a failure of the model. After {@link StreamingHandle#cancel()} nothing more reaches
 * the handler (the provider's stream is still read to its end on this thread).
 */
public final class StreamRelay implements ChatStreamHandler, StreamingHandle {

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.ADAPTERS);

    private final StreamingChatResponseHandler handler;
    private final List<String[]> calls = new ArrayList<>();
    private volatile boolean cancelled;

    /** A relay to {@code handler}. */
    public StreamRelay(StreamingChatResponseHandler handler) {
        this.handler = handler;
    }

    @Override
    public void onText(String text) {
        if (!cancelled) {
            safely(() -> handler.onPartialResponse(new PartialResponse(text), new PartialResponseContext(this)));
        }
    }

    @Override
    public void onToolCallDelta(ToolCallDelta delta) {
        while (calls.size() <= delta.index()) {
            calls.add(new String[] {"", ""});
        }
        String[] idAndName = calls.get(delta.index());
        if (!delta.id().isEmpty()) {
            idAndName[0] = delta.id();
        }
        if (!delta.name().isEmpty()) {
            idAndName[1] = delta.name();
        }
        if (cancelled || delta.arguments().isEmpty() || idAndName[1].isEmpty()) {
            return;
        }
        PartialToolCall piece = PartialToolCall.builder().index(delta.index())
                .id(idAndName[0].isEmpty() ? null : idAndName[0]).name(idAndName[1])
                .partialArguments(delta.arguments()).build();
        safely(() -> handler.onPartialToolCall(piece, new PartialToolCallContext(this)));
    }

    /** The stream ended: every assembled tool call, then the whole answer. */
    public void complete(ChatResponse response) {
        List<ToolExecutionRequest> requests = ResponseMapper.toolRequests(response.toolCalls());
        for (int i = 0; i < requests.size() && !cancelled; i++) {
            CompleteToolCall call = new CompleteToolCall(i, requests.get(i));
            safely(() -> handler.onCompleteToolCall(call));
        }
        if (!cancelled) {
            safely(() -> handler.onCompleteResponse(ResponseMapper.toLangChain4j(response)));
        }
    }

    /** The stream failed. */
    public void fail(Throwable error) {
        if (!cancelled) {
            safely(() -> handler.onError(error));
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    private static void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn("a streaming handler threw; ignored", e);
        }
    }
}
