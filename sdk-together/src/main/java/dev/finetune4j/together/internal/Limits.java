package dev.finetune4j.together.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What Together allows for one model or checkpoint ({@code GET /fine-tunes/models/limits}, its
 * {@code FineTuneModelLimits}): LoRA and full training with their batch sizes and LoRA's largest
 * rank ({@code null} when that kind of training is not offered), epochs, evaluations and learning
 * rates. {@link #NONE} when Together gave none: nothing is checked, and LoRA needs an explicit rank.
 *
 * @param known whether Together gave limits
 * @param lora LoRA training's limits, or null when Together does not offer it
 * @param full full training's limits, or null when Together does not offer it
 * @param maxEpochs the most epochs, or 0 when unknown
 * @param maxEvals the most evaluations, or -1 when unknown
 * @param minLearningRateOrNaN the least learning rate, or NaN when unknown
 * @param maxLearningRateOrNaN the largest learning rate, or NaN when unknown
 */
public record Limits(boolean known, Training lora, Training full, int maxEpochs, int maxEvals,
        double minLearningRateOrNaN, double maxLearningRateOrNaN) {

    /** No limits known. */
    public static final Limits NONE = new Limits(false, null, null, 0, -1, Double.NaN, Double.NaN);

    /**
     * One kind of training's limits.
     *
     * @param minBatchSize the least batch size
     * @param maxBatchSize the largest SFT batch size
     * @param maxRank LoRA's largest rank (0 for full training)
     */
    public record Training(int minBatchSize, int maxBatchSize, int maxRank) {}

    /** Reads Together's answer. */
    public static Limits of(JsonNode n) {
        return new Limits(true, training(n.get("lora_training")), training(n.get("full_training")),
                n.path("max_num_epochs").asInt(0), n.has("max_num_evals") ? n.path("max_num_evals").asInt(-1) : -1,
                n.path("min_learning_rate").isNumber() ? n.get("min_learning_rate").asDouble() : Double.NaN,
                n.path("max_learning_rate").isNumber() ? n.get("max_learning_rate").asDouble() : Double.NaN);
    }

    private static Training training(JsonNode t) {
        if (t == null || !t.isObject()) {
            return null;
        }
        return new Training(t.path("min_batch_size").asInt(1), t.path("max_batch_size").asInt(Integer.MAX_VALUE),
                t.path("max_rank").asInt(0));
    }

    /** The most epochs, when known. */
    public OptionalInt maxEpochsAllowed() {
        return maxEpochs > 0 ? OptionalInt.of(maxEpochs) : OptionalInt.empty();
    }

    /** The most evaluations, when known. */
    public OptionalInt maxEvalsAllowed() {
        return maxEvals >= 0 ? OptionalInt.of(maxEvals) : OptionalInt.empty();
    }

    /** The least learning rate, when known. */
    public OptionalDouble minLearningRate() {
        return Double.isNaN(minLearningRateOrNaN) ? OptionalDouble.empty() : OptionalDouble.of(minLearningRateOrNaN);
    }

    /** The largest learning rate, when known. */
    public OptionalDouble maxLearningRate() {
        return Double.isNaN(maxLearningRateOrNaN) ? OptionalDouble.empty() : OptionalDouble.of(maxLearningRateOrNaN);
    }
}
