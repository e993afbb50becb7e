package dev.finetune4j.together;

import java.time.Instant;
import java.util.Objects;

/**
 * One checkpoint a Together job saved ({@code GET /fine-tunes/{id}/checkpoints}).
 *
 * @param step the training step
 * @param createdAt when it was saved
 * @param type Together's {@code checkpoint_type}: {@code Intermediate}, {@code Final}, {@code Final Merged},
 *     {@code Final Adapter}, ...
 * @param name what {@link TogetherOptions#FROM_CHECKPOINT} and {@link TogetherProvider#downloadWeights} take
 *     for it: {@code JOB_ID:STEP} for an intermediate checkpoint, {@code JOB_ID} for the final one (the
 *     naming of Together's clients)
 */
public record TogetherCheckpoint(long step, Instant createdAt, String type, String name) {

    /** Checks the parts. */
    public TogetherCheckpoint {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }
}
