package dev.finetune4j.testkit.internal.mistral;

import static dev.finetune4j.testkit.internal.mistral.MistralErrors.invalid;
import static dev.finetune4j.testkit.internal.mistral.MistralErrors.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.ApiError;
import dev.finetune4j.testkit.internal.Emulation;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.JobBoard;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.MultipartForm;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.Settings;
import dev.finetune4j.testkit.internal.StoredFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A stateful emulation of the Mistral HTTP API: files, fine-tuning jobs with the
 * {@code auto_start=false} cost preview and {@code /start} ({@link MistralJobs}), fine-tuned
 * models, chat completions ({@link MistralChat}). Thread-safe.
 */
public final class MistralApi extends Emulation<MistralJob, MistralModel> {

    /** The base models an emulator knows unless told otherwise: the fine-tunable ones. */
    public static final List<String> DEFAULT_BASE_MODELS = List.of("open-mistral-7b", "mistral-small-latest",
            "codestral-latest", "open-mistral-nemo", "mistral-large-latest", "ministral-8b-latest",
            "ministral-3b-latest", "pixtral-12b-latest");

    static final long BASE_MODEL_CREATED = 1_700_000_000L;

    /** The workspace part of fine-tuned model ids. */
    final String workspace;
    private final MistralJobs jobs;

    public MistralApi(Settings settings) {
        super(settings, id -> notFound("No file with id '" + id + "' found"));
        this.workspace = ids.hex(8);
        this.jobs = new MistralJobs(this);
    }

    @Override
    protected JobBoard<MistralJob, ?> jobs() {
        return jobs;
    }

    // ---------------------------------------------------------------- HTTP

    @Override
    protected void routes(Routes r) {
        r.guard("/v1", call -> {
            if (key(call) != Key.ACCEPTED) {
                throw MistralErrors.of(401, "Unauthorized", "authentication_error", null);
            }
        }).notFound(call -> notFound("Not Found"))
                .methodNotAllowed((call, allowed) -> ApiError.fastApiMethodNotAllowed(allowed))
                .post("/v1/files", this::uploadFile)
                .get("/v1/files", this::listFiles);
        files.routes(r, "/v1/files", MistralApi::fileJson);
        jobs.routes(r);
        r.get("/v1/models", call -> {
            ArrayNode data = Jsons.array();
            settings.baseModels().forEach(id -> data.add(modelCard(id)));
            models.keySet().forEach(id -> data.add(modelCard(id)));
            return Reply.ok(Jsons.object().put("object", "list").set("data", data));
        }).get("/v1/models/{id}", call -> Reply.ok(modelCard(call.param("id"))))
                .delete("/v1/models/{id}", call -> deleteModelCall(call.param("id")))
                .add("PATCH", "/v1/fine_tuning/models/{id}", this::renameModel)
                .post("/v1/fine_tuning/models/{id}/archive", call -> archive(call, true))
                .delete("/v1/fine_tuning/models/{id}/archive", call -> archive(call, false))
                .post("/v1/chat/completions", new MistralChat(this)::complete);
    }

    @Override
    protected Reply rateLimited(long seconds) {
        return MistralErrors.error(429, "Requests rate limit exceeded", "rate_limit_error", null)
                .header("Retry-After", String.valueOf(seconds));
    }

    @Override
    protected Reply serverError() {
        return MistralErrors.error(500, "Internal server error", "server_error", null);
    }

    @Override
    protected Reply decorate(Reply reply) {
        String requestId = ids.hex(32);
        return reply.header("x-request-id", requestId).header("mistral-correlation-id", requestId);
    }

    static ObjectNode jsonBody(HttpCall call) {
        return Jsons.parse(call.bodyText()).filter(JsonNode::isObject).map(n -> (ObjectNode) n)
                .orElseThrow(() -> MistralErrors.unprocessable("json_invalid", List.of("body"), "JSON decode error",
                        null));
    }

    // ---------------------------------------------------------------- files

