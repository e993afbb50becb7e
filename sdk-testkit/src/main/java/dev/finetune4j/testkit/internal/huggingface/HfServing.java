package dev.finetune4j.testkit.internal.huggingface;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.ChatTurn;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An OpenAI-compatible server in vLLM's style at {@code /v1}: {@code GET /v1/models} lists the
 * base models and every adapter served now (with {@code parent} = its base model and {@code root}
 * = the repository), {@code POST /v1/chat/completions} answers plain or streamed (tool calls
 * streamed with their arguments in pieces, as vLLM's tool parsers do). No key is needed (vLLM
 * without {@code --api-key}). Called under {@link HuggingFaceApi}'s lock.
 */
final class HfServing {

    private static final long CREATED = 1_735_689_600L;

    private final HuggingFaceApi api;

    HfServing(HuggingFaceApi api) {
        this.api = api;
    }

    void routes(Routes r) {
        r.get("/v1/models", call -> models(api.modelIds()))
                .post("/v1/chat/completions", call -> chat(call, model -> true));
    }

    /** vLLM's {@code /v1/models} answer for these models (an adapter's {@code parent} is its base model). */
    Reply models(List<String> ids) {
        ArrayNode data = Jsons.array();
        for (String id : ids) {
            String parent = api.isBaseModel(id) ? null : api.adapter(id).base;
            data.add(card(id, parent));
        }
        return Reply.ok(Jsons.object().put("object", "list").set("data", data));
    }

    private static ObjectNode card(String id, String parent) {
        ObjectNode c = Jsons.object();
        c.put("id", id);
        c.put("object", "model");
        c.put("created", CREATED);
        c.put("owned_by", "vllm");
        c.put("root", id);
        c.put("parent", parent);
        c.put("max_model_len", 32768);
        c.putArray("permission");
        return c;
    }

    /** A chat completion by a model this server serves ({@code serves}); another is vLLM's 404. */
    Reply chat(HttpCall call, Predicate<String> serves) {
        ObjectNode body = Jsons.parse(call.bodyText()).filter(JsonNode::isObject).map(n -> (ObjectNode) n)
                .orElseThrow(() -> HfErrors.serving(400, "BadRequestError", "The request body is not a JSON object"));
        String model = body.path("model").asText("");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw HfErrors.serving(400, "BadRequestError", "\"messages\" must be a non-empty array");
        }
        int max = HuggingFaceApi.maxTokens(body, "max_completion_tokens", "max_tokens");
        Supplier<ApiError> unknown = () -> HfErrors.serving(404, "NotFoundError", "The model `" + model
                + "` does not exist.");
        if (!serves.test(model)) {
            throw unknown.get();
        }
        ChatTurn turn = ChatTurn.of(model, api.answer(model, body, unknown),
                messages, max > 0 ? max : Integer.MAX_VALUE, ChatTurn.PromptCount.PLAIN,
                () -> "chatcmpl-tool-" + api.ids().hex(32));
        String id = "chatcmpl-" + api.ids().hex(32);
        long created = api.epochSecond();
        if (body.path("stream").asBoolean(false)) {
            boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            return stream(turn, id, created, includeUsage);
        }
        ObjectNode out = turn.envelope(id, "chat.completion", created);
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant").put("content", turn.text());
        ArrayNode calls = message.putArray("tool_calls");
        if (turn.toolCalls() != null) {
            for (JsonNode c : turn.toolCalls()) {
                ObjectNode copy = c.deepCopy();
                calls.add(copy.put("index", calls.size()));
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", turn.finish());
        choice.putNull("stop_reason");
        out.set("usage", turn.usage(1));
        out.putNull("prompt_logprobs");
        return Reply.ok(out);
    }

    /** A role chunk, the deltas, a finish chunk with {@code stop_reason}; then, when asked, a usage chunk. */
    private static Reply stream(ChatTurn turn, String id, long created, boolean includeUsage) {
        List<ObjectNode> deltas = new ArrayList<>();
        deltas.add(Jsons.object().put("role", "assistant").put("content", ""));
        deltas.addAll(turn.deltas());
        deltas.add(Jsons.object().put("content", ""));
        List<ObjectNode> chunks = turn.chunks(id, created, 0, deltas);
        ((ObjectNode) chunks.get(chunks.size() - 1).at("/choices/0")).putNull("stop_reason");
        if (includeUsage) {
            ObjectNode usage = turn.envelope(id, "chat.completion.chunk", created);
            usage.putArray("choices");
            usage.set("usage", turn.usage(1));
            chunks.add(usage);
        }
        return ChatTurn.stream(chunks);
    }
}
