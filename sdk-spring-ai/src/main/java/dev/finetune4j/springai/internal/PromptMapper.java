package dev.finetune4j.springai.internal;

import dev.finetune4j.LoggerNames;
import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ResponseFormat;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.springai.FineTuneChatOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * Turns a Spring AI prompt with merged {@link FineTuneChatOptions} into a router request:
 * messages (system, user, assistant with tool calls, tool responses), the tool definitions
 * resolved by Spring AI, the generation options and the router's own (subject, pins, seed).
 */
public final class PromptMapper {

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.ADAPTERS);

    private PromptMapper() {}

    /**
     * The router request.
     *
     * @param tools the tool definitions Spring AI resolved for the options
     * @throws UnsupportedOperationException for media content, which the router cannot carry
     * @throws IllegalArgumentException without an assistant, or for a value out of range
     */
    public static ChatRequest toRouter(Prompt prompt, FineTuneChatOptions o,
            List<org.springframework.ai.tool.definition.ToolDefinition> tools) {
        if (o.getModel() == null) {
            throw new IllegalArgumentException("the prompt names no assistant: set the model's assistant or the "
                    + "options' model");
        }
        ChatRequest.Builder b = ChatRequest.builder(o.getModel());
        for (org.springframework.ai.chat.messages.Message m : prompt.getInstructions()) {
            messages(m, b);
        }
        for (var t : tools) {
            b.tool(ToolDefinition.of(t.name(), t.description(), t.inputSchema()));
        }
        b.options(options(o));
        if (o.getSubject() != null) {
            b.subject(o.getSubject());
        }
        if (o.getPinModelVersion() != null) {
            b.pinModelVersion(o.getPinModelVersion());
        }
        if (o.isPinBaseModel()) {
            b.pinBaseModel();
        }
        if (o.getPinPromptVersion() != null) {
            b.pinPromptVersion(o.getPinPromptVersion());
        }
        return b.build();
    }

    private static ChatOptions options(FineTuneChatOptions o) {
        ChatOptions.Builder b = ChatOptions.builder();
        if (o.getTopK() != null) {
            LOG.warn("topK is ignored: OpenAI-style chat APIs have no top_k");
        }
        if (o.getTemperature() != null) {
            b.temperature(o.getTemperature());
        }
        if (o.getTopP() != null) {
            b.topP(o.getTopP());
        }
        if (o.getMaxTokens() != null) {
            b.maxTokens(o.getMaxTokens());
        }
        if (o.getStopSequences() != null && !o.getStopSequences().isEmpty()) {
            b.stop(o.getStopSequences());
        }
        if (o.getFrequencyPenalty() != null) {
            b.extraField("frequency_penalty", o.getFrequencyPenalty());
        }
        if (o.getPresencePenalty() != null) {
            b.extraField("presence_penalty", o.getPresencePenalty());
        }
        if (o.getSeed() != null) {
            b.seed(o.getSeed());
        }
        if (o.getOutputSchema() != null && !o.getOutputSchema().isBlank()) {
            b.responseFormat(ResponseFormat.jsonSchema("output_schema", o.getOutputSchema(), true));
        }
        return b.build();
    }

    private static void messages(org.springframework.ai.chat.messages.Message m, ChatRequest.Builder b) {
        if (m instanceof SystemMessage s) {
            b.message(Message.system(text(s.getText())));
        } else if (m instanceof UserMessage u) {
            if (!u.getMedia().isEmpty()) {
                throw new UnsupportedOperationException("finetune4j chat carries text only; this user message has "
                        + u.getMedia().size() + " media item(s)");
            }
            b.message(Message.user(text(u.getText())));
        } else if (m instanceof AssistantMessage a) {
            if (a.hasToolCalls()) {
                b.message(Message.assistantToolCalls(a.getText(), a.getToolCalls().stream()
                        .map(c -> new ToolCall(c.id(), c.name(),
                                c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments()))
                        .toList()));
            } else {
                b.message(Message.assistant(text(a.getText())));
            }
        } else if (m instanceof ToolResponseMessage t) {
            for (ToolResponseMessage.ToolResponse r : t.getResponses()) {
                b.message(Message.tool(r.id(), text(r.responseData())));
            }
        } else {
            throw new UnsupportedOperationException("finetune4j chat carries system, user, assistant and tool "
                    + "messages; a " + m.getMessageType() + " message cannot be sent");
        }
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
