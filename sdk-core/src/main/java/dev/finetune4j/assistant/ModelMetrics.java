package dev.finetune4j.assistant;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Training metrics of a model version, by provider-neutral name. Values are whatever the provider
 * reported last (final step); names beyond the well-known ones are kept as given.
 *
 * @param values metric name to value, e.g. {@code train_loss -> 0.41}
 */
public record ModelMetrics(Map<String, Double> values) {

    /** Final training loss. */
    public static final String TRAIN_LOSS = "train_loss";
    /** Final validation loss. */
    public static final String VALIDATION_LOSS = "valid_loss";
    /** Final validation mean token accuracy. */
    public static final String VALIDATION_ACCURACY = "valid_mean_token_accuracy";

    /** No metrics. */
    public static final ModelMetrics NONE = new ModelMetrics(Map.of());

    /** Copies the map (sorted by name). */
    public ModelMetrics {
        values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** A metric by name. */
    public OptionalDouble get(String name) {
        Double v = values.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The final training loss, when reported. */
    public OptionalDouble trainLoss() {
        return get(TRAIN_LOSS);
    }

    /** The final validation loss, when reported. */
    public OptionalDouble validationLoss() {
        return get(VALIDATION_LOSS);
    }

    /** The final validation mean token accuracy, when reported. */
    public OptionalDouble validationAccuracy() {
        return get(VALIDATION_ACCURACY);
    }
}
