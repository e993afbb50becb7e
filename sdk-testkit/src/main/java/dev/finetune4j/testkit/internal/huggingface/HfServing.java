package dev.finetune4j.testkit.internal.huggingface;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ChatReplies;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * An OpenAI-compatible server in vLLM's style at {@code /v1}: {@code GET /v1/models} lists the
 * base models and every trained adapter whose model repository still exists (with {@code parent}
 * = its base model and {@code root} = the repository), {@code POST /v1/chat/completions} answers
 * plain or streamed. No key is needed (vLLM without {@code --api-key}). Called under {@link
 * HuggingFaceApi}'s lock.
 */
final class HfServing {

    private static final long CREATED = 1_735_689_600L;

    private final HuggingFaceApi api;

    HfServing(HuggingFaceApi api) {
        this.api = api;
    }

    /** Base models, then the adapters served now. */
    List<String> modelIds() {
        List<String> out = new ArrayList<>(api.config.baseModels());
        out.addAll(servedAdapters());
        return out;
    }

    private List<String> servedAdapters() {
        List<String> out = new ArrayList<>();
        for (String id : api.jobs.adapters.keySet()) {
            if (api.repos.containsKey(HuggingFaceApi.key("model", id))) {
                out.add(id);
            }
        }
        return out;
    }

    Reply route(HttpCall call) {
        List<String> s = call.segments();
        if (s.size() == 2 && s.get(1).equals("models") && call.method().equals("GET")) {
            ArrayNode data = Jsons.array();
            for (String base : api.config.baseModels()) {
                data.add(card(base, base, null));
            }
            for (String adapter : servedAdapters()) {
                data.add(card(adapter, adapter, api.jobs.adapters.get(adapter).base()));
            }
            return Reply.ok(Jsons.object().put("object", "list").set("data", data));
        }
        if (s.size() == 3 && s.get(1).equals("chat") && s.get(2).equals("completions") && call.method().equals("POST")) {
            return chat(call);
        }
        throw HfErrors.serving(404, "NotFoundError", "Not Found");
    }

    private static ObjectNode card(String id, String root, String parent) {
        ObjectNode c = Jsons.object();
        c.put("id", id);
        c.put("object", "model");
        c.put("created", CREATED);
        c.put("owned_by", "vllm");
        c.put("root", root);
        if (parent == null) {
            c.putNull("parent");
        } else {
            c.put("parent", parent);
        }
        c.put("max_model_len", 32768);
        c.putArray("permission");
        return c;
    }

    private Reply chat(HttpCall call) {
        ObjectNode body = Jsons.parse(call.bodyText()).filter(JsonNode::isObject).map(n -> (ObjectNode) n)
                .orElseThrow(() -> HfErrors.serving(400, "BadRequestError", "The request body is not a JSON object"));
        String model = body.path("model").asText("");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw HfErrors.serving(400, "BadRequestError", "\"messages\" must be a non-empty array");
        }
        String question = ChatReplies.lastUserText(messages);
        ChatReplies.Answer answer;
        if (api.config.baseModels().contains(model)) {
            answer = new ChatReplies.Answer(ChatReplies.base(model, question,
                    body.path("response_format").path("type").asText("")), null);
        } else if (servedAdapters().contains(model)) {
            answer = ChatReplies.trained(api.jobs.adapters.get(model).examples(), question);
        } else {
            throw HfErrors.serving(404, "NotFoundError", "The model `" + model + "` does not exist.");
        }
        TokenCounter counter = TokenCounter.forModel(model);
        int prompt = 0;
        for (JsonNode m : messages) {
            prompt += 4 + counter.countText(TrainingSet.text(m));
        }
        String text = answer.text();
        String finish = answer.toolCalls() != null ? "tool_calls" : "stop";
        JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens")
                : body.get("max_tokens");
        if (text != null && max != null && max.canConvertToInt() && max.asInt() > 0
                && counter.countText(text) > max.asInt()) {
            text = ChatReplies.truncate(text, max.asInt(), counter);
            finish = "length";
        }
        ArrayNode toolCalls = answer.toolCalls() == null ? null : withIds(answer.toolCalls());
        int completion = text != null ? counter.countText(text) : counter.countText(Jsons.write(toolCalls));
        ObjectNode usage = Jsons.object().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        String id = "chatcmpl-" + api.ids.hex(32);
        long created = api.config.clock().epochSecond();
        if (body.path("stream").asBoolean(false)) {
            boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            return stream(id, created, model, text, toolCalls, finish, includeUsage ? usage : null);
        }
        ObjectNode out = Jsons.object();
        out.put("id", id);
        out.put("object", "chat.completion");
        out.put("created", created);
        out.put("model", model);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (text != null) {
            message.put("content", text);
            message.putArray("tool_calls");
        } else {
            message.putNull("content");
            message.set("tool_calls", toolCalls);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        choice.putNull("stop_reason");
        out.set("usage", usage);
        out.putNull("prompt_logprobs");
        return Reply.ok(out);
    }

    private ArrayNode withIds(ArrayNode calls) {
        ArrayNode out = Jsons.array();
        int i = 0;
        for (JsonNode c : calls) {
            ObjectNode o = Jsons.object();
            o.put("id", "chatcmpl-tool-" + api.ids.hex(32));
            o.put("type", "function");
            o.put("index", i++);
            JsonNode args = c.path("function").path("arguments");
            o.putObject("function").put("name", c.path("function").path("name").asText())
                    .put("arguments", args.isTextual() ? args.asText() : Jsons.write(args));
            out.add(o);
        }
        return out;
    }

    private static Reply stream(String id, long created, String model, String text, ArrayNode toolCalls, String finish,
                                ObjectNode usage) {
        List<ObjectNode> deltas = new ArrayList<>();
        deltas.add(Jsons.object().put("role", "assistant").put("content", ""));
        if (text != null) {
            Matcher m = ChatReplies.PIECES.matcher(text);
            while (m.find()) {
                deltas.add(Jsons.object().put("content", m.group()));
            }
        } else {
            deltas.add((ObjectNode) Jsons.object().set("tool_calls", toolCalls));
        }
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i <= deltas.size(); i++) {
            ObjectNode c = Jsons.object();
            c.put("id", id);
            c.put("object", "chat.completion.chunk");
            c.put("created", created);
            c.put("model", model);
            ObjectNode choice = c.putArray("choices").addObject();
            choice.put("index", 0);
            choice.set("delta", i < deltas.size() ? deltas.get(i) : Jsons.object().put("content", ""));
            choice.putNull("logprobs");
            if (i < deltas.size()) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finish);
                choice.putNull("stop_reason");
            }
            sse.append("data: ").append(Jsons.write(c)).append("\n\n");
        }
        if (usage != null) {
            ObjectNode last = Jsons.object();
            last.put("id", id);
            last.put("object", "chat.completion.chunk");
            last.put("created", created);
            last.put("model", model);
            last.putArray("choices");
            last.set("usage", usage);
            sse.append("data: ").append(Jsons.write(last)).append("\n\n");
        }
        sse.append("data: [DONE]\n\n");
        return Reply.status(200).header("Content-Type", "text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-cache").body(sse.toString());
    }
}
