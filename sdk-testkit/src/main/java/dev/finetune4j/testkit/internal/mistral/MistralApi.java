package dev.finetune4j.testkit.internal.mistral;

import static dev.finetune4j.testkit.internal.mistral.MistralErrors.invalid;
import static dev.finetune4j.testkit.internal.mistral.MistralErrors.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedFile;
import dev.finetune4j.testkit.EmulatedJob;
import dev.finetune4j.testkit.internal.EmulatedApi;
import dev.finetune4j.testkit.internal.EmulatorClock;
import dev.finetune4j.testkit.internal.FaultPlan;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Ids;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.MultipartForm;
import dev.finetune4j.testkit.internal.Progression;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.TrainingSet;
import dev.finetune4j.tokens.TokenCounter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful emulation of the Mistral HTTP API (files, fine-tuning jobs with the
 * {@code auto_start=false} cost preview and {@code /start}, fine-tuned models, chat
 * completions). All state lives in memory behind this object's lock. Thread-safe.
 */
public final class MistralApi implements EmulatedApi {

    /** The emulator's fixed settings. */
    public record Config(String apiKey, long seed, List<String> baseModels, Progression progression,
                         EmulatorClock clock) {

        public Config {
            baseModels = List.copyOf(baseModels);
            Objects.requireNonNull(progression, "progression");
            Objects.requireNonNull(clock, "clock");
        }
    }

    /** The base models an emulator knows unless told otherwise: the fine-tunable ones. */
    public static final List<String> DEFAULT_BASE_MODELS = List.of("open-mistral-7b", "mistral-small-latest",
            "codestral-latest", "open-mistral-nemo", "mistral-large-latest", "ministral-8b-latest",
            "ministral-3b-latest", "pixtral-12b-latest");

    static final long BASE_MODEL_CREATED = 1_700_000_000L;
    private static final Pattern PIECES = Pattern.compile("\\s*\\S+|\\s+");

    static final class StoredFile {
        final String id;
        final String filename;
        final String purpose;
        final byte[] content;
        final long createdAt;
        final int lines;

