package dev.finetune4j.langchain4j.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune4j.chat.ChatOptions;
import dev.finetune4j.chat.ChatRequest;
import dev.finetune4j.chat.ResponseFormat;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.langchain4j.FineTuneChatRequestParameters;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a LangChain4j chat request into a router request: messages (system, user, AI with tool
 * requests, tool results), tool specifications, response format, and the generation parameters.
 * Schemas are written with LangChain4j's own JSON-schema conversion, the one its OpenAI module
 * sends, so a schema reaches the provider as it would through LangChain4j.
 */
public final class RequestMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestMapper() {}

    /**
     * The router request for {@code request}, whose model name is the assistant.
     *
     * @throws UnsupportedFeatureException for content the router cannot carry (images, audio,
     *     custom messages) or a parameter no OpenAI-style chat API has ({@code topK})
     * @throws IllegalArgumentException for a value out of range (a temperature above 2, say)
     */
    public static ChatRequest toRouter(dev.langchain4j.model.chat.request.ChatRequest request,
            boolean strictJsonSchema) {
        ChatRequestParameters p = request.parameters();
        if (p.modelName() == null) {
            throw new IllegalArgumentException("the request names no assistant: set the model's assistant or the "
                    + "request parameters' modelName");
        }
        ChatRequest.Builder b = ChatRequest.builder(p.modelName());
        for (ChatMessage m : request.messages()) {
            b.message(message(m));
        }
        for (ToolSpecification tool : p.toolSpecifications()) {
            b.tool(ToolDefinition.of(tool.name(), tool.description(),
                    tool.parameters() == null ? null : json(JsonSchemaElementUtils.toMap(tool.parameters()))));
        }
        b.options(options(p, strictJsonSchema));
        if (p instanceof FineTuneChatRequestParameters own) {
            if (own.subject() != null) {
                b.subject(own.subject());
            }
            if (own.pinModelVersion() != null) {
                b.pinModelVersion(own.pinModelVersion());
            }
            if (own.pinBaseModel()) {
                b.pinBaseModel();
            }
            if (own.pinPromptVersion() != null) {
                b.pinPromptVersion(own.pinPromptVersion());
            }
        }
        return b.build();
    }

    private static ChatOptions options(ChatRequestParameters p, boolean strictJsonSchema) {
        if (p.topK() != null) {
            throw new UnsupportedFeatureException("topK is not supported: finetune4j sends OpenAI-style chat "
                    + "requests, which have no top_k; leave it unset");
        }
        ChatOptions.Builder o = ChatOptions.builder();
        if (p.temperature() != null) {
            o.temperature(p.temperature());
        }
        if (p.topP() != null) {
            o.topP(p.topP());
        }
        if (p.maxOutputTokens() != null) {
            o.maxTokens(p.maxOutputTokens());
        }
        if (!p.stopSequences().isEmpty()) {
            o.stop(p.stopSequences());
        }
        if (p.frequencyPenalty() != null) {
            o.extraField("frequency_penalty", p.frequencyPenalty());
        }
        if (p.presencePenalty() != null) {
            o.extraField("presence_penalty", p.presencePenalty());
        }
        if (p.toolChoice() != null && p.toolChoice() != ToolChoice.AUTO) {
            o.extraField("tool_choice", p.toolChoice().name().toLowerCase(Locale.ROOT));
        }
        if (p.responseFormat() != null) {
            o.responseFormat(responseFormat(p.responseFormat(), strictJsonSchema));
        }
        if (p instanceof FineTuneChatRequestParameters own && own.seed() != null) {
            o.seed(own.seed());
        }
        return o.build();
    }

    private static ResponseFormat responseFormat(dev.langchain4j.model.chat.request.ResponseFormat f,
            boolean strict) {
        if (f.type() == ResponseFormatType.TEXT) {
            return ResponseFormat.text();
        }
        JsonSchema schema = f.jsonSchema();
        if (schema == null || schema.rootElement() == null) {
            return ResponseFormat.jsonObject();
        }
        JsonSchemaElement root = schema.rootElement();
        String name = schema.name() == null ? "response" : schema.name();
        return ResponseFormat.jsonSchema(name, json(JsonSchemaElementUtils.toMap(root, strict)), strict);
    }

    private static Message message(ChatMessage m) {
        if (m instanceof SystemMessage s) {
            return Message.system(s.text());
        }
        if (m instanceof UserMessage u) {
            Message user = Message.user(text(u));
            return u.name() == null ? user : user.withName(u.name());
        }
        if (m instanceof AiMessage ai) {
            if (!ai.hasToolExecutionRequests()) {
                return Message.assistant(ai.text() == null ? "" : ai.text());
            }
            List<ToolCall> calls = new ArrayList<>();
            for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
                calls.add(new ToolCall(r.id() == null ? "" : r.id(), r.name(),
                        r.arguments() == null || r.arguments().isBlank() ? "{}" : r.arguments()));
            }
            return Message.assistantToolCalls(ai.text(), calls);
        }
        if (m instanceof ToolExecutionResultMessage t) {
            return Message.tool(t.id() == null ? "" : t.id(), t.text() == null ? "" : t.text());
        }
        throw new UnsupportedFeatureException("finetune4j chat carries system, user, AI and tool-result messages; "
                + "a " + m.type() + " message cannot be sent");
    }

    private static String text(UserMessage u) {
        StringBuilder sb = new StringBuilder();
        for (Content c : u.contents()) {
            if (!(c instanceof TextContent t)) {
                throw new UnsupportedFeatureException("finetune4j chat carries text only; this user message has "
                        + c.type() + " content");
            }
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(t.text());
        }
        return sb.toString();
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a JSON schema could not be written: " + e.getOriginalMessage(), e);
        }
    }
}
