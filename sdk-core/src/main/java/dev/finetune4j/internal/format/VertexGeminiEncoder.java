package dev.finetune4j.internal.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.dataset.ToolCall;
import dev.finetune4j.dataset.ToolDefinition;
import dev.finetune4j.format.ConversionLoss;
import dev.finetune4j.internal.Names;
import dev.finetune4j.internal.json.ExampleCodec;
import dev.finetune4j.internal.json.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Google Vertex AI Gemini supervised tuning:
 * {@code {"systemInstruction"?:{"parts":[{"text"}]}, "contents":[{"role":"user"|"model",
 * "parts":[...]}], "tools"?:[{"functionDeclarations":[...]}]}}.
 *
 * <p>Text mapping (documented by Google): a leading system message becomes
 * {@code systemInstruction}, user stays {@code user}, assistant becomes {@code model}, content
 * becomes a {@code {"text"}} part. A system message anywhere else skips the example. The contents
 * must start with a user turn and alternate user / model (Google's tuning-dataset page: "The user
 * or model roles are required and can occur in an alternating manner"; Gemini refuses contents
 * that start with a model turn): an example without a user message is skipped as
 * {@code no_user_message}, one whose turns do not alternate as {@code roles_not_alternating}.
 *
 * <p>Tool mapping (best effort, following the Gemini API's function-calling shapes; not confirmed
 * against Vertex tuning validation): an assistant tool call becomes a
 * {@code {"functionCall":{"name","args"}}} part of the model turn, after any text, with
 * {@code args} the parsed arguments object (Gemini keeps numbers as doubles); consecutive tool
 * messages become one {@code user} turn of {@code {"functionResponse":{"name","response":
 * {"content":text}}}} parts, {@code name} being the function of the call they answer (call ids
 * have no place in the format, so they are not written); tool definitions become
 * {@code functionDeclarations} with the JSON schema copied unchanged. Arguments that are not a
 * JSON object, and tool messages that answer no earlier call, skip the example.
 *
 * <p>Vertex has no per-turn weight: weight 0 is dropped (reported), as are names and
 * {@code parallel_tool_calls}.
 */
final class VertexGeminiEncoder extends PlanningEncoder<VertexGeminiEncoder.Plan> {

    private static final String FORMAT = "vertex-gemini";

    /**
     * What writing an example needs beyond the example.
     *
     * @param args the parsed arguments of every tool call, in the order of the messages
     * @param responseNames per message index, the function a tool message answers (else null)
     */
    record Plan(Example example, List<JsonNode> args, String[] responseNames) {}

