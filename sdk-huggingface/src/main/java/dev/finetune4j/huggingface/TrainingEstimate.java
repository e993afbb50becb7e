package dev.finetune4j.huggingface;

import dev.finetune4j.cost.Money;
import java.time.Duration;
import java.util.Objects;

/**
 * A local estimate of a training run on Hugging Face Jobs (the service gives none before a run):
 * {@code duration = 10 min + tokens × epochs / tokensPerSecond}, {@code cost = duration in hours ×
 * hourlyPrice}. See {@link HuggingFaceProvider#estimateHours(long, int, String)} for where the
 * numbers come from.
 *
 * @param flavor the hardware flavor
 * @param tokens training tokens per epoch
 * @param epochs epochs
 * @param tokensPerSecond the throughput assumed
 * @param duration the expected billed time, overhead included
 * @param hourlyPrice the flavor's price per hour
 * @param cost the expected cost
 * @param livePrice whether the price came from {@code GET /api/jobs/hardware} (else the documented table)
 */
public record TrainingEstimate(String flavor, long tokens, int epochs, double tokensPerSecond, Duration duration,
        Money hourlyPrice, Money cost, boolean livePrice) {

    /** Checks the parts. */
    public TrainingEstimate {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(hourlyPrice, "hourlyPrice");
        Objects.requireNonNull(cost, "cost");
    }

    /** The expected duration in hours, as a decimal number. */
    public double hours() {
        return duration.toSeconds() / 3600.0;
    }
}
