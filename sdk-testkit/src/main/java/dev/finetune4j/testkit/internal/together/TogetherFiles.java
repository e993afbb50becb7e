package dev.finetune4j.testkit.internal.together;

import static dev.finetune4j.testkit.internal.together.TogetherErrors.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.testkit.internal.HttpCall;
import dev.finetune4j.testkit.internal.Jsons;
import dev.finetune4j.testkit.internal.MultipartForm;
import dev.finetune4j.testkit.internal.Reply;
import dev.finetune4j.testkit.internal.Routes;
import dev.finetune4j.testkit.internal.StoredFile;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Together's files: the upload flow its clients use ({@code POST /v1/files} answered with a 302 to
 * a pre-signed URL and {@code X-Together-File-Id}, a {@code PUT} of the bytes there without the API
 * key, {@code POST /v1/files/{id}/preprocess}), the documented one-step {@code POST
 * /v1/files/upload} (multipart), and listing, reading, deleting. A fine-tune file is checked when it
 * is processed, as Together's file check reads it. Called under {@link TogetherApi}'s lock.
 */
final class TogetherFiles {

    static final Set<String> PURPOSES = Set.of("fine-tune", "eval", "eval-sample", "eval-output", "eval-summary",
            "batch-generated", "batch-api");
    static final Set<String> FILE_TYPES = Set.of("jsonl", "parquet", "csv");
    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    /** An upload announced by {@code POST /files}, waiting for its bytes and its processing. */
    private static final class Pending {
        final String name;
        final String purpose;
        final String signature;
        byte[] bytes;

        Pending(String name, String purpose, String signature) {
            this.name = name;
            this.purpose = purpose;
            this.signature = signature;
        }
    }

    private final TogetherApi api;
    private final Map<String, Pending> pending = new HashMap<>();

    TogetherFiles(TogetherApi api) {
        this.api = api;
    }

    void routes(Routes r) {
        r.post("/v1/files/upload", this::uploadInOneStep)
                .post("/v1/files/{id}/preprocess", this::preprocess)
                .post("/v1/files", this::announce)
                .get("/v1/files", call -> {
                    ArrayNode data = Jsons.array();
                    api.files().all().forEach(f -> data.add(json(f)));
                    return Reply.ok(Jsons.object().put("object", "list").set("data", data));
                })
                .add("PUT", "/upload/{id}", this::receive);
        api.files().routes(r, "/v1/files", TogetherFiles::json);
    }

    void clear() {
        pending.clear();
    }

    /** {@code FileResponse}, with its PascalCase {@code FileType}, {@code Processed} and {@code LineCount}. */
    static ObjectNode json(StoredFile f) {
        ObjectNode n = Jsons.object();
        n.put("id", f.id());
        n.put("object", "file");
        n.put("created_at", f.createdAt());
        n.put("filename", f.filename());
        n.put("bytes", f.content().length);
        n.put("purpose", f.purpose());
        n.put("FileType", f.filename().endsWith(".parquet") ? "parquet" : f.filename().endsWith(".csv") ? "csv" : "jsonl");
        n.put("Processed", true);
        n.put("LineCount", f.lines());
        return n;
    }

    /** Step 1: the metadata (form body, multipart fields or query), answered with the upload URL. */
    private Reply announce(HttpCall call) {
        Map<String, String> fields = fields(call);
        String purpose = fields.get("purpose");
        String name = fields.get("file_name");
        String type = fields.getOrDefault("file_type", "jsonl");
        if (purpose == null || !PURPOSES.contains(purpose)) {
            throw invalid("purpose must be one of " + PURPOSES + ", was " + purpose, "purpose");
        }
        if (name == null || name.isBlank()) {
            throw invalid("file_name is required", "file_name");
        }
        if (!FILE_TYPES.contains(type)) {
            throw invalid("file_type must be one of " + FILE_TYPES + ", was " + type, "file_type");
        }
        String id = "file-" + api.ids().uuid();
        String signature = api.ids().hex(32);
        pending.put(id, new Pending(name, purpose, signature));
        return Reply.status(302).header("Location", api.root() + "/upload/" + id + "?X-Amz-Signature=" + signature)
                .header("X-Together-File-Id", id);
    }

