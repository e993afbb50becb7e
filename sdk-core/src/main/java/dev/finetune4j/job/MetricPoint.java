package dev.finetune4j.job;

import java.util.Map;

/**
 * Training metrics at one step (an OpenAI or Mistral checkpoint, a parsed trainer log line).
 *
 * @param step the training step
 * @param values metric name to value: {@code train_loss}, {@code valid_loss},
 *     {@code valid_mean_token_accuracy}, ...
 */
public record MetricPoint(long step, Map<String, Double> values) {

    /** Copies the map. */
    public MetricPoint {
        values = Map.copyOf(values);
    }
}
