package dev.finetune4j.testkit.internal.openai;

import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.invalid;
import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.missing;
import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.Emulation;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.JobBoard;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.MultipartForm;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.Settings;
import dev.finetune4j.testkit.internal.StoredFile;
import dev.finetune4j.testkit.internal.TrainedModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A stateful emulation of the OpenAI HTTP API: files, uploads
 * ({@link OpenAiUploads}), fine-tuning jobs with events and checkpoints ({@link OpenAiJobs}),
 * models, chat completions ({@link OpenAiChat}). Thread-safe.
 */
public final class OpenAiApi extends Emulation<OpenAiJob, TrainedModel> {

    /** The base models an emulator knows unless told otherwise. */
    public static final List<String> DEFAULT_BASE_MODELS = List.of(
            "gpt-4o-mini-2024-07-18", "gpt-4o-mini", "gpt-4o-2024-08-06", "gpt-4o",
            "gpt-4.1-2025-04-14", "gpt-4.1", "gpt-4.1-mini-2025-04-14", "gpt-4.1-mini",
            "gpt-4.1-nano-2025-04-14", "gpt-4.1-nano", "gpt-3.5-turbo-0125", "gpt-3.5-turbo",
            "babbage-002", "davinci-002");

    /** Aliases the real API resolves to a dated snapshot. */
    static final Map<String, String> SNAPSHOTS = Map.of(
            "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
            "gpt-4o", "gpt-4o-2024-08-06",
            "gpt-4.1", "gpt-4.1-2025-04-14",
            "gpt-4.1-mini", "gpt-4.1-mini-2025-04-14",
            "gpt-4.1-nano", "gpt-4.1-nano-2025-04-14",
            "gpt-3.5-turbo", "gpt-3.5-turbo-0125");

    private static final Set<String> FILE_FIELDS = Set.of("file", "purpose", "expires_after[anchor]",
            "expires_after[seconds]");
    static final long BASE_MODEL_CREATED = 1_700_000_000L;

    /** The organization name in fine-tuned model ids. */
    final String organization;
    /** The organization id in job objects and model owners. */
    final String organizationId;
    /** What the service does its own way. */
    final OpenAiDialect dialect;
    private final OpenAiUploads uploads = new OpenAiUploads(this);
    private final OpenAiJobs jobs;

    /** OpenAI itself. */
    public OpenAiApi(Settings settings, String organization) {
        this(settings, organization, new OpenAiDialect());
    }

    /** A service that speaks OpenAI's protocol in {@code dialect}. */
    public OpenAiApi(Settings settings, String organization, OpenAiDialect dialect) {
        super(settings, id -> notFound("No such File object: " + id, "id", null));
        this.organization = Objects.requireNonNull(organization, "organization");
        this.organizationId = ids.alnum("org-", 24);
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.jobs = new OpenAiJobs(this);
    }

    @Override
    protected JobBoard<OpenAiJob, ?> jobs() {
        return jobs;
    }

    @Override
    protected void clearState() {
        uploads.clear();
        dialect.clear();
    }

    @Override
    protected String servedName(String baseModel) {
        String dated = SNAPSHOTS.get(baseModel);
        return dated != null && isBaseModel(dated) ? dated : baseModel;
    }

    // ---------------------------------------------------------------- HTTP

    @Override
    protected void routes(Routes r) {
        String root = dialect.root();
        r.guard(root, call -> dialect.authenticate(call, settings))
                .notFound(dialect::notFound)
                .post(root + "/files", this::createFile)
                .get(root + "/files", this::listFiles);
        files.routes(r, root + "/files", f -> fileJson(f, true));
        if (dialect.uploadsApi()) {
            uploads.routes(r);
        }
        jobs.routes(r);
        r.get(root + "/models", call -> listModels())
                .get(root + "/models/{id}", call -> Reply.ok(model(call.param("id"))));
        if (dialect.modelDeletion()) {
            r.delete(root + "/models/{id}", call -> deleteModelCall(call.param("id")));
        }
        r.post(root + "/chat/completions", new OpenAiChat(this)::complete);
        dialect.extraRoutes(r, this);
    }

    @Override
    protected Reply rateLimited(long seconds) {
        return dialect.rateLimited(seconds);
    }

