package dev.finetune4j.testkit;

import java.time.Instant;
import java.util.Objects;

/**
 * A file an emulator holds, as seen by a test: what was uploaded and under which id.
 *
 * @param id the provider's file id, e.g. {@code file-abc123}
 * @param filename the name sent with the upload
 * @param purpose the purpose sent with the upload (e.g. {@code fine-tune}), or the one the
 *     emulator gave a file it made ({@code fine-tune-results})
 * @param bytes the size
 * @param createdAt when it was stored, on the emulator's clock
 * @param content the content decoded as UTF-8
 */
public record EmulatedFile(String id, String filename, String purpose, long bytes, Instant createdAt, String content) {

    public EmulatedFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(content, "content");
    }
}
