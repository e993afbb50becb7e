package dev.finetune4j.huggingface.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What the Hub needs to know about a file before a commit, read in one streamed pass: its size,
 * its first {@value #SAMPLE_BYTES} bytes (the preupload sample), its git blob id (SHA-1 of {@code
 * "blob <size>\0"} and the content, which the Hub returns as {@code oid} for regular files) and its
 * SHA-256 (the LFS object id).
 *
 * @param size the size in bytes
 * @param sample the first bytes, at most {@value #SAMPLE_BYTES}
 * @param gitOid the git blob id, 40 hex digits
 * @param sha256 the SHA-256, 64 hex digits
 */
public record FileDigest(long size, byte[] sample, String gitOid, String sha256) {

    /** How many leading bytes the preupload call is shown. */
    public static final int SAMPLE_BYTES = 512;

    /** Checks the parts and copies the sample. */
    public FileDigest {
        Objects.requireNonNull(gitOid, "gitOid");
        Objects.requireNonNull(sha256, "sha256");
        sample = sample.clone();
    }

    /** The sample (a copy). */
    @Override
    public byte[] sample() {
        return sample.clone();
    }

    /** Reads a file once. */
    public static FileDigest of(Path file) throws IOException {
        long size = Files.size(file);
        MessageDigest sha1 = digest("SHA-1");
        MessageDigest sha256 = digest("SHA-256");
        sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        byte[] sample = new byte[(int) Math.min(SAMPLE_BYTES, size)];
        int sampled = 0;
        long read = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (sampled < sample.length) {
                    int take = Math.min(n, sample.length - sampled);
                    System.arraycopy(buf, 0, sample, sampled, take);
                    sampled += take;
                }
                sha1.update(buf, 0, n);
                sha256.update(buf, 0, n);
                read += n;
            }
        }
        if (read != size) {
            throw new IOException(file + " changed while it was read (" + size + " bytes expected, " + read + " read)");
        }
        HexFormat hex = HexFormat.of();
        return new FileDigest(size, sample, hex.formatHex(sha1.digest()), hex.formatHex(sha256.digest()));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileDigest d && size == d.size && Arrays.equals(sample, d.sample)
                && gitOid.equals(d.gitOid) && sha256.equals(d.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, gitOid, sha256);
    }

    @Override
    public String toString() {
        return "FileDigest[" + size + " bytes, git " + gitOid + ", sha256 " + sha256 + "]";
    }
}
