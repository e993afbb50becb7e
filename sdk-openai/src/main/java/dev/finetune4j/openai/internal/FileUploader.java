package dev.finetune4j.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.LoggerNames;
import dev.finetune4j.openai.OpenAiProviderFactory;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends training and validation files to OpenAI with {@code purpose=fine-tune}: one streamed
 * {@code POST /files} up to a size threshold, the Uploads API above it ({@code POST /uploads}, one
 * {@code POST /uploads/{id}/parts} per part in order, {@code POST /uploads/{id}/complete} with the
 * ordered part ids and the file's MD5; {@code POST /uploads/{id}/cancel} when anything fails).
 *
 * <p>Memory stays flat: {@code /files} streams the file from disk, and each part is copied to a
 * temporary file of at most the part size before it is streamed. Uploads are marked safe to
 * repeat: a duplicate is an unused file (or part), never a duplicate job. Thread-safe.
 */
public final class FileUploader {

    /** OpenAI's largest part. */
    public static final long MAX_PART_BYTES = 64L * 1024 * 1024;

    /** The default size above which the Uploads API is used. */
    public static final long DEFAULT_THRESHOLD_BYTES = 256L * 1024 * 1024;

    /** OpenAI's largest Upload. */
    public static final long MAX_UPLOAD_BYTES = 8L * 1024 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LoggerNames.provider(OpenAiProviderFactory.ID));
    private static final long ASSUMED_BYTES_PER_SECOND = 1024 * 1024;

    private final ProviderHttp http;
    private final long thresholdBytes;
    private final long partBytes;
    private final Duration baseTimeout;

    /**
     * An uploader.
     *
     * @param thresholdBytes files larger than this go through the Uploads API
     * @param partBytes the size of each part (at most {@link #MAX_PART_BYTES})
     * @param baseTimeout the per-attempt timeout of a small call; uploads get one more second per MiB
     */
    public FileUploader(ProviderHttp http, long thresholdBytes, long partBytes, Duration baseTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        if (thresholdBytes < 0) {
            throw new IllegalArgumentException("thresholdBytes must be >= 0, was " + thresholdBytes);
        }
        if (partBytes < 1 || partBytes > MAX_PART_BYTES) {
            throw new IllegalArgumentException("partBytes must be 1 to " + MAX_PART_BYTES + ", was " + partBytes);
        }
        this.thresholdBytes = thresholdBytes;
        this.partBytes = partBytes;
        this.baseTimeout = Objects.requireNonNull(baseTimeout, "baseTimeout");
    }

    /**
     * Uploads the training file and, when present, the validation file.
     *
     * @return the file ids, with details {@code training_file}, {@code training_bytes}, {@code
     *     training_filename}, {@code training_upload} ({@code files} or {@code uploads}), the same
     *     for {@code validation_}, and {@code training_examples}
     */
    public UploadedData upload(TrainingData data) {
        String base = fileBase(data.label());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("training_examples", Long.toString(data.trainingExamples()));
        String training = uploadOne(data.trainingFile(), base + ".jsonl", "training", details);
        String validation = data.validation().isPresent()
                ? uploadOne(data.validation().get(), base + "-validation.jsonl", "validation", details)
                : null;
        return new UploadedData(training, validation, details);
    }

    /** The label as a file name: letters, digits, {@code . _ -}; at most 100 characters. */
    static String fileBase(String label) {
        String s = label.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (s.length() > 100) {
            s = s.substring(0, 100);
        }
        return s.isEmpty() ? "training" : s;
    }

    private String uploadOne(Path file, String filename, String role, Map<String, String> details) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new FineTuneException("cannot read the " + role + " file " + file + ": " + e.getMessage(), e);
        }
        boolean parts = size > thresholdBytes;
        String id = parts ? uploadInParts(file, filename, size) : uploadWhole(file, filename, size);
        details.put(role + "_file", id);
        details.put(role + "_bytes", Long.toString(size));
        details.put(role + "_filename", filename);
        details.put(role + "_upload", parts ? "uploads" : "files");
        LOG.debug("openai: uploaded {} ({} bytes) as {}", filename, size, id);
        return id;
    }

    private String uploadWhole(Path file, String filename, long size) {
        Multipart body = Multipart.builder()
                .field("purpose", "fine-tune")
                .file("file", file, filename, "application/jsonl")
                .build();
        JsonNode answer = http.sendJson(ApiRequest.post("/files").multipart(body).retrySafety(RetrySafety.SAFE)
                .timeout(timeoutFor(size)).build()).body();
        return id(answer, "a file");
    }

    private String uploadInParts(Path file, String filename, long size) {
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
            String status = JobJson.text(done, "status");
            if (status != null && !"completed".equals(status)) {
                throw JobJson.unexpected("upload " + uploadId + " in status '" + status + "' after completing it",
                        done);
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
        String id = JobJson.text(answer, "id");
        if (id == null) {
            throw JobJson.unexpected(what + " without an id", answer);
        }
        return id;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
