package dev.finetune4j.openai.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.ProviderException;
import dev.finetune4j.chat.Usage;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.internal.json.ChatCompletion;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import dev.finetune4j.spi.ChatCall;
import dev.finetune4j.spi.ChatResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of {@code POST /chat/completions}: the request body (model, messages with role,
 * content, name, tool calls and tool call id, but never the training-only {@code weight}; tools;
 * temperature; the output token limit), the parsing of a completion and of a streamed chunk.
 * Stateless and thread-safe.
 */
public final class ChatJson {

    /** The finish reason reported when the provider gave none. */
    public static final String NO_FINISH_REASON = "unknown";

    private ChatJson() {}

    /**
     * The request body, written straight to bytes (no tree: this is on every chat call).
     *
     * @param maxTokensField the name the output token limit is sent under ({@code
     *     max_completion_tokens} or the deprecated {@code max_tokens})
     * @param stream whether to ask for a stream (with the usage chunk at its end)
     */
    public static byte[] request(ChatCall call, String maxTokensField, boolean stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", call.model());
            g.writeArrayFieldStart("messages");
            for (Message m : call.messages()) {
                // the training file's message form, without the training-only weight
                ExampleCodec.writeMessage(g, m, true, false);
            }
            g.writeEndArray();
            if (!call.tools().isEmpty()) {
                g.writeArrayFieldStart("tools");
                for (ToolDefinition t : call.tools()) {
                    ExampleCodec.writeTool(g, t);
                }
                g.writeEndArray();
            }
            if (call.temperatureValue().isPresent()) {
                g.writeNumberField("temperature", call.temperatureValue().getAsDouble());
            }
            if (call.maxTokensValue().isPresent()) {
                g.writeNumberField(maxTokensField, call.maxTokensValue().getAsInt());
            }
            if (stream) {
                g.writeBooleanField("stream", true);
                g.writeObjectFieldStart("stream_options");
                g.writeBooleanField("include_usage", true);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            // a generator over a byte array does not fail on I/O
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A {@code chat.completion} as a {@link ChatResult}: the first choice's text (its {@code
     * refusal} when it has no text), tool calls (those with a name) and finish reason, and the
     * usage. Read without building a tree: this is on every chat call.
     *
     * @param body the answer's body
     * @param fallbackModel the model asked for, when the answer does not name one
     * @param requestId the {@code x-request-id} of the answer, or empty
     * @throws com.fasterxml.jackson.core.JsonProcessingException when the body is not JSON
     * @throws dev.finetune4j.ProviderException when the answer has no choice
     */
    public static ChatResult result(byte[] body, String fallbackModel, String requestId) throws IOException {
        ChatCompletion answer = ChatCompletion.read(body);
        if (!answer.hasChoice()) {
            throw JobJson.unexpected("a chat completion without choices",
                    new String(body, 0, Math.min(body.length, ProviderException.MAX_RAW_BODY), StandardCharsets.UTF_8));
        }
        String content = answer.content() != null ? answer.content() : answer.refusal();
        List<ToolCall> calls = new ArrayList<>();
        for (ChatCompletion.RawToolCall c : answer.toolCalls()) {
            if (c.name() != null) {
                calls.add(new ToolCall(c.id() == null ? "" : c.id(), c.name(),
                        c.arguments() == null ? "{}" : c.arguments()));
            }
        }
        return new ChatResult(content == null ? "" : content, calls,
                answer.finishReason() == null ? NO_FINISH_REASON : answer.finishReason(),
                answer.hasUsage() ? new Usage(answer.promptTokens(), answer.completionTokens()) : Usage.NONE,
                answer.model() == null ? fallbackModel : answer.model(), requestId);
    }

    /** The {@code usage} object, {@link Usage#NONE} when absent or null. */
    public static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        return new Usage(Math.max(0, usage.path("prompt_tokens").asLong(0)),
                Math.max(0, usage.path("completion_tokens").asLong(0)));
    }
}
