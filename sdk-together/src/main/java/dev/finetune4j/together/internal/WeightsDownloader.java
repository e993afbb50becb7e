package dev.finetune4j.together.internal;

import dev.finetune4j.FineTuneException;
import dev.finetune4j.TransportException;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.RawResponse;
import dev.finetune4j.together.DownloadedWeights;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a job's weights from {@code GET /finetune/download?ft_id=...[&checkpoint_step=N]&checkpoint=...}
 * to disk, never holding them in memory: into a temporary file beside the target, hashing (SHA-256)
 * and counting every byte, then, when the count matches the answer's {@code Content-Length}, moved
 * into place in one step. A download that ends early or fails leaves nothing behind. The kit follows
 * a redirect to object storage without the API key. Thread-safe.
 */
public final class WeightsDownloader {

    private static final Logger LOG = LoggerFactory.getLogger(WeightsDownloader.class);
    private static final String ID = "together";

    private final ProviderHttp http;
    private final Duration transferTimeout;

    /** @param transferTimeout the per-attempt timeout of the download */
    public WeightsDownloader(ProviderHttp http, Duration transferTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.transferTimeout = Objects.requireNonNull(transferTimeout, "transferTimeout");
    }

    /**
     * Downloads.
     *
     * @param jobId the job ({@code ft-...})
     * @param step an intermediate checkpoint's step, or -1 for the final weights
     * @param checkpoint {@code merged}, {@code adapter} or {@code model_output_path}
     * @param target the file to write, which must not exist; or an existing directory, in which the
     *     file is named as Together's clients name it ({@code <model>[-checkpoint-<step>].tar.zst}, or
     *     {@code .tar.gz} when the answer is {@code application/x-tar})
     * @param modelName the job's output model name, for that file name
     * @throws IllegalArgumentException when the target file exists (before anything is sent, or, in
     *     a directory, before any byte is written)
     * @throws TransportException when the answer ends before its {@code Content-Length}; nothing is kept
     */
    public DownloadedWeights download(String jobId, int step, String checkpoint, Path target, String modelName) {
        boolean intoDirectory = Files.isDirectory(target);
        if (!intoDirectory && Files.exists(target)) {
            throw new IllegalArgumentException("together: " + target + " exists; weights are written to a new file only");
        }
        ApiRequest.Builder request = ApiRequest.get("/finetune/download").query("ft_id", jobId);
        if (step >= 0) {
            request.query("checkpoint_step", Integer.toString(step));
        }
        request.query("checkpoint", checkpoint).accept("application/octet-stream").timeout(transferTimeout);
        try (RawResponse answer = http.send(request.build())) {
            String contentType = answer.headers().firstValue("Content-Type").orElse("application/octet-stream");
            Path file = intoDirectory ? target.resolve(fileName(modelName, step, contentType)) : target;
            if (intoDirectory && Files.exists(file)) {
                throw new IllegalArgumentException("together: " + file + " exists; weights are written to a new file "
                        + "only");
            }
            OptionalLong expected = answer.headers().firstValueAsLong("Content-Length");
            Path dir = file.toAbsolutePath().getParent();
            Path part = Files.createTempFile(dir, ".together-weights-", ".part");
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                long bytes = copy(answer.body(), part, sha256, jobId);
                if (expected.isPresent() && expected.getAsLong() != bytes) {
                    throw new TransportException("together: the weights of " + jobId + " ended after " + bytes
                            + " of " + expected.getAsLong() + " bytes; nothing was kept", null, ID, true);
                }
                move(part, file);
                String hex = HexFormat.of().formatHex(sha256.digest());
                LOG.info("together: downloaded the {} weights of {} ({} bytes, sha256 {}) to {}", checkpoint, jobId,
                        bytes, hex, file);
                return new DownloadedWeights(file, bytes, hex, jobId, checkpoint, step, contentType);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no SHA-256", e);
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new FineTuneException("together: cannot write the weights of " + jobId + " to " + target + ": "
                    + e.getMessage(), e);
        }
    }

    private static long copy(InputStream in, Path part, MessageDigest digest, String jobId) throws IOException {
        long bytes = 0;
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(part)) {
            int n;
            while (true) {
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    throw new TransportException("together: the download of the weights of " + jobId + " broke off "
                            + "after " + bytes + " bytes (" + e.getMessage() + "); nothing was kept", e, ID, true);
                }
                if (n < 0) {
                    break;
                }
                digest.update(buf, 0, n);
                out.write(buf, 0, n);
                bytes += n;
            }
        }
        return bytes;
    }

    private static void move(Path part, Path file) throws IOException {
        try {
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, file);
        }
    }

    /** Together's clients' name: the model name, the step, the archive's extension. */
    static String fileName(String modelName, int step, String contentType) {
        String stem = modelName.replaceAll("[^A-Za-z0-9._-]", "--");
        return stem + (step > 0 ? "-checkpoint-" + step : "")
                + (contentType.toLowerCase(Locale.ROOT).contains("x-tar") ? ".tar.gz" : ".tar.zst");
    }
}