    /** Step 2: the bytes, at the pre-signed URL, which refuses a second way of authenticating. */
    private Reply receive(HttpCall call) {
        Pending p = pending.get(call.param("id"));
        if (p == null || !call.queryParam("X-Amz-Signature").map(p.signature::equals).orElse(false)) {
            return s3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                    + "signature you provided.");
        }
        if (call.header("authorization").isPresent()) {
            return s3Error(400, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query "
                    + "parameter, Signature query string parameter or the Authorization header should be specified");
        }
        p.bytes = call.body().clone();
        return Reply.status(200).header("ETag", "\"" + api.ids().hex(32) + "\"");
    }

    /** Step 3: the file is checked and becomes a file of the account. */
    private Reply preprocess(HttpCall call) {
        String id = call.param("id");
        Pending p = pending.get(id);
        if (p == null) {
            return Reply.ok(json(api.files().get(id)));
        }
        if (p.bytes == null) {
            throw invalid("File " + id + " has not been uploaded yet", "id");
        }
        StoredFile f = store(id, p.name, p.purpose, p.bytes);
        pending.remove(id);
        return Reply.ok(json(f));
    }

    /** The documented one-step upload: multipart {@code purpose}, {@code file_name}, {@code file}. */
    private Reply uploadInOneStep(HttpCall call) {
        MultipartForm form = MultipartForm.parse(call.header("content-type").orElse(""), call.body())
                .orElseThrow(() -> invalid("a multipart/form-data body is required", "file"));
        String purpose = form.field("purpose").orElse(null);
        if (purpose == null || !PURPOSES.contains(purpose)) {
            throw invalid("purpose must be one of " + PURPOSES + ", was " + purpose, "purpose");
        }
        MultipartForm.Part part = form.part("file").orElseThrow(() -> invalid("file is required", "file"));
        String name = form.field("file_name").orElse(part.filename());
        if (name == null || name.isBlank()) {
            throw invalid("file_name is required", "file_name");
        }
        return Reply.ok(json(store("file-" + api.ids().uuid(), name, purpose, part.data())));
    }

    private StoredFile store(String id, String name, String purpose, byte[] bytes) {
        String rejection = api.nextUploadRejection();
        if (rejection != null) {
            throw invalid(rejection, "file");
        }
        if (purpose.equals("fine-tune")) {
            String problem = check(bytes);
            if (problem != null) {
                throw invalid("Invalid file " + name + ": " + problem, "file");
            }
        }
        return api.files().put(new StoredFile(id, name, purpose, bytes, api.epochSecond(), null));
    }

    /** What Together's file check finds wrong with a conversation file, or null. */
    static String check(byte[] bytes) {
        if (bytes.length == 0) {
            return "File is empty";
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return "File is not UTF-8 encoded";
        }
        if (text.startsWith("\uFEFF")) {
            return "Error parsing json payload. Unexpected UTF-8 BOM on line 1";
        }
        String[] lines = text.split("\n", -1);
        int n = text.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < n; i++) {
            String where = " on line " + (i + 1);
            JsonNode line = Jsons.parse(lines[i]).orElse(null);
            if (line == null || !line.isObject()) {
                return "Error parsing json payload. Unexpected format" + where;
            }
            for (var it = line.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("messages") && !key.equals("tools")) {
                    return "Found extra column \"" + key + "\"" + where;
                }
            }
            JsonNode messages = line.path("messages");
            if (!messages.isArray() || messages.isEmpty()) {
                return "The `messages` column must be a non-empty list" + where;
            }
            String previous = null;
            boolean assistant = false;
            for (JsonNode m : messages) {
                String role = m.path("role").asText("");
                if (!ROLES.contains(role)) {
                    return "Invalid role `" + role + "` in conversation" + where;
                }
                if (role.equals(previous)) {
                    return "Invalid role turns" + where + ". After the optional system message, conversation roles must "
                            + "alternate between user/assistant/user/assistant.";
                }
                if (m.has("weight") && !(m.get("weight").isInt() && (m.get("weight").asInt() & ~1) == 0)) {
                    return "Weight must be either 0 or 1" + where;
                }
                previous = role;
                assistant |= role.equals("assistant");
            }
            if (!assistant) {
                return "At least one message with the assistant role must be present in the example" + where;
            }
        }
        return n == 0 ? "File is empty" : null;
    }

    private static Map<String, String> fields(HttpCall call) {
        Map<String, String> out = new LinkedHashMap<>();
        call.query().forEach((k, v) -> out.put(k, v.get(0)));
        String type = call.header("content-type").orElse("");
        if (type.startsWith("multipart/")) {
            MultipartForm.parse(type, call.body()).ifPresent(f -> f.parts().forEach(p -> out.put(p.name(), p.text())));
        } else if (call.body().length > 0) {
            for (String pair : call.bodyText().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static Reply s3Error(int status, String code, String message) {
        return Reply.status(status).header("Content-Type", "application/xml")
                .body("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                        + "</Message></Error>");
    }
}
