package dev.finetune4j.testkit.internal.openai;

import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.invalid;
import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.missing;
import static dev.finetune4j.testkit.internal.openai.OpenAiErrors.notFound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.MultipartForm;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.StoredFile;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code /v1/uploads} routes: an upload is created, receives parts, and on completion (its
 * parts in the order named, their byte count checked) becomes a normal file; it expires after an
 * hour. Called under {@link OpenAiApi}'s lock.
 */
final class OpenAiUploads {

    private static final Set<String> PURPOSES = Set.of("assistants", "batch", "fine-tune", "vision");

    /** A multi-part upload in progress. */
    private static final class Upload {
        final String id;
        final String filename;
        final String purpose;
        final long bytes;
        final long createdAt;
        String status = "pending";
        final Map<String, byte[]> parts = new LinkedHashMap<>();
        StoredFile file;

        Upload(String id, String filename, String purpose, long bytes, long createdAt) {
            this.id = id;
            this.filename = filename;
            this.purpose = purpose;
            this.bytes = bytes;
            this.createdAt = createdAt;
        }

        ObjectNode toJson(OpenAiApi api) {
            ObjectNode n = Jsons.object();
            n.put("id", id);
            n.put("object", "upload");
            n.put("bytes", bytes);
            n.put("created_at", createdAt);
            n.put("filename", filename);
            n.put("purpose", purpose);
            n.put("status", status);
            n.put("expires_at", createdAt + 3600);
            n.set("file", file == null ? null : api.fileJson(file, false));
            return n;
        }
    }

    private final OpenAiApi api;
    private final Map<String, Upload> uploads = new LinkedHashMap<>();

    OpenAiUploads(OpenAiApi api) {
        this.api = api;
    }

    void clear() {
        uploads.clear();
    }

    void routes(Routes r) {
        r.post("/v1/uploads", this::create)
                .post("/v1/uploads/{id}/parts", this::addPart)
                .post("/v1/uploads/{id}/complete", this::complete)
                .post("/v1/uploads/{id}/cancel", call -> {
                    Upload u = pending(call.param("id"));
                    u.status = "cancelled";
                    return Reply.ok(u.toJson(api));
                });
    }

    private Reply create(HttpCall call) {
        ObjectNode body = OpenAiApi.jsonBody(call);
        OpenAiApi.rejectUnknown(body, Set.of("filename", "purpose", "bytes", "mime_type", "expires_after"));
        String filename = OpenAiApi.requiredText(body, "filename");
        String purpose = OpenAiApi.requiredText(body, "purpose");
        if (!PURPOSES.contains(purpose)) {
            throw invalid("'" + purpose + "' is not one of " + OpenAiApi.quoted(PURPOSES) + " - 'purpose'", "purpose",
                    null);
        }
        JsonNode bytes = body.get("bytes");
        if (bytes == null || bytes.isNull()) {
            throw missing("bytes");
        }
        if (!bytes.canConvertToLong() || bytes.asLong() < 0 || bytes.asLong() > 8L * 1024 * 1024 * 1024) {
            throw invalid("Invalid 'bytes': must be an integer between 0 and 8 GB.", "bytes", "invalid_value");
        }
        OpenAiApi.requiredText(body, "mime_type");
        api.checkUpload(purpose, filename, "filename");
        Upload u = new Upload(api.ids().alnum("upload_", 24), filename, purpose, bytes.asLong(), api.epochSecond());
        uploads.put(u.id, u);
        return Reply.ok(u.toJson(api));
    }

    private Upload pending(String id) {
        Upload u = uploads.get(id);
        if (u == null) {
            throw notFound("No such Upload object: " + id, "upload_id", null);
        }
        if (u.status.equals("pending") && api.epochSecond() > u.createdAt + 3600) {
            u.status = "expired";
        }
        if (!u.status.equals("pending")) {
            throw invalid("Upload " + id + " is " + u.status + "; only a pending upload accepts this operation.",
                    "upload_id", null);
        }
        return u;
    }

    private Reply addPart(HttpCall call) {
        Upload u = pending(call.param("id"));
        MultipartForm form = MultipartForm.parse(call.header("content-type").orElse(""), call.body())
                .orElseThrow(() -> invalid("The request must be multipart/form-data with the part 'data'.", null, null));
        MultipartForm.Part data = form.part("data").orElseThrow(() -> missing("data"));
        if (data.data().length > 64L * 1024 * 1024) {
            throw invalid("Each part must be at most 64 MB.", "data", null);
        }
        String partId = api.ids().alnum("part_", 24);
        u.parts.put(partId, data.data());
        ObjectNode n = Jsons.object();
        n.put("id", partId);
        n.put("object", "upload.part");
        n.put("created_at", api.epochSecond());
        n.put("upload_id", u.id);
        return Reply.ok(n);
    }

    private Reply complete(HttpCall call) {
        Upload u = pending(call.param("id"));
        ObjectNode body = OpenAiApi.jsonBody(call);
        OpenAiApi.rejectUnknown(body, Set.of("part_ids", "md5"));
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
        u.file = api.storeFile(u.filename, u.purpose, all.toByteArray());
        u.status = "completed";
        return Reply.ok(u.toJson(api));
    }
}
