package dev.finetune4j.testkit.internal;

import dev.finetune4j.testkit.EmulatedFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A file an emulator holds.
 *
 * @param id the provider's file id
 * @param filename the name sent with the upload
 * @param purpose the purpose sent with the upload, or the one the emulator gave a file it wrote
 * @param content the bytes (not copied; never modified)
 * @param createdAt Unix seconds
 * @param expiresAt Unix seconds, or null when it does not expire
 */
public record StoredFile(String id, String filename, String purpose, byte[] content, long createdAt, Long expiresAt) {

    public StoredFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(content, "content");
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** The non-blank lines, as a JSONL file counts its records. */
    public int lines() {
        return (int) text().lines().filter(l -> !l.isBlank()).count();
    }

    public EmulatedFile snapshot() {
        return new EmulatedFile(id, filename, purpose, content.length, Instant.ofEpochSecond(createdAt), text());
    }
}