    @Override
    Plan plan(Example e, LossCollector losses) {
        if (Conversation.skipSystemNotLeading(e, FORMAT, losses) || Conversation.skipEmpty(e, FORMAT, losses)) {
            return null;
        }
        List<Message> messages = e.messages();
        List<JsonNode> args = Conversation.objectArguments(e, 0, messages.size(), FORMAT + " needs args as an object",
                losses);
        if (args == null) {
            return null;
        }
        Map<String, String> callNames = new HashMap<>();
        String[] responseNames = new String[messages.size()];
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            for (ToolCall call : m.toolCalls()) {
                callNames.put(call.id(), call.name());
            }
            if (m.role() == Role.TOOL) {
                String id = m.toolCallId().orElse(null);
                String name = id == null ? null : callNames.get(id);
                if (name == null) {
                    losses.skip(ConversionLoss.TOOL_MESSAGE_UNMATCHED, Conversation.at(i) + (id == null
                            ? " is a tool message without tool_call_id"
                            : " answers tool_call_id '" + Names.printable(id) + "', which no earlier tool call has")
                            + "; " + FORMAT + " needs the name of the function it answers");
                    return null;
                }
                responseNames[i] = name;
            }
        }
        if (skipTurnOrder(e, losses)) {
            return null;
        }
        int n = messages.size();
        Conversation.dropZeroWeights(e, 0, n, FORMAT, losses);
        Conversation.dropNames(e, 0, n, FORMAT, losses);
        Conversation.dropParallelToolCalls(e, FORMAT, losses);
        return new Plan(e, args, responseNames);
    }

    /**
     * Skips an example whose contents would not start with a user turn or would not alternate
     * between user and model turns (consecutive tool messages are one user turn): Google documents
     * the roles of a tuning example as alternating, and Gemini refuses contents that start with a
     * model turn, so an example of a system and an assistant message only is skipped as
     * {@code no_user_message}, as alpaca and bedrock-claude do.
     */
    private static boolean skipTurnOrder(Example e, LossCollector losses) {
        List<Message> messages = e.messages();
        if (Conversation.first(e, m -> m.role() == Role.USER) < 0) {
            losses.skip(ConversionLoss.NO_USER_MESSAGE, "no user message; " + FORMAT + " needs the contents to start "
                    + "with a user turn");
            return true;
        }
        int from = messages.get(0).role() == Role.SYSTEM ? 1 : 0;
        Role previous = null;
        for (int i = from; i < messages.size(); i++) {
            Role role = messages.get(i).role() == Role.ASSISTANT ? Role.ASSISTANT : Role.USER;
            if (previous == null && role == Role.ASSISTANT) {
                losses.skip(ConversionLoss.ROLES_NOT_ALTERNATING, "the contents would start with a model turn ("
                        + Conversation.at(i) + "); " + FORMAT + " needs a user turn first");
                return true;
            }
            boolean sameToolTurn = i > from && messages.get(i).role() == Role.TOOL
                    && messages.get(i - 1).role() == Role.TOOL;
            if (role == previous && !sameToolTurn) {
                losses.skip(ConversionLoss.ROLES_NOT_ALTERNATING, Conversation.at(i - 1) + " and " + Conversation.at(i)
                        + " would be two " + (role == Role.ASSISTANT ? "model" : "user") + " turns in a row; " + FORMAT
                        + " needs user and model turns to alternate");
                return true;
            }
            previous = role;
        }
        return false;
    }

    @Override
    void write(Plan p, JsonGenerator g) throws IOException {
        List<Message> messages = p.example().messages();
        g.writeStartObject();
        int from = 0;
        if (messages.get(0).role() == Role.SYSTEM) {
            g.writeObjectFieldStart("systemInstruction");
            g.writeArrayFieldStart("parts");
            writeText(g, messages.get(0).content().orElseThrow());
            g.writeEndArray();
            g.writeEndObject();
            from = 1;
        }
        g.writeArrayFieldStart("contents");
        int nextArgs = 0;
        boolean inToolTurn = false;
        for (int i = from; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role() == Role.TOOL) {
                if (!inToolTurn) {
                    startContent(g, "user");
                    inToolTurn = true;
                }
                g.writeStartObject();
                g.writeObjectFieldStart("functionResponse");
                g.writeStringField("name", p.responseNames()[i]);
                g.writeObjectFieldStart("response");
                g.writeStringField("content", m.content().orElseThrow());
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
                continue;
            }
            if (inToolTurn) {
                endContent(g);
                inToolTurn = false;
            }
            startContent(g, m.role() == Role.ASSISTANT ? "model" : "user");
            if (m.content().isPresent() && !(m.content().get().isEmpty() && !m.toolCalls().isEmpty())) {
                writeText(g, m.content().get());
            }
            for (ToolCall call : m.toolCalls()) {
                g.writeStartObject();
                g.writeObjectFieldStart("functionCall");
                g.writeStringField("name", call.name());
                g.writeFieldName("args");
                Json.mapper().writeTree(g, p.args().get(nextArgs++));
                g.writeEndObject();
                g.writeEndObject();
            }
            endContent(g);
        }
        if (inToolTurn) {
            endContent(g);
        }
        g.writeEndArray();
        if (!p.example().tools().isEmpty()) {
            g.writeArrayFieldStart("tools");
            g.writeStartObject();
            g.writeArrayFieldStart("functionDeclarations");
            for (ToolDefinition t : p.example().tools()) {
                g.writeStartObject();
                ExampleCodec.writeToolFunction(g, t);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void startContent(JsonGenerator g, String role) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeArrayFieldStart("parts");
    }

    private static void endContent(JsonGenerator g) throws IOException {
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeText(JsonGenerator g, String text) throws IOException {
        g.writeStartObject();
        g.writeStringField("text", text);
        g.writeEndObject();
    }
}