    @Override
    protected Reply serverError() {
        return OpenAiErrors.reply(500, "The server had an error while processing your request. Sorry about that!",
                "server_error", null, null);
    }

    @Override
    protected Reply decorate(Reply reply) {
        return dialect.decorate(reply, ids, organization);
    }

    // ---------------------------------------------------------------- files

    /** A file object; {@code read} when a client reads it (which may move its processing on). */
    ObjectNode fileJson(StoredFile f, boolean read) {
        ObjectNode n = Jsons.object();
        n.put("object", "file");
        n.put("id", f.id());
        n.put("purpose", f.purpose());
        n.put("filename", f.filename());
        n.put("bytes", f.content().length);
        n.put("created_at", f.createdAt());
        n.put("expires_at", f.expiresAt());
        n.put("status", dialect.fileStatus(f, read));
        n.putNull("status_details");
        return n;
    }

    private Reply createFile(HttpCall call) {
        MultipartForm form = MultipartForm.parse(call.header("content-type").orElse(""), call.body())
                .orElseThrow(() -> invalid("The request must be multipart/form-data with the parts 'file' and 'purpose'.",
                        null, null));
        MultipartForm.Part filePart = form.part("file").orElseThrow(() -> missing("file"));
        String purpose = form.field("purpose").orElseThrow(() -> missing("purpose")).trim();
        if (!dialect.filePurposes().contains(purpose)) {
            throw invalid("'" + purpose + "' is not one of " + quoted(dialect.filePurposes()) + " - 'purpose'",
                    "purpose", null);
        }
        for (MultipartForm.Part p : form.parts()) {
            if (!FILE_FIELDS.contains(p.name())) {
                throw invalid("Unrecognized request argument supplied: " + p.name(), null, null);
            }
        }
        String filename = filePart.filename() == null || filePart.filename().isBlank() ? "upload" : filePart.filename();
        checkUpload(purpose, filename, "file");
        Long expiresAt = null;
        Optional<String> seconds = form.field("expires_after[seconds]");
        long now = epochSecond();
        if (seconds.isPresent()) {
            long secs = parseLong(seconds.get(), "expires_after[seconds]");
            if (secs < 3600 || secs > 2_592_000) {
                throw invalid("Invalid 'expires_after.seconds': must be between 3600 and 2592000.",
                        "expires_after.seconds", "invalid_value");
            }
            expiresAt = now + secs;
        } else if (purpose.equals("batch")) {
            expiresAt = now + 2_592_000;
        }
        StoredFile stored = files.put(new StoredFile(ids.alnum("file-", 22), filename, purpose, filePart.data(), now,
                expiresAt));
        dialect.uploaded(stored);
        return Reply.ok(fileJson(stored, false));
    }

    /** Refuses a scripted rejection, and a fine-tuning file that is not {@code .jsonl}. */
    void checkUpload(String purpose, String filename, String param) {
        String rejection = uploadRejections.poll();
        if (rejection != null) {
            throw invalid(rejection, "file", null);
        }
        if (purpose.equals("fine-tune") && !filename.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
            throw invalid("Invalid file format for Fine-Tuning API. Must be .jsonl", param, null);
        }
    }

    StoredFile storeFile(String filename, String purpose, byte[] content) {
        return files.put(new StoredFile(ids.alnum("file-", 22), filename, purpose, content, epochSecond(), null));
    }

    private Reply listFiles(HttpCall call) {
        Optional<String> purpose = call.queryParam("purpose");
        List<StoredFile> all = new ArrayList<>();
        for (StoredFile f : files.all()) {
            if (purpose.isEmpty() || purpose.get().equals(f.purpose())) {
                all.add(f);
            }
        }
        if (!call.queryParam("order").map("asc"::equals).orElse(false)) {
            Collections.reverse(all);
        }
        return page(call, all, all.stream().map(StoredFile::id).toList(), 10_000, 10_000, f -> fileJson(f, false),
                true);
    }

    // ---------------------------------------------------------------- models

    /** The trained model with this id, or null. */
    public TrainedModel trained(String id) {
        return models.get(id);
    }