    static ObjectNode fileJson(StoredFile f) {
        ObjectNode n = Jsons.object();
        n.put("id", f.id());
        n.put("object", "file");
        n.put("bytes", f.content().length);
        n.put("created_at", f.createdAt());
        n.put("filename", f.filename());
        n.put("purpose", f.purpose());
        n.put("sample_type", f.purpose().equals("batch") ? "batch_request" : "instruct");
        n.put("num_lines", f.lines());
        n.put("mimetype", "application/jsonl");
        n.put("source", "upload");
        n.put("visibility", "workspace");
        return n;
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
        if (purpose.equals("fine-tune")) {
            if (!filename.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
                throw invalid("Invalid file format: fine-tuning files must be .jsonl, got '" + filename + "'");
            }
            String[] all = part.text().split("\n", -1);
            for (int i = 0; i < all.length; i++) {
                if (!all[i].isBlank() && Jsons.parse(all[i]).filter(JsonNode::isObject).isEmpty()) {
                    throw invalid("Invalid file format: line " + (i + 1) + " is not a valid JSON object");
                }
            }
        }
        for (StoredFile existing : files.all()) {
            if (existing.filename().equals(filename) && Arrays.equals(existing.content(), part.data())) {
                return Reply.ok(fileJson(existing));
            }
        }
        return Reply.ok(fileJson(files.put(new StoredFile(ids.uuid().toString(), filename, purpose, part.data(),
                epochSecond(), null))));
    }

    private Reply listFiles(HttpCall call) {
        List<StoredFile> all = new ArrayList<>();
        for (StoredFile f : files.all()) {
            if (call.queryParam("purpose").map(f.purpose()::equals).orElse(true)
                    && call.queryParam("search").map(q -> f.filename().contains(q)).orElse(true)) {
                all.add(f);
            }
        }
        return page(call, all, MistralApi::fileJson);
    }

    /** {@code {"object":"list","total","data"}}: the {@code page}-th page of {@code page_size}, newest first. */
    static <T> Reply page(HttpCall call, List<T> all, java.util.function.Function<T, ObjectNode> json) {
        int page = intParam(call, "page", 0);
        int pageSize = intParam(call, "page_size", 100);
        List<T> newestFirst = new ArrayList<>(all);
        Collections.reverse(newestFirst);
        ArrayNode data = Jsons.array();
        newestFirst.stream().skip((long) page * pageSize).limit(pageSize).forEach(t -> data.add(json.apply(t)));
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

    private ObjectNode modelCard(String id) {
        ObjectNode n = Jsons.object();
        n.put("id", id);
        n.put("object", "model");
        MistralModel ft = isBaseModel(id) ? null : models.get(id);
        if (!isBaseModel(id) && ft == null) {
            throw notFound("Model not found: " + id);
        }
        n.put("created", ft == null ? BASE_MODEL_CREATED : ft.createdAt);
        n.put("owned_by", ft == null ? "mistralai" : workspace);
        n.set("capabilities", Jsons.object().put("completion_chat", true).put("completion_fim", id.startsWith("codestral"))
                .put("function_calling", true).put("fine_tuning", ft == null).put("vision", id.startsWith("pixtral")));
        n.put("name", ft == null ? id : ft.name);
        n.put("description", ft == null ? "Base model " + id + " (emulated)" : ft.description);
        n.put("max_context_length", 32768);
        n.putArray("aliases");
        n.putNull("deprecation");
        n.put("type", ft == null ? "base" : "fine-tuned");
        if (ft != null) {
            n.put("job", ft.jobId);
            n.put("root", ft.base);
            n.put("archived", ft.archived);
            n.put("model_type", "completion");
        }
        return n;
    }

    private Reply deleteModelCall(String id) {
        if (isBaseModel(id)) {
            throw MistralErrors.of(403, "You are not allowed to delete base model " + id, "invalid_request_error", null);
        }
        if (models.remove(id) == null) {
            throw notFound("Model not found: " + id);
        }
        return Reply.ok(Jsons.object().put("id", id).put("object", "model").put("deleted", true));
    }

    private MistralModel fineTuned(HttpCall call) {
        MistralModel ft = models.get(call.param("id"));
        if (ft == null) {
            throw notFound("Model not found: " + call.param("id"));
        }
        return ft;
    }

    private Reply renameModel(HttpCall call) {
        MistralModel ft = fineTuned(call);
        ObjectNode body = jsonBody(call);
        if (body.has("name")) {
            ft.name = body.get("name").isNull() ? null : body.get("name").asText();
        }
        if (body.has("description")) {
            ft.description = body.get("description").isNull() ? null : body.get("description").asText();
        }
        return Reply.ok(modelCard(ft.id));
    }

    private Reply archive(HttpCall call, boolean archived) {
        MistralModel ft = fineTuned(call);
        ft.archived = archived;
        return Reply.ok(Jsons.object().put("id", ft.id).put("object", "model").put("archived", archived));
    }
}
