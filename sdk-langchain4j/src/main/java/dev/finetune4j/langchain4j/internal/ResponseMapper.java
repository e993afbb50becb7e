package dev.finetune4j.langchain4j.internal;

import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.langchain4j.FineTuneChatResponseMetadata;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;

/** Turns a router answer into LangChain4j's, with what answered in its metadata. */
public final class ResponseMapper {

    private ResponseMapper() {}

    /** The LangChain4j answer: the AI message with its tool calls, usage, finish reason and {@code servedBy}. */
    public static dev.langchain4j.model.chat.response.ChatResponse toLangChain4j(ChatResponse r) {
        List<ToolExecutionRequest> calls = toolRequests(r.toolCalls());
        AiMessage message = AiMessage.builder()
                .text(calls.isEmpty() || !r.content().isEmpty() ? r.content() : null)
                .toolExecutionRequests(calls)
                .build();
        FineTuneChatResponseMetadata metadata = FineTuneChatResponseMetadata.builder()
                .modelName(r.servedBy().providerModelId())
                .tokenUsage(new TokenUsage(Math.toIntExact(r.usage().inputTokens()),
                        Math.toIntExact(r.usage().outputTokens())))
                .finishReason(finishReason(r.finishReason(), !calls.isEmpty()))
                .servedBy(r.servedBy())
                .cost(r.cost().orElse(null))
                .build();
        return dev.langchain4j.model.chat.response.ChatResponse.builder().aiMessage(message).metadata(metadata).build();
    }

    /** LangChain4j's tool execution requests for the calls. */
    public static List<ToolExecutionRequest> toolRequests(List<ToolCall> calls) {
        return calls.stream()
                .map(c -> ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.arguments()).build())
                .toList();
    }

    /** The provider's finish reason as LangChain4j names it. */
    static FinishReason finishReason(String reason, boolean toolCalls) {
        return switch (reason) {
            case "stop" -> toolCalls ? FinishReason.TOOL_EXECUTION : FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_EXECUTION;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> toolCalls ? FinishReason.TOOL_EXECUTION : FinishReason.OTHER;
        };
    }
}
