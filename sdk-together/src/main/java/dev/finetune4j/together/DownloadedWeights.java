package dev.finetune4j.together;

import dev.finetune4j.assistant.WeightsCopy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Weights downloaded from Together and kept on disk, with the SHA-256 of every byte written.
 *
 * @param path the file written (complete: it is moved into place only after the last byte)
 * @param bytes its size
 * @param sha256 the SHA-256 of its bytes, 64 lower-case hex digits, computed while they streamed in
 *     (Together publishes no checksum to compare it with; keep it to verify the copy later)
 * @param jobId the job whose weights these are ({@code ft-...})
 * @param checkpoint what was asked for: {@code merged}, {@code adapter} or {@code model_output_path}
 * @param step the checkpoint step, when an intermediate checkpoint was downloaded ({@code -1} for the final weights)
 * @param contentType the answer's {@code Content-Type} ({@code application/x-tar} means a {@code .tar.gz}
 *     archive, anything else a {@code .tar.zst}, as Together's clients read it)
 */
public record DownloadedWeights(Path path, long bytes, String sha256, String jobId, String checkpoint, int step,
        String contentType) {

    /** Checks the parts. */
    public DownloadedWeights {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(contentType, "contentType");
    }

    /** The copy to record on a model version ({@link dev.finetune4j.assistant.Assistant#recordWeights}), made {@code at}. */
    public WeightsCopy copy(Instant at) {
        return new WeightsCopy(checkpoint, sha256, bytes, path.toAbsolutePath().toUri(), at);
    }

    /** The checkpoint step, when one was asked for. */
    public OptionalInt checkpointStep() {
        return step < 0 ? OptionalInt.empty() : OptionalInt.of(step);
    }
}
