package dev.finetune4j.testkit.internal.openai;

import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.invalid;
import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.missing;
import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.EmulatedFile;
import dev.finetune4j.testkit.EmulatedJob;
import dev.finetune4j.testkit.internal.EmulatorClock;
import dev.finetune4j.testkit.internal.EmulatedApi;
import dev.finetune4j.testkit.internal.FaultPlan;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Ids;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.MultipartForm;
import dev.finetune4j.testkit.internal.Progression;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.TrainingSet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A stateful emulation of the OpenAI HTTP API (files, uploads, fine-tuning jobs with events and
 * checkpoints, models, chat completions). All state lives in memory behind this object's lock.
 * Thread-safe.
 */
public final class OpenAiApi implements EmulatedApi {

    /** The emulator's fixed settings. */
    public record Config(String organization, String apiKey, long seed, List<String> baseModels,
                         Progression progression, EmulatorClock clock) {

        public Config {
            Objects.requireNonNull(organization, "organization");
            baseModels = List.copyOf(baseModels);
            Objects.requireNonNull(progression, "progression");
            Objects.requireNonNull(clock, "clock");
        }
    }

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

    static final Set<String> FILE_PURPOSES = Set.of("assistants", "batch", "fine-tune", "vision", "user_data", "evals");
    static final Set<String> UPLOAD_PURPOSES = Set.of("assistants", "batch", "fine-tune", "vision");
    static final long BASE_MODEL_CREATED = 1_700_000_000L;

    /** A stored file. */
    static final class StoredFile {
        final String id;
        final String filename;
        final String purpose;
        final byte[] content;
        final long createdAt;
        final Long expiresAt;