        StoredFile(String id, String filename, String purpose, byte[] content, long createdAt, int lines) {
            this.id = id;
            this.filename = filename;
            this.purpose = purpose;
            this.content = content;
            this.createdAt = createdAt;
            this.lines = lines;
        }

        ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("id", id);
            n.put("object", "file");
            n.put("bytes", content.length);
            n.put("created_at", createdAt);
            n.put("filename", filename);
            n.put("purpose", purpose);
            n.put("sample_type", purpose.equals("batch") ? "batch_request" : "instruct");
            n.put("num_lines", lines);
            n.put("mimetype", "application/jsonl");
            n.put("source", "upload");
            n.put("visibility", "workspace");
            return n;
        }
    }

    static final class FineTunedModel {
        final String id;
        final String root;
        final String jobId;
        final long created;
        final TrainingSet examples;
        boolean archived;
        String name;
        String description;

        FineTunedModel(String id, String root, String jobId, long created, TrainingSet examples) {
            this.id = id;
            this.root = root;
            this.jobId = jobId;
            this.created = created;
            this.examples = examples;
        }
    }

    final Config config;
    final Ids ids;
    /** The workspace part of fine-tuned model ids. */
    final String workspace;
    final FaultPlan faults = new FaultPlan();

    // State, guarded by this.
    final Map<String, StoredFile> files = new LinkedHashMap<>();
    final Map<String, MistralJob> jobs = new LinkedHashMap<>();
    final Map<String, FineTunedModel> fineTuned = new LinkedHashMap<>();
    final Deque<String[]> jobFailures = new ArrayDeque<>();
    final Deque<String> uploadRejections = new ArrayDeque<>();

    private final MistralJobs jobApi;

    public MistralApi(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.ids = new Ids(config.seed());
        this.workspace = ids.hex(8);
        this.jobApi = new MistralJobs(this);
    }

    // ---------------------------------------------------------------- scripting

    @Override
    public FaultPlan faults() {
        return faults;
    }

    @Override
    public synchronized void failNextJob(String code, String message) {
        jobFailures.add(new String[] {code, message});
    }

    @Override
    public synchronized void rejectNextUpload(String message) {
        uploadRejections.add(message);
    }

    @Override
    public synchronized void deleteModel(String id) {
        if (fineTuned.remove(id) == null) {
            throw new IllegalArgumentException("no fine-tuned model '" + id + "' exists in the emulator; known: "
                    + fineTuned.keySet());
        }
    }

    @Override
    public synchronized void advance(String jobId) {
        MistralJob job = jobs.get(jobId);
        if (job == null) {
            throw new IllegalArgumentException("no job '" + jobId + "' in the emulator; known: " + jobs.keySet());
        }
        jobApi.poll(job);
    }

    @Override
    public synchronized void finishAll() {
        for (MistralJob job : jobs.values()) {
            jobApi.finish(job);
        }
    }

    @Override
    public synchronized List<EmulatedJob> jobSnapshots() {
        jobApi.syncTimed();
        List<EmulatedJob> out = new ArrayList<>();
        for (MistralJob j : jobs.values()) {
            out.add(new EmulatedJob(j.id, j.model, j.status, j.trainingFiles.stream().map(MistralJob.TrainingFile::fileId)
                    .toList(), j.validationFiles.isEmpty() ? null : j.validationFiles.get(0), j.suffix, Map.of(),
                    j.fineTunedModel, j.errorCode, j.errorMessage, j.trainedTokens, Instant.ofEpochSecond(j.createdAt)));
        }
        return out;
    }

    @Override
    public synchronized List<EmulatedFile> fileSnapshots() {
        List<EmulatedFile> out = new ArrayList<>();
        for (StoredFile f : files.values()) {
            out.add(new EmulatedFile(f.id, f.filename, f.purpose, f.content.length, Instant.ofEpochSecond(f.createdAt),
                    new String(f.content, StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Override
    public synchronized List<String> modelIds() {
        jobApi.syncTimed();
        List<String> out = new ArrayList<>(config.baseModels());
        out.addAll(fineTuned.keySet());
        return out;
    }

    @Override
    public synchronized void reset() {
        files.clear();
        jobs.clear();
        fineTuned.clear();
        jobFailures.clear();
        uploadRejections.clear();
        faults.clear();
    }

    // ---------------------------------------------------------------- HTTP

    @Override
    public Reply handle(HttpCall call) {
        Reply reply = faults.serve(call, MistralApi::rateLimited, MistralApi::serverError, () -> {
            synchronized (this) {
                try {
                    return route(call);
                } catch (MistralErrors.ApiError e) {
                    return e.reply;
                }
            }
        });
        String requestId = ids.hex(32);
        return reply.header("x-request-id", requestId).header("mistral-correlation-id", requestId);
    }

    private static Reply rateLimited(long seconds) {
        return MistralErrors.error(429, "Requests rate limit exceeded", "rate_limit_error", null)
                .header("Retry-After", String.valueOf(seconds));
    }

    private static Reply serverError() {
        return MistralErrors.error(500, "Internal server error", "server_error", null);
    }


    private Reply route(HttpCall call) {
        jobApi.syncTimed();
        List<String> s = call.segments();
        String m = call.method();
        if (s.isEmpty() || !s.get(0).equals("v1")) {
            throw notFound("Not Found");
        }
        checkAuth(call);
        int n = s.size();
        switch (call.segment(1)) {
            case "files":
                if (n == 2 && m.equals("POST")) {
                    return uploadFile(call);
                }
                if (n == 2 && m.equals("GET")) {
                    return listFiles(call);
                }
                if (n == 3 && m.equals("GET")) {
                    return Reply.ok(file(s.get(2)).toJson());
                }
                if (n == 3 && m.equals("DELETE")) {
                    file(s.get(2));
                    files.remove(s.get(2));
                    return Reply.ok(Jsons.object().put("id", s.get(2)).put("object", "file").put("deleted", true));
                }
                if (n == 4 && m.equals("GET") && s.get(3).equals("content")) {
                    return Reply.status(200).header("Content-Type", "application/octet-stream")
                            .body(file(s.get(2)).content);
                }
                break;
            case "fine_tuning":
                if (n >= 3 && s.get(2).equals("jobs")) {
                    Reply r = jobApi.route(call);
                    if (r != null) {
                        return r;
                    }
                }
                if (n >= 4 && s.get(2).equals("models")) {
                    Reply r = fineTunedModelRoute(call);
                    if (r != null) {
                        return r;
                    }
                }
                break;
            case "models":
                if (n == 2 && m.equals("GET")) {
                    ArrayNode data = Jsons.array();
                    config.baseModels().forEach(id -> data.add(modelCard(id)));
                    fineTuned.keySet().forEach(id -> data.add(modelCard(id)));
                    return Reply.ok(Jsons.object().put("object", "list").set("data", data));
                }
                if (n == 3 && m.equals("GET")) {
                    return Reply.ok(modelCard(s.get(2)));
                }
                if (n == 3 && m.equals("DELETE")) {
                    return deleteModelCall(s.get(2));
                }
                break;
            case "chat":
                if (n == 3 && s.get(2).equals("completions") && m.equals("POST")) {
                    return chat(call);
                }
                break;
            default:
                break;
        }
        throw notFound("Not Found");
    }

    private void checkAuth(HttpCall call) {
        String header = call.header("authorization").orElse("");
        boolean bearer = header.regionMatches(true, 0, "Bearer ", 0, 7) && !header.substring(7).isBlank();
        if (!bearer || (config.apiKey() != null && !config.apiKey().equals(header.substring(7).trim()))) {
            throw MistralErrors.of(401, "Unauthorized", "authentication_error", null);
        }
    }

    static ObjectNode jsonBody(HttpCall call) {
        return Jsons.parse(call.bodyText()).filter(JsonNode::isObject).map(n -> (ObjectNode) n)
                .orElseThrow(() -> MistralErrors.unprocessable("json_invalid", List.of("body"), "JSON decode error",
                        null));
    }

    // ---------------------------------------------------------------- files

    StoredFile file(String id) {
        StoredFile f = files.get(id);
        if (f == null) {
            throw notFound("No file with id '" + id + "' found");
        }
        return f;
    }

    private Reply uploadFile(HttpCall call) {
        MultipartForm form = MultipartForm.parse(call.header("content-type").orElse(""), call.body())
                .orElseThrow(() -> MistralErrors.missing("file", null));
        MultipartForm.Part part = form.part("file").orElseThrow(() -> MistralErrors.missing("file", null));
        String purpose = form.field("purpose").map(String::trim).orElse("fine-tune");
        if (!Set.of("fine-tune", "batch", "ocr").contains(purpose)) {
            throw MistralErrors.unprocessable("enum", List.of("body", "purpose"),
                    "Input should be 'fine-tune', 'batch' or 'ocr'", Jsons.object().textNode(purpose));
        }
        String filename = part.filename() == null || part.filename().isBlank() ? "upload.jsonl" : part.filename();
        String rejection = uploadRejections.poll();
        if (rejection != null) {
            throw invalid(rejection);
        }
        String text = new String(part.data(), StandardCharsets.UTF_8);
        int lines = (int) text.lines().filter(l -> !l.isBlank()).count();
        if (purpose.equals("fine-tune")) {
            if (!filename.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
                throw invalid("Invalid file format: fine-tuning files must be .jsonl, got '" + filename + "'");
            }
            String[] all = text.split("\n", -1);
            for (int i = 0; i < all.length; i++) {
                if (!all[i].isBlank() && Jsons.parse(all[i]).filter(JsonNode::isObject).isEmpty()) {
                    throw invalid("Invalid file format: line " + (i + 1) + " is not a valid JSON object");
                }
            }
        }
        for (StoredFile existing : files.values()) {
            if (existing.filename.equals(filename) && Arrays.equals(existing.content, part.data())) {
                return Reply.ok(existing.toJson());
            }
        }
        StoredFile f = new StoredFile(ids.uuid().toString(), filename, purpose, part.data(), config.clock().epochSecond(),
                lines);
        files.put(f.id, f);
        return Reply.ok(f.toJson());
    }

    private Reply listFiles(HttpCall call) {
        int page = intParam(call, "page", 0);
        int pageSize = intParam(call, "page_size", 100);
        List<StoredFile> all = new ArrayList<>();
        for (StoredFile f : files.values()) {
            if (call.queryParam("purpose").map(f.purpose::equals).orElse(true)
                    && call.queryParam("search").map(q -> f.filename.contains(q)).orElse(true)) {
                all.add(f);
            }
        }
        Collections.reverse(all);
        ArrayNode data = Jsons.array();
        all.stream().skip((long) page * pageSize).limit(pageSize).forEach(f -> data.add(f.toJson()));
        return Reply.ok(Jsons.object().put("object", "list").put("total", all.size()).set("data", data));
    }

    static int intParam(HttpCall call, String name, int dflt) {
        String raw = call.queryParam(name).orElse(null);
        if (raw == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw MistralErrors.unprocessable("int_parsing", List.of("query", name),
                    "Input should be a valid integer, unable to parse string as an integer",
                    Jsons.object().textNode(raw));
        }
    }

    // ---------------------------------------------------------------- models

    boolean isBaseModel(String id) {
        return config.baseModels().contains(id);
    }

    private ObjectNode modelCard(String id) {
        ObjectNode n = Jsons.object();
        n.put("id", id);
        n.put("object", "model");
        ObjectNode caps = Jsons.object().put("completion_chat", true).put("completion_fim", id.startsWith("codestral"))
                .put("function_calling", true).put("fine_tuning", isBaseModel(id)).put("vision", id.startsWith("pixtral"));
        if (isBaseModel(id)) {
            n.put("created", BASE_MODEL_CREATED);
            n.put("owned_by", "mistralai");
            n.set("capabilities", caps);
            n.put("name", id);
            n.put("description", "Base model " + id + " (emulated)");
            n.put("max_context_length", 32768);
            n.putArray("aliases");
            n.putNull("deprecation");
            n.put("type", "base");
            return n;
        }
        FineTunedModel ft = fineTuned.get(id);
        if (ft == null) {
            throw notFound("Model not found: " + id);
        }
        n.put("created", ft.created);
        n.put("owned_by", workspace);
        n.set("capabilities", caps);
        putNullable(n, "name", ft.name);
        putNullable(n, "description", ft.description);
        n.put("max_context_length", 32768);
        n.putArray("aliases");
        n.putNull("deprecation");
        n.put("type", "fine-tuned");
        n.put("job", ft.jobId);
        n.put("root", ft.root);
        n.put("archived", ft.archived);
        n.put("model_type", "completion");
        return n;
    }

    private Reply deleteModelCall(String id) {
        if (isBaseModel(id)) {
            throw MistralErrors.of(403, "You are not allowed to delete base model " + id, "invalid_request_error", null);
        }
        if (fineTuned.remove(id) == null) {
            throw notFound("Model not found: " + id);
        }
        return Reply.ok(Jsons.object().put("id", id).put("object", "model").put("deleted", true));
    }

    private Reply fineTunedModelRoute(HttpCall call) {
        List<String> s = call.segments();
        FineTunedModel ft = fineTuned.get(s.get(3));
        if (ft == null) {
            throw notFound("Model not found: " + s.get(3));
        }
        if (s.size() == 4 && call.method().equals("PATCH")) {
            ObjectNode body = jsonBody(call);
            if (body.has("name")) {
                ft.name = body.get("name").isNull() ? null : body.get("name").asText();
            }
            if (body.has("description")) {
                ft.description = body.get("description").isNull() ? null : body.get("description").asText();
            }
            return Reply.ok(modelCard(ft.id));
        }
        if (s.size() == 5 && s.get(4).equals("archive") && (call.method().equals("POST") || call.method().equals("DELETE"))) {
            ft.archived = call.method().equals("POST");
            return Reply.ok(Jsons.object().put("id", ft.id).put("object", "model").put("archived", ft.archived));
        }
        return null;
    }

    // ---------------------------------------------------------------- chat

    private Reply chat(HttpCall call) {
        ObjectNode body = jsonBody(call);
        JsonNode modelNode = body.get("model");
        if (modelNode == null || modelNode.isNull()) {
            throw MistralErrors.missing("model", body);
        }
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw MistralErrors.missing("messages", body);
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw MistralErrors.unprocessable("too_short", List.of("body", "messages"),
                    "List should have at least 1 item after validation, not 0", messages);
        }
        String model = modelNode.asText();
        String question = "";
        for (JsonNode m : messages) {
            if (m.path("role").asText().equals("user")) {
                question = TrainingSet.text(m);
            }
        }
        String text;
        ArrayNode toolCalls = null;
        if (isBaseModel(model)) {
            String q = question.strip().replaceAll("\\s+", " ");
            q = q.length() > 80 ? q.substring(0, 77) + "..." : q;
            text = "I am " + model + ", a base model that was not fine-tuned on your examples. A general answer to \""
                    + q + "\": it depends on the details of your situation.";
            if (body.path("response_format").path("type").asText("").startsWith("json")) {
                text = Jsons.write(Jsons.object().put("answer", text));
            }
        } else {
            FineTunedModel ft = fineTuned.get(model);
            if (ft == null) {
                throw MistralErrors.of(400, "Invalid model: " + model, "invalid_model", "1500");
            }
            JsonNode reply = ft.examples.closest(question).map(TrainingSet.Example::reply).orElse(Jsons.object());
            if (reply.path("tool_calls").isArray() && !reply.path("tool_calls").isEmpty()
                    && (reply.get("content") == null || reply.get("content").isNull() || reply.get("content").asText().isEmpty())) {
                toolCalls = Jsons.array();
                for (JsonNode c : reply.get("tool_calls")) {
                    ObjectNode copy = Jsons.object();
                    copy.put("id", ids.alnum("", 9));
                    copy.put("type", "function");
                    ObjectNode fn = copy.putObject("function");
                    fn.put("name", c.path("function").path("name").asText());
                    JsonNode args = c.path("function").path("arguments");
                    fn.put("arguments", args.isTextual() ? args.asText() : Jsons.write(args));
                    toolCalls.add(copy);
                }
                text = "";
            } else {
                text = TrainingSet.text(reply);
            }
        }
        TokenCounter counter = TokenCounter.forModel(model);
        int prompt = 0;
        for (JsonNode m : messages) {
            prompt += 4 + counter.countText(TrainingSet.text(m));
        }
        String finish = toolCalls != null ? "tool_calls" : "stop";
        JsonNode max = body.get("max_tokens");
        if (toolCalls == null && max != null && max.isInt() && max.asInt() > 0 && counter.countText(text) > max.asInt()) {
            StringBuilder cut = new StringBuilder();
            Matcher pm = PIECES.matcher(text);
            while (pm.find() && counter.countText(cut + pm.group()) <= max.asInt()) {
                cut.append(pm.group());
            }
            text = cut.toString();
            finish = "length";
        }
        int completion = toolCalls != null ? counter.countText(Jsons.write(toolCalls)) : counter.countText(text);
        ObjectNode usage = Jsons.object().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        String id = ids.hex(32);
        long created = config.clock().epochSecond();
        if (body.path("stream").asBoolean(false)) {
            return stream(id, created, model, text, toolCalls, finish, usage);
        }
        ObjectNode out = Jsons.object();
        out.put("id", id);
        out.put("object", "chat.completion");
        out.put("model", model);
        out.set("usage", usage);
        out.put("created", created);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("content", text);
        if (toolCalls == null) {
            message.putNull("tool_calls");
        } else {
            message.set("tool_calls", toolCalls);
        }
        message.put("prefix", false);
        message.put("role", "assistant");
        choice.put("finish_reason", finish);
        return Reply.ok(out);
    }

    private Reply stream(String id, long created, String model, String text, ArrayNode toolCalls, String finish,
                         ObjectNode usage) {
        List<ObjectNode> deltas = new ArrayList<>();
        deltas.add(Jsons.object().put("role", "assistant").put("content", ""));
        if (toolCalls != null) {
            deltas.add((ObjectNode) Jsons.object().put("content", "").set("tool_calls", toolCalls));
        } else {
            Matcher m = PIECES.matcher(text);
            while (m.find()) {
                deltas.add(Jsons.object().put("content", m.group()));
            }
        }
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < deltas.size(); i++) {
            boolean last = i == deltas.size() - 1;
            ObjectNode c = Jsons.object();
            c.put("id", id);
            c.put("object", "chat.completion.chunk");
            c.put("created", created);
            c.put("model", model);
            ObjectNode choice = c.putArray("choices").addObject();
            choice.put("index", 0);
            choice.set("delta", deltas.get(i));
            if (last) {
                choice.put("finish_reason", finish);
                c.set("usage", usage);
            } else {
                choice.putNull("finish_reason");
            }
            sse.append("data: ").append(Jsons.write(c)).append("\n\n");
        }
        sse.append("data: [DONE]\n\n");
        return Reply.status(200).header("Content-Type", "text/event-stream").body(sse.toString());
    }

    private static void putNullable(ObjectNode n, String field, String value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }
}