    private ObjectNode model(String id) {
        ObjectNode n = Jsons.object();
        n.put("id", id);
        n.put("object", "model");
        if (isBaseModel(id)) {
            n.put("created", BASE_MODEL_CREATED);
            n.put("owned_by", "system");
        } else {
            TrainedModel ft = models.get(id);
            if (ft == null) {
                throw notFound("The model '" + id + "' does not exist", "model", "model_not_found");
            }
            n.put("created", ft.createdAt);
            n.put("owned_by", organizationId);
        }
        n.putNull("shutdown_date");
        return n;
    }

    private Reply listModels() {
        ArrayNode data = Jsons.array();
        for (String id : settings.baseModels()) {
            data.add(model(id));
        }
        for (String id : models.keySet()) {
            if (!dialect.isCheckpoint(id)) {
                data.add(model(id));
            }
        }
        return Reply.ok(Jsons.object().put("object", "list").set("data", data));
    }

    private Reply deleteModelCall(String id) {
        if (isBaseModel(id)) {
            throw OpenAiErrors.of(403, "You have insufficient permissions for this operation: model '" + id
                    + "' is not a fine-tuned model owned by your organization.", "invalid_request_error", null, null);
        }
        if (models.remove(id) == null) {
            throw notFound("The model '" + id + "' does not exist", "model", "model_not_found");
        }
        return Reply.ok(Jsons.object().put("id", id).put("object", "model").put("deleted", true));
    }

    // ---------------------------------------------------------------- request and list helpers

    static ObjectNode jsonBody(HttpCall call) {
        Optional<JsonNode> parsed = Jsons.parse(call.bodyText());
        if (parsed.isEmpty() || !parsed.get().isObject()) {
            throw invalid("We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
                    + "your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
                    + "valid JSON.)", null, null);
        }
        return (ObjectNode) parsed.get();
    }

    static void rejectUnknown(ObjectNode body, Set<String> known) {
        body.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                throw invalid("Unrecognized request argument supplied: " + f, null, null);
            }
        });
    }

    static String requiredText(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw missing(field);
        }
        if (!v.isTextual()) {
            throw invalid("Invalid type for '" + field + "': expected a string, but got " + kind(v) + " instead.",
                    field, "invalid_type");
        }
        return v.asText();
    }

    static String kind(JsonNode v) {
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() ? "an integer" : "a decimal";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isArray()) {
            return "an array";
        }
        return v.isObject() ? "an object" : "null";
    }

    static long parseLong(String text, String param) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw invalid("Invalid '" + param + "': expected an integer, got '" + text + "'.", param, "invalid_type");
        }
    }

    /**
     * One page of {@code all} (already in list order) after the {@code after} cursor, at most
     * {@code limit} (default {@code defaultLimit}, at most {@code max}), as
     * {@code {"object":"list","data","has_more"[,"first_id","last_id"]}}.
     */
    static <T> Reply page(HttpCall call, List<T> all, List<String> idsInOrder, int defaultLimit, int max,
                          java.util.function.Function<T, ObjectNode> json, boolean firstAndLastIds) {
        int limit = defaultLimit;
        Optional<String> raw = call.queryParam("limit");
        if (raw.isPresent()) {
            long v = parseLong(raw.get(), "limit");
            if (v < 1 || v > max) {
                throw invalid("Invalid 'limit': integer must be between 1 and " + max + ", got " + v + ".", "limit",
                        "integer_out_of_range");
            }
            limit = (int) v;
        }
        int start = 0;
        Optional<String> after = call.queryParam("after").filter(a -> !a.isEmpty());
        if (after.isPresent()) {
            start = idsInOrder.indexOf(after.get()) + 1;
            if (start == 0) {
                throw invalid("Invalid 'after': no object with id '" + after.get() + "' in this list.", "after", null);
            }
        }
        int end = Math.min(all.size(), start + limit);
        ArrayNode data = Jsons.array();
        all.subList(start, end).forEach(t -> data.add(json.apply(t)));
        ObjectNode body = Jsons.object().put("object", "list");
        body.set("data", data);
        body.put("has_more", end < all.size());
        if (firstAndLastIds) {
            body.put("first_id", end > start ? idsInOrder.get(start) : null);
            body.put("last_id", end > start ? idsInOrder.get(end - 1) : null);
        }
        return Reply.ok(body);
    }

    static String quoted(Set<String> values) {
        List<String> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < sorted.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append(sorted.get(i)).append('\'');
        }
        return sb.append(']').toString();
    }
}
