package dev.finetune4j.together.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune4j.ProviderException;
import dev.finetune4j.spi.TrainingData;
import dev.finetune4j.spi.UploadedData;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.JsonResponse;
import dev.finetune4j.spi.kit.ProviderErrors;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.RawResponse;
import dev.finetune4j.spi.kit.RetrySafety;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads training files the way Together's Python clients do (together-python {@code
 * filemanager.py UploadManager}), each after {@link FileCheck}:
 *
 * <ol>
 *   <li>{@code POST /files} with the form fields {@code purpose=fine-tune}, {@code file_name} and
 *       {@code file_type=jsonl} and no bytes; Together answers {@code 302} with the upload URL in
 *       {@code Location} and the file id in {@code X-Together-File-Id} (the redirect is the answer,
 *       not followed);
 *   <li>{@code PUT} of the file's bytes to that URL, <em>without</em> the API key (a pre-signed
 *       object-store URL; only {@code 200} is success);
 *   <li>{@code POST /files/{id}/preprocess}, whose answer is the file object.
 * </ol>
 *
 * Every step may be repeated: a repeated first step only leaves an unused file id. Together's
 * clients switch to a multipart upload above {@link #MAX_SINGLE_UPLOAD_BYTES} (5 GiB, the most one
 * pre-signed PUT takes); finetune4j uploads with one PUT only, so a larger file is refused before
 * anything is sent, naming its size. Fine-tuning datasets are far below that. Thread-safe.
 */
public final class FileUploader {

    private static final Logger LOG = LoggerFactory.getLogger(FileUploader.class);
    private static final String ID = "together";

    private final ProviderHttp http;
    private final Duration transferTimeout;

    /** @param transferTimeout the per-attempt timeout of each {@code PUT} */
    public FileUploader(ProviderHttp http, Duration transferTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.transferTimeout = Objects.requireNonNull(transferTimeout, "transferTimeout");
    }

    /**
     * Checks both files, then uploads them; nothing is sent when either breaks Together's file check.
     *
     * @throws IllegalArgumentException when a file breaks Together's file check (see {@link FileCheck})
     */
    public UploadedData upload(TrainingData data) {
        requireSinglePut(data.trainingFile(), "the training file");
        data.validation().ifPresent(v -> requireSinglePut(v, "the validation file"));
        FileCheck.Result train = FileCheck.check(data.trainingFile(), "the training file");
        FileCheck.Result validation = data.validation().map(v -> FileCheck.check(v, "the validation file"))
                .orElse(null);
        String stem = stem(data.label());
        Map<String, String> details = new LinkedHashMap<>();
        String trainId = send(train, stem + "-train.jsonl");
        details.put("training_file_bytes", Long.toString(train.bytes()));
        details.put("training_examples", Long.toString(train.examples()));
        String validationId = null;
        if (validation != null) {
            validationId = send(validation, stem + "-validation.jsonl");
            details.put("validation_file_bytes", Long.toString(validation.bytes()));
            details.put("validation_examples", Long.toString(validation.examples()));
        }
        return new UploadedData(trainId, validationId, details);
    }

    /** The largest file one upload sends: 5 GiB (Together's clients go multipart above it). */
    public static final long MAX_SINGLE_UPLOAD_BYTES = 5L << 30;

    private static void requireSinglePut(Path file, String what) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the size of " + what + " " + file, e);
        }
        if (size > MAX_SINGLE_UPLOAD_BYTES) {
            throw new IllegalArgumentException(what + " has " + size + " bytes; finetune4j uploads to Together in "
                    + "one PUT of at most " + MAX_SINGLE_UPLOAD_BYTES + " bytes (5 GiB) and does not do Together's "
                    + "multipart upload; train on a smaller dataset version; nothing was uploaded");
        }
    }

    /** The three steps for one file; returns its id. */
    private String send(FileCheck.Result checked, String name) {
        Path file = checked.file();
        String form = "purpose=fine-tune&file_name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "&file_type=jsonl";
        RawResponse answer = http.send(ApiRequest.post("/files")
                .body(form.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded")
                .retrySafety(RetrySafety.SAFE)
                .redirectIsAnswer()
                .build());
        String where = answer.headers().firstValue("Location").orElse("");
        String fileId = answer.headers().firstValue("X-Together-File-Id").orElse("");
        if (answer.status() / 100 != 3 || where.isBlank() || fileId.isBlank()) {
            throw unexpected("POST", "/files", answer, "expected a redirect with Location and X-Together-File-Id, "
                    + "got status " + answer.status());
        }
        release(answer);
        URI location = http.baseUrl().resolve(where.strip());
        long size = checked.bytes();
        RawResponse put = http.send(ApiRequest.absolute("PUT", location)
                .withoutAuth()
                .file(file, 0, size, "application/octet-stream")
                .accept("*/*")
                .timeout(transferTimeout)
                .build());
        if (put.status() != 200) {
            throw unexpected("PUT", location.getRawPath(), put, "the upload URL answered " + put.status()
                    + " instead of 200");
        }
        release(put);
        String path = "/files/" + ApiRequest.segment(fileId) + "/preprocess";
        JsonResponse processed = http.sendJson(ApiRequest.post(path).retrySafety(RetrySafety.SAFE).build());
        JsonNode body = processed.body();
        if (!fileId.equals(body.path("id").asText())) {
            throw ProviderErrors.unexpectedBody(new ProviderErrors.CallInfo(ID, "POST", path, null),
                    processed.status(), processed.headers(), body.toString(), "the processed file is not " + fileId);
        }
        LOG.info("together: uploaded {} ({} bytes) as {}", name, size, fileId);
        return fileId;
    }

    /** The exception for an answer that is not what the step expects, quoting (and releasing) its body. */
    private static ProviderException unexpected(String method, String path, RawResponse answer, String what) {
        String body;
        try (InputStream in = answer.body()) {
            body = new String(in.readNBytes(ProviderException.MAX_RAW_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        return ProviderErrors.unexpectedBody(new ProviderErrors.CallInfo(ID, method, path, null), answer.status(),
                answer.headers(), body, what);
    }

    private static void release(RawResponse answer) {
        try {
            answer.close();
        } catch (IOException e) {
            // What the answer said was read; a connection that does not close cleanly changes nothing.
            LOG.debug("together: could not release an upload answer", e);
        }
    }

    /** The label as a file-name stem: letters, digits, {@code .}, {@code _} and {@code -}. */
    static String stem(String label) {
        String s = label.replaceAll("[^A-Za-z0-9._-]", "-");
        return s.isEmpty() ? "data" : s;
    }
}
