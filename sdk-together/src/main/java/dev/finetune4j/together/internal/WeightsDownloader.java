package dev.finetune4j.together.internal;

import dev.finetune4j.CorruptDataException;
import dev.finetune4j.FineTuneException;
import dev.finetune4j.Tenant;
import dev.finetune4j.TransportException;
import dev.finetune4j.spi.kit.ApiRequest;
import dev.finetune4j.spi.kit.ProviderHttp;
import dev.finetune4j.spi.kit.RawResponse;
import dev.finetune4j.store.BlobRef;
import dev.finetune4j.store.VersionStore;
import dev.finetune4j.together.DownloadedWeights;
import java.io.FilterInputStream;
import java.io.IOException;
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
 * to disk or into a version store, never holding them in memory, hashing (SHA-256) and counting every
 * byte: on disk into a temporary file beside the target, moved into place in one step when the count
 * matches the answer's {@code Content-Length}; into a store as a blob whose id must be that hash. A
 * download that ends early or fails leaves nothing behind. The kit follows
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
        try (RawResponse answer = http.send(request(jobId, step, checkpoint))) {
            String contentType = contentType(answer);
            Path file = intoDirectory ? target.resolve(fileName(modelName, step, contentType)) : target;
            if (intoDirectory && Files.exists(file)) {
                throw new IllegalArgumentException("together: " + file + " exists; weights are written to a new file "
                        + "only");
            }
            Path dir = file.toAbsolutePath().getParent();
            Path part = Files.createTempFile(dir, ".together-weights-", ".part");
            try {
                CheckedBody body = new CheckedBody(answer, jobId);
                try {
                    Files.copy(body, part, StandardCopyOption.REPLACE_EXISTING);
                } catch (BrokenOff e) {
                    throw e.failure;
                }
                move(part, file);
                LOG.info("together: downloaded the {} weights of {} ({} bytes, sha256 {}) to {}", checkpoint, jobId,
                        body.bytes, body.sha256(), file);
                return new DownloadedWeights(file, body.bytes, body.sha256(), jobId, checkpoint, step, contentType);
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new FineTuneException("together: cannot write the weights of " + jobId + " to " + target + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Downloads into {@code store} as a blob of {@code tenant}, streamed: the blob exists only when
     * every byte arrived, and its id (the store's SHA-256) must be the one computed while they came.
     *
     * @return the blob's id (its SHA-256) and size
     * @throws TransportException when the answer ends before its {@code Content-Length}; nothing is stored
     * @throws CorruptDataException when the store's id differs from the checksum of the bytes sent to it
     */
    public BlobRef download(String jobId, int step, String checkpoint, VersionStore store, Tenant tenant) {
        RawResponse answer = http.send(request(jobId, step, checkpoint));
        CheckedBody body = new CheckedBody(answer, jobId);
        BlobRef ref;
        try {
            ref = store.putBlob(tenant, body);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BrokenOff b) {
                    throw b.failure;
                }
            }
            throw e;
        } finally {
            close(answer, jobId);
        }
        if (!ref.id().equals(body.sha256()) || ref.size() != body.bytes) {
            throw new CorruptDataException("blob " + ref.id(), "together: the store kept the weights of " + jobId
                    + " as blob " + ref.id() + " (" + ref.size() + " bytes), but the bytes sent have SHA-256 "
                    + body.sha256() + " (" + body.bytes + " bytes)");
        }
        LOG.info("together: stored the {} weights of {} ({} bytes) as blob {}", checkpoint, jobId, ref.size(), ref.id());
        return ref;
    }

    /** Closes an answer read to its end; a failure then costs nothing but the connection. */
    private static void close(RawResponse answer, String jobId) {
        try {
            answer.close();
        } catch (IOException e) {
            LOG.debug("together: closing the weights answer of {} failed", jobId, e);
        }
    }

    private ApiRequest request(String jobId, int step, String checkpoint) {
        ApiRequest.Builder request = ApiRequest.get("/finetune/download").query("ft_id", jobId);
        if (step >= 0) {
            request.query("checkpoint_step", Integer.toString(step));
        }
        return request.query("checkpoint", checkpoint).accept("application/octet-stream").timeout(transferTimeout)
                .build();
    }

    private static String contentType(RawResponse answer) {
        return answer.headers().firstValue("Content-Type").orElse("application/octet-stream");
    }

    /** Why a body stopped; carried through the reader (a file copy, a store) to the caller. */
    private static final class BrokenOff extends IOException {
        private static final long serialVersionUID = 1L;
        final transient TransportException failure;

        BrokenOff(TransportException failure) {
            super(failure.getMessage(), failure);
            this.failure = failure;
        }
    }

    /**
     * The answer's body, hashed (SHA-256) and counted as it is read; it fails the read that would end
     * it before its {@code Content-Length}, or that breaks off, so whoever reads it keeps nothing.
     */
    private static final class CheckedBody extends FilterInputStream {
        private final MessageDigest digest;
        private final OptionalLong expected;
        private final String jobId;
        private String hex;
        long bytes;

        CheckedBody(RawResponse answer, String jobId) {
            super(answer.body());
            this.expected = answer.headers().firstValueAsLong("Content-Length");
            this.jobId = jobId;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no SHA-256", e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (IOException e) {
                throw new BrokenOff(new TransportException("together: the download of the weights of " + jobId
                        + " broke off after " + bytes + " bytes (" + e.getMessage() + "); nothing was kept", e, ID,
                        true));
            }
            if (n < 0) {
                if (expected.isPresent() && expected.getAsLong() != bytes) {
                    throw new BrokenOff(new TransportException("together: the weights of " + jobId + " ended after "
                            + bytes + " of " + expected.getAsLong() + " bytes; nothing was kept", null, ID, true));
                }
                return n;
            }
            digest.update(b, off, n);
            bytes += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("the weights are read whole, not skipped");
        }

        /** The hex SHA-256 of every byte read; read no more after asking. */
        String sha256() {
            if (hex == null) {
                hex = HexFormat.of().formatHex(digest.digest());
            }
            return hex;
        }
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