        StoredFile(String id, String filename, String purpose, byte[] content, long createdAt, Long expiresAt) {
            this.id = id;
            this.filename = filename;
            this.purpose = purpose;
            this.content = content;
            this.createdAt = createdAt;
            this.expiresAt = expiresAt;
        }

        ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("object", "file");
            n.put("id", id);
            n.put("purpose", purpose);
            n.put("filename", filename);
            n.put("bytes", content.length);
            n.put("created_at", createdAt);
            if (expiresAt == null) {
                n.putNull("expires_at");
            } else {
                n.put("expires_at", expiresAt);
            }
            n.put("status", "processed");
            n.putNull("status_details");
            return n;
        }
    }

    /** A model a job produced (or one of its checkpoints). */
    static final class FineTunedModel {
        final String id;
        final long created;
        final TrainingSet examples;

        FineTunedModel(String id, long created, TrainingSet examples) {
            this.id = id;
            this.created = created;
            this.examples = examples;
        }
    }

    /** A multi-part upload in progress. */
    static final class Upload {
        final String id;
        final String filename;
        final String purpose;
        final long bytes;
        final String mimeType;
        final long createdAt;
        String status = "pending";
        final Map<String, byte[]> parts = new LinkedHashMap<>();
        StoredFile file;

        Upload(String id, String filename, String purpose, long bytes, String mimeType, long createdAt) {
            this.id = id;
            this.filename = filename;
            this.purpose = purpose;
            this.bytes = bytes;
            this.mimeType = mimeType;
            this.createdAt = createdAt;
        }

        ObjectNode toJson() {
            ObjectNode n = Jsons.object();
            n.put("id", id);
            n.put("object", "upload");
            n.put("bytes", bytes);
            n.put("created_at", createdAt);
            n.put("filename", filename);
            n.put("purpose", purpose);
            n.put("status", status);
            n.put("expires_at", createdAt + 3600);
            if (file == null) {
                n.putNull("file");
            } else {
                n.set("file", file.toJson());
            }
            return n;
        }
    }

    final Config config;
    final Ids ids;
    final String organizationId;
    final FaultPlan faults = new FaultPlan();

    // State, guarded by this.
    final Map<String, StoredFile> files = new LinkedHashMap<>();
    final Map<String, Upload> uploads = new LinkedHashMap<>();
    final Map<String, OpenAiJob> jobs = new LinkedHashMap<>();
    final Map<String, FineTunedModel> fineTuned = new LinkedHashMap<>();
    final Deque<String[]> jobFailures = new ArrayDeque<>();
    final Deque<String> uploadRejections = new ArrayDeque<>();

    private final OpenAiJobs jobApi;
    private final OpenAiChat chatApi;

    public OpenAiApi(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.ids = new Ids(config.seed());
        this.organizationId = ids.alnum("org-", 24);
        this.jobApi = new OpenAiJobs(this);
        this.chatApi = new OpenAiChat(this);
    }

    // ---------------------------------------------------------------- scripting, for the public facade

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

    /**
     * Deletes a fine-tuned model as its owner would.
     *
     * @throws IllegalArgumentException when no such fine-tuned model exists
     */
    @Override
    public synchronized void deleteModel(String id) {
        if (fineTuned.remove(id) == null) {
            throw new IllegalArgumentException("no fine-tuned model '" + id + "' exists in the emulator; known: "
                    + fineTuned.keySet());
        }
    }

    /** Moves one job one status forward, as one poll would. */
    @Override
    public synchronized void advance(String jobId) {
        OpenAiJob job = jobs.get(jobId);
        if (job == null) {
            throw new IllegalArgumentException("no job '" + jobId + "' in the emulator; known: " + jobs.keySet());
        }
        jobApi.poll(job);
    }

    /** Runs every unfinished, unpaused job to its end. */
    @Override
    public synchronized void finishAll() {
        for (OpenAiJob job : jobs.values()) {
            if (!job.terminal() && !job.status.equals("paused")) {
                jobApi.moveTo(job, 3);
            }
        }
    }

    @Override
    public synchronized List<EmulatedJob> jobSnapshots() {
        jobApi.syncTimed();
        List<EmulatedJob> out = new ArrayList<>();
        for (OpenAiJob j : jobs.values()) {
            out.add(new EmulatedJob(j.id, j.model, j.status, List.of(j.trainingFile), j.validationFile, j.suffix,
                    j.metadata == null ? Map.of() : j.metadata, j.fineTunedModel,
                    j.error == null ? null : j.error.path("code").asText(null),
                    j.error == null ? null : j.error.path("message").asText(null),
                    j.trainedTokens, Instant.ofEpochSecond(j.createdAt)));
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

    /** The ids of the models chat accepts now: base models, then fine-tuned models and checkpoints. */
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
        uploads.clear();
        jobs.clear();
        fineTuned.clear();
        jobFailures.clear();
        uploadRejections.clear();
        faults.clear();
    }

    // ---------------------------------------------------------------- HTTP

    @Override
    public Reply handle(HttpCall call) {
        Reply reply = faults.serve(call, OpenAiApi::rateLimited, OpenAiApi::serverError, () -> {
            synchronized (this) {
                try {
                    return route(call);
                } catch (OpenAiErrors.ApiError e) {
                    return e.toReply();
                }
            }
        });
        return reply.header("x-request-id", "req_" + ids.hex(32))
                .header("openai-version", "2020-10-01")
                .header("openai-processing-ms", String.valueOf(20 + ids.nextInt(180)))
                .header("openai-organization", config.organization());
    }

    private static Reply rateLimited(long seconds) {
        return OpenAiErrors.error(429, "Rate limit reached for requests. Please try again in " + seconds + "s.",
                        "requests", null, "rate_limit_exceeded")
                .header("Retry-After", String.valueOf(seconds))
                .header("x-ratelimit-remaining-requests", "0")
                .header("x-ratelimit-reset-requests", seconds + "s");
    }

    private static Reply serverError() {
        return OpenAiErrors.error(500, "The server had an error while processing your request. Sorry about that!",
                "server_error", null, null);
    }

    private Reply route(HttpCall call) {
        jobApi.syncTimed();
        List<String> s = call.segments();
        String m = call.method();
        if (s.isEmpty() || !s.get(0).equals("v1")) {
            throw invalidUrl(call);
        }
        checkAuth(call);
        String area = call.segment(1);
        int n = s.size();
        switch (area) {
            case "files":
                if (n == 2 && m.equals("POST")) {
                    return createFile(call);
                }
                if (n == 2 && m.equals("GET")) {
                    return listFiles(call);
                }
                if (n == 3 && m.equals("GET")) {
                    return Reply.ok(file(s.get(2)).toJson());
                }
                if (n == 3 && m.equals("DELETE")) {
                    return deleteFile(s.get(2));
                }
                if (n == 4 && m.equals("GET") && s.get(3).equals("content")) {
                    StoredFile f = file(s.get(2));
                    return Reply.status(200).header("Content-Type", "application/octet-stream").body(f.content);
                }
                break;
            case "uploads":
                if (n == 2 && m.equals("POST")) {
                    return createUpload(call);
                }
                if (n == 4 && m.equals("POST")) {
                    switch (s.get(3)) {
                        case "parts":
                            return addPart(call, s.get(2));
                        case "complete":
                            return completeUpload(call, s.get(2));
                        case "cancel":
                            return cancelUpload(s.get(2));
                        default:
                            break;
                    }
                }
                break;
            case "fine_tuning":
                if (n >= 3 && s.get(2).equals("jobs")) {
                    Reply r = jobApi.route(call);
                    if (r != null) {
                        return r;
                    }
                }
                break;
            case "models":
                if (n == 2 && m.equals("GET")) {
                    return listModels();
                }
                if (n == 3 && m.equals("GET")) {
                    return Reply.ok(model(s.get(2)));
                }
                if (n == 3 && m.equals("DELETE")) {
                    return deleteModelCall(s.get(2));
                }
                break;
            case "chat":
                if (n == 3 && s.get(2).equals("completions") && m.equals("POST")) {
                    return chatApi.complete(call);
                }
                break;
            default:
                break;
        }
        throw invalidUrl(call);
    }

    private static OpenAiErrors.ApiError invalidUrl(HttpCall call) {
        return notFound("Invalid URL (" + call.method() + " " + call.path() + ")", null, null);
    }

    private void checkAuth(HttpCall call) {
        String header = call.header("authorization").orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw new OpenAiErrors.ApiError(401, "You didn't provide an API key. You need to provide your API key in an "
                    + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error", null, null);
        }
        String key = header.substring(7).trim();
        if (config.apiKey() != null && !config.apiKey().equals(key)) {
            String tail = key.length() > 4 ? key.substring(key.length() - 4) : key;
            throw new OpenAiErrors.ApiError(401, "Incorrect API key provided: sk-..." + tail
                    + ". You can find your API key at https://platform.openai.com/account/api-keys.",
                    "invalid_request_error", null, "invalid_api_key");
        }
    }

    // ---------------------------------------------------------------- files

    StoredFile file(String id) {
        StoredFile f = files.get(id);
        if (f == null) {
            throw notFound("No such File object: " + id, "id", null);
        }
        return f;
    }

    private Reply createFile(HttpCall call) {
        MultipartForm form = MultipartForm.parse(call.header("content-type").orElse(""), call.body())
                .orElseThrow(() -> invalid("The request must be multipart/form-data with the parts 'file' and 'purpose'.",
                        null, null));
        MultipartForm.Part filePart = form.part("file").orElseThrow(() -> missing("file"));
        String purpose = form.field("purpose").orElseThrow(() -> missing("purpose")).trim();
        if (!FILE_PURPOSES.contains(purpose)) {
            throw invalid("'" + purpose + "' is not one of " + quoted(FILE_PURPOSES) + " - 'purpose'", "purpose", null);
        }
        for (MultipartForm.Part p : form.parts()) {
            if (!Set.of("file", "purpose", "expires_after[anchor]", "expires_after[seconds]").contains(p.name())) {
                throw invalid("Unrecognized request argument supplied: " + p.name(), null, null);
            }
        }
        String filename = filePart.filename() == null || filePart.filename().isBlank() ? "upload" : filePart.filename();
        String rejection = uploadRejections.poll();
        if (rejection != null) {
            throw invalid(rejection, "file", null);
        }
        if (purpose.equals("fine-tune") && !filename.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
            throw invalid("Invalid file format for Fine-Tuning API. Must be .jsonl", "file", null);
        }
        Long expiresAt = null;
        Optional<String> seconds = form.field("expires_after[seconds]");
        long now = config.clock().epochSecond();
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
        StoredFile f = new StoredFile(newFileId(), filename, purpose, filePart.data(), now, expiresAt);
        files.put(f.id, f);
        return Reply.ok(f.toJson());
    }

    String newFileId() {
        return ids.alnum("file-", 22);
    }

    StoredFile storeFile(String filename, String purpose, byte[] content) {
        StoredFile f = new StoredFile(newFileId(), filename, purpose, content, config.clock().epochSecond(), null);
        files.put(f.id, f);
        return f;
    }

    private Reply listFiles(HttpCall call) {
        Optional<String> purpose = call.queryParam("purpose");
        int limit = limit(call, 10_000, 10_000);
        boolean asc = call.queryParam("order").map("asc"::equals).orElse(false);
        List<StoredFile> all = new ArrayList<>();
        for (StoredFile f : files.values()) {
            if (purpose.isEmpty() || purpose.get().equals(f.purpose)) {
                all.add(f);
            }
        }
        if (!asc) {
            Collections.reverse(all);
        }
        int start = afterIndex(all.stream().map(f -> f.id).toList(), call.queryParam("after"));
        List<StoredFile> page = all.subList(start, Math.min(all.size(), start + limit));
        ArrayNode data = Jsons.array();
        page.forEach(f -> data.add(f.toJson()));
        ObjectNode body = listBody(data, start + page.size() < all.size());
        putId(body, "first_id", page.isEmpty() ? null : page.get(0).id);
        putId(body, "last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
        return Reply.ok(body);
    }

    private Reply deleteFile(String id) {
        file(id);
        files.remove(id);
        return Reply.ok(Jsons.object().put("id", id).put("object", "file").put("deleted", true));
    }

    // ---------------------------------------------------------------- uploads

    private Reply createUpload(HttpCall call) {
        ObjectNode body = jsonBody(call);
        rejectUnknown(body, Set.of("filename", "purpose", "bytes", "mime_type", "expires_after"));
        String filename = requiredText(body, "filename");
        String purpose = requiredText(body, "purpose");
        if (!UPLOAD_PURPOSES.contains(purpose)) {
            throw invalid("'" + purpose + "' is not one of " + quoted(UPLOAD_PURPOSES) + " - 'purpose'", "purpose", null);
        }
        JsonNode bytes = body.get("bytes");
        if (bytes == null || bytes.isNull()) {
            throw missing("bytes");
        }
        if (!bytes.canConvertToLong() || bytes.asLong() < 0 || bytes.asLong() > 8L * 1024 * 1024 * 1024) {
            throw invalid("Invalid 'bytes': must be an integer between 0 and 8 GB.", "bytes", "invalid_value");
        }
        String mime = requiredText(body, "mime_type");
        String rejection = uploadRejections.poll();
        if (rejection != null) {
            throw invalid(rejection, "file", null);
        }
        if (purpose.equals("fine-tune") && !filename.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
            throw invalid("Invalid file format for Fine-Tuning API. Must be .jsonl", "filename", null);
        }
        Upload u = new Upload(ids.alnum("upload_", 24), filename, purpose, bytes.asLong(), mime,
                config.clock().epochSecond());
        uploads.put(u.id, u);
        return Reply.ok(u.toJson());
    }

    private Upload upload(String id) {
        Upload u = uploads.get(id);
        if (u == null) {
            throw notFound("No such Upload object: " + id, "upload_id", null);
        }
        if (u.status.equals("pending") && config.clock().epochSecond() > u.createdAt + 3600) {
            u.status = "expired";
        }
        return u;
    }

    private Upload pendingUpload(String id) {
        Upload u = upload(id);
        if (!u.status.equals("pending")) {
            throw invalid("Upload " + id + " is " + u.status + "; only a pending upload accepts this operation.",
                    "upload_id", null);
        }
        return u;
    }

    private Reply addPart(HttpCall call, String uploadId) {
        Upload u = pendingUpload(uploadId);
        MultipartForm form = MultipartForm.parse(call.header("content-type").orElse(""), call.body())
                .orElseThrow(() -> invalid("The request must be multipart/form-data with the part 'data'.", null, null));
        MultipartForm.Part data = form.part("data").orElseThrow(() -> missing("data"));
        if (data.data().length > 64L * 1024 * 1024) {
            throw invalid("Each part must be at most 64 MB.", "data", null);
        }
        String partId = ids.alnum("part_", 24);
        u.parts.put(partId, data.data());
        ObjectNode n = Jsons.object();
        n.put("id", partId);
        n.put("object", "upload.part");
        n.put("created_at", config.clock().epochSecond());
        n.put("upload_id", u.id);
        return Reply.ok(n);
    }

    private Reply completeUpload(HttpCall call, String uploadId) {
        Upload u = pendingUpload(uploadId);
        ObjectNode body = jsonBody(call);
        rejectUnknown(body, Set.of("part_ids", "md5"));
        JsonNode partIds = body.get("part_ids");
        if (partIds == null || !partIds.isArray()) {
            throw missing("part_ids");
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (JsonNode p : partIds) {
            byte[] bytes = u.parts.get(p.asText());
            if (bytes == null) {
                throw invalid("Part " + p.asText() + " does not belong to upload " + u.id + ".", "part_ids", null);
            }
            all.writeBytes(bytes);
        }
        if (all.size() != u.bytes) {
            throw invalid("The upload declared " + u.bytes + " bytes but its parts contain " + all.size() + " bytes.",
                    "part_ids", null);
        }
        u.file = storeFile(u.filename, u.purpose, all.toByteArray());
        u.status = "completed";
        return Reply.ok(u.toJson());
    }

    private Reply cancelUpload(String uploadId) {
        Upload u = pendingUpload(uploadId);
        u.status = "cancelled";
        return Reply.ok(u.toJson());
    }

    // ---------------------------------------------------------------- models

    boolean isBaseModel(String id) {
        return config.baseModels().contains(id);
    }

    /** The dated snapshot the API reports for a base model alias. */
    String snapshot(String model) {
        String dated = SNAPSHOTS.get(model);
        return dated != null && isBaseModel(dated) ? dated : model;
    }

    private ObjectNode model(String id) {
        ObjectNode n = Jsons.object();
        n.put("id", id);
        n.put("object", "model");
        if (isBaseModel(id)) {
            n.put("created", BASE_MODEL_CREATED);
            n.put("owned_by", "system");
        } else {
            FineTunedModel ft = fineTuned.get(id);
            if (ft == null) {
                throw notFound("The model '" + id + "' does not exist", "model", "model_not_found");
            }
            n.put("created", ft.created);
            n.put("owned_by", organizationId);
        }
        n.putNull("shutdown_date");
        return n;
    }

    private Reply listModels() {
        ArrayNode data = Jsons.array();
        for (String id : config.baseModels()) {
            data.add(model(id));
        }
        for (String id : fineTuned.keySet()) {
            if (!id.contains(":ckpt-step-")) {
                data.add(model(id));
            }
        }
        return Reply.ok(Jsons.object().put("object", "list").set("data", data));
    }

    private Reply deleteModelCall(String id) {
        if (isBaseModel(id)) {
            throw new OpenAiErrors.ApiError(403, "You have insufficient permissions for this operation: model '" + id
                    + "' is not a fine-tuned model owned by your organization.", "invalid_request_error", null, null);
        }
        if (fineTuned.remove(id) == null) {
            throw notFound("The model '" + id + "' does not exist", "model", "model_not_found");
        }
        return Reply.ok(Jsons.object().put("id", id).put("object", "model").put("deleted", true));
    }

    // ---------------------------------------------------------------- helpers shared by the API classes

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

    static int limit(HttpCall call, int defaultLimit, int max) {
        Optional<String> raw = call.queryParam("limit");
        if (raw.isEmpty()) {
            return defaultLimit;
        }
        long v = parseLong(raw.get(), "limit");
        if (v < 1 || v > max) {
            throw invalid("Invalid 'limit': integer must be between 1 and " + max + ", got " + v + ".", "limit",
                    "integer_out_of_range");
        }
        return (int) v;
    }

    /** The index just after {@code after} in {@code ids}, or 0; an unknown cursor is an error. */
    static int afterIndex(List<String> idsInOrder, Optional<String> after) {
        if (after.isEmpty() || after.get().isEmpty()) {
            return 0;
        }
        int i = idsInOrder.indexOf(after.get());
        if (i < 0) {
            throw invalid("Invalid 'after': no object with id '" + after.get() + "' in this list.", "after", null);
        }
        return i + 1;
    }

    static ObjectNode listBody(ArrayNode data, boolean hasMore) {
        ObjectNode n = Jsons.object();
        n.put("object", "list");
        n.set("data", data);
        n.put("has_more", hasMore);
        return n;
    }

    static void putId(ObjectNode n, String field, String id) {
        if (id == null) {
            n.putNull(field);
        } else {
            n.put(field, id);
        }
    }

    private static String quoted(Set<String> values) {
        List<String> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < sorted.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append(sorted.get(i)).append('\'');
        }
        return sb.append(']').toString();
    }
}
