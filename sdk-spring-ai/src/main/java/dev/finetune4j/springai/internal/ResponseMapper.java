package dev.finetune4j.springai.internal;

import dev.finetune4j.chat.ChatResponse;
import dev.finetune4j.springai.FineTuneChatModel;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.Generation;

/** Turns router answers (whole or a streamed piece) into Spring AI's, with what answered in the metadata. */
public final class ResponseMapper {

    private ResponseMapper() {}

    /** The usage of one router answer. */
    public static Usage usage(ChatResponse r) {
        return new DefaultUsage(Math.toIntExact(r.usage().inputTokens()), Math.toIntExact(r.usage().outputTokens()));
    }

    /**
     * The whole answer: one generation with the text and tool calls and the finish reason (upper
     * case, as Spring AI's OpenAI model reports it); metadata with the provider model, {@code
     * usage}, {@link FineTuneChatModel#SERVED_BY} and, when priced, {@link FineTuneChatModel#COST}.
     *
     * @param text the text to put in the generation (empty for the last piece of a stream)
     */
    public static org.springframework.ai.chat.model.ChatResponse answer(ChatResponse r, String text, Usage usage) {
        AssistantMessage message = AssistantMessage.builder().content(text)
                .toolCalls(r.toolCalls().stream()
                        .map(c -> new AssistantMessage.ToolCall(c.id(), "function", c.name(), c.arguments()))
                        .toList())
                .build();
        ChatGenerationMetadata generation = ChatGenerationMetadata.builder()
                .finishReason(r.finishReason().toUpperCase(Locale.ROOT)).build();
        ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder()
                .model(r.servedBy().providerModelId())
                .usage(usage)
                .keyValue(FineTuneChatModel.SERVED_BY, r.servedBy());
        r.cost().ifPresent(c -> metadata.keyValue(FineTuneChatModel.COST, c));
        return new org.springframework.ai.chat.model.ChatResponse(List.of(new Generation(message, generation)),
                metadata.build());
    }

    /** A streamed piece of text. */
    public static org.springframework.ai.chat.model.ChatResponse piece(String text) {
        return new org.springframework.ai.chat.model.ChatResponse(List.of(new Generation(new AssistantMessage(text))));
    }
}
