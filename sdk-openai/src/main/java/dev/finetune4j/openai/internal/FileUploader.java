package dev.finetune4j.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.Multipart;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.ProviderJson;
import dev.finetune4j.spi.kit.RetrySafety;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Sends a large training file through OpenAI's Uploads API: {@code POST /uploads}, one {@code POST
 * /uploads/{id}/parts} per part in order, {@code POST /uploads/{id}/complete} with the ordered part
 * ids and the file's MD5; {@code POST /uploads/{id}/cancel} when anything fails. Smaller files go
 * to {@code POST /files} through the kit's {@link dev.finetune4j.spi.kit.OpenAiCompatibleTraining},
 * which hands the large ones here.
 *
 * <p>Memory stays flat: each part is copied to a temporary file of at most the part size before it
 * is streamed. Uploads are marked safe to repeat: a duplicate is an unused part, never a duplicate
 * job. Thread-safe.
 */
public final class FileUploader {

    /** OpenAI's largest part. */
    public static final long MAX_PART_BYTES = 64L * 1024 * 1024;

    /** The default size above which the Uploads API is used. */
    public static final long DEFAULT_THRESHOLD_BYTES = 256L * 1024 * 1024;

    /** OpenAI's largest Upload. */
    public static final long MAX_UPLOAD_BYTES = 8L * 1024 * 1024 * 1024;

    private static final long ASSUMED_BYTES_PER_SECOND = 1024 * 1024;

    private final ProviderHttp http;
    private final long partBytes;
    private final Duration baseTimeout;

    /**
     * An uploader.
     *
     * @param partBytes the size of each part (at most {@link #MAX_PART_BYTES})
     * @param baseTimeout the per-attempt timeout of a small call; parts get one more second per MiB
     */
    public FileUploader(ProviderHttp http, long partBytes, Duration baseTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        if (partBytes < 1 || partBytes > MAX_PART_BYTES) {
            throw new IllegalArgumentException("partBytes must be 1 to " + MAX_PART_BYTES + ", was " + partBytes);
        }
        this.partBytes = partBytes;
        this.baseTimeout = Objects.requireNonNull(baseTimeout, "baseTimeout");
    }

    /**
     * Sends {@code file} in parts and returns the id of the file the completed Upload became.
     *
     * @throws IllegalArgumentException when the file is larger than an Upload may be
     */
    public String uploadInParts(Path file, String filename, long size) {
        if (size > MAX_UPLOAD_BYTES) {
            throw new IllegalArgumentException(file + " has " + size + " bytes; an OpenAI upload takes at most "
                    + MAX_UPLOAD_BYTES);
        }
        ObjectNode create = ProviderJson.mapper().createObjectNode();
        create.put("filename", filename);
        create.put("purpose", "fine-tune");
        create.put("bytes", size);
        create.put("mime_type", "text/jsonl");
        String uploadId = id(http.postJson("/uploads", create, RetrySafety.SAFE), "an upload");
        String path = "/uploads/" + ApiRequest.segment(uploadId);
        try {
            MessageDigest md5 = md5();
            List<String> partIds = new ArrayList<>();
            // beside the training file (a job's is in the store's staging directory), so a killed
            // upload leaves no user data in the system temp directory
            Path dir = file.toAbsolutePath().getParent();
            Path part = dir != null && Files.isWritable(dir) ? Files.createTempFile(dir, "part-", ".jsonl")
                    : Files.createTempFile("finetune4j-part-", ".jsonl");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (long done = 0; done < size; ) {
                    long want = Math.min(partBytes, size - done);
                    long copied = 0;
                    try (OutputStream out = Files.newOutputStream(part)) {
                        while (copied < want) {
                            int n = in.read(buffer, 0, (int) Math.min(buffer.length, want - copied));
                            if (n < 0) {
                                throw new IOException(file + " shrank while it was being uploaded");
                            }
                            out.write(buffer, 0, n);
                            md5.update(buffer, 0, n);
                            copied += n;
                        }
                    }
                    Multipart body = Multipart.builder()
                            .file("data", part, filename + ".part" + (partIds.size() + 1), "application/octet-stream")
                            .build();
                    JsonNode answer = http.sendJson(ApiRequest.post(path + "/parts").multipart(body)
                            .retrySafety(RetrySafety.SAFE).timeout(timeoutFor(want)).build()).body();
                    partIds.add(id(answer, "an upload part"));
                    done += want;
                }
            } finally {
                Files.deleteIfExists(part);
            }
            ObjectNode complete = ProviderJson.mapper().createObjectNode();
            partIds.forEach(complete.putArray("part_ids")::add);
            complete.put("md5", HexFormat.of().formatHex(md5.digest()));
            JsonNode done = http.postJson(path + "/complete", complete, RetrySafety.SAFE);
            String status = text(done, "status");
            if (status != null && !"completed".equals(status)) {
                throw unexpected("upload " + uploadId + " in status '" + status + "' after completing it", done);
            }
            return id(done.path("file"), "a completed upload without its file");
        } catch (IOException e) {
            cancel(path, e);
            throw new FineTuneException("cannot read " + file + " to upload it: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cancel(path, e);
            throw e;
        }
    }

    /** Cancels an Upload after a failure; a failed cancel is attached to the failure, not thrown. */
    private void cancel(String path, Exception failure) {
        try {
            http.sendJson(ApiRequest.post(path + "/cancel").retrySafety(RetrySafety.SAFE).build());
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private Duration timeoutFor(long bytes) {
        return baseTimeout.plusSeconds(bytes / ASSUMED_BYTES_PER_SECOND);
    }

    private static String id(JsonNode answer, String what) {
        String id = text(answer, "id");
        if (id == null) {
            throw unexpected(what + " without an id", answer);
        }
        return id;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** An answer that parsed as JSON but lacks what it must have. */
    private static ProviderException unexpected(String what, JsonNode body) {
        String raw = body == null ? "" : body.toString();
        String shown = raw.length() > 300 ? raw.substring(0, 300) + "…" : raw;
        return new ProviderException("openai returned " + what + ": " + shown, "openai", 200, null, null, raw, false);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
