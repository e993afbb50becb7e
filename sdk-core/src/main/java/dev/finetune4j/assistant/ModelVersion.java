package dev.finetune4j.assistant;

import dev.finetune4j.cost.Money;
import dev.finetune4j.lifecycle.LifecycleEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One trained model of an assistant, numbered 1, 2, 3 ... per assistant, with its full lineage:
 * the provider and its model id, the base model, the dataset version it was trained on, the job,
 * hyper-parameters, metrics and cost.
 *
 * <p>Values are snapshots: read the assistant again to see later state changes. Immutable and
 * thread-safe.
 */
public interface ModelVersion {

    /** The assistant this version belongs to. */
    String assistant();

    /** 1 for the assistant's first model version, then 2, 3, ... without gaps. */
    int number();

    /** The provider id, e.g. {@code openai}. */
    String provider();

    /** The provider's model id, e.g. {@code ft:gpt-4o-mini-2024-07-18:org:x:abc123}. */
    String providerModelId();

    /** The base model it was trained from (for an imported model, as given). */
    String baseModel();

    /** The training data, when known (absent for an imported model). */
    Optional<TrainedOn> trainedOn();

    /**
     * The model version of the same assistant this one was migrated from (trained on the same dataset
     * version at another provider to replace it), when it was.
     */
    OptionalInt migratedFrom();

    /** The id of the fine-tune job that produced it, when known. */
    Optional<String> jobId();

    /** The hyper-parameters as the provider resolved them, e.g. {@code n_epochs -> 3}. */
    Map<String, String> hyperparameters();

    /** Final training metrics. */
    ModelMetrics metrics();

    /** What training cost, when known. */
    Optional<Money> cost();

    /** When the version was registered. */
    Instant createdAt();

    /** Where it is in its life. */
    ModelState state();

    /** A note given at registration. */
    Optional<String> note();

    /** The copies of its weights the owner keeps, oldest first ({@link Assistant#recordWeights}); none by default. */
    default List<WeightsCopy> weights() {
        return List.of();
    }

    /**
     * What the provider reported about the model's end of life when it was last asked (e.g. OpenAI's
     * {@code shutdown_date}), recorded by {@link dev.finetune4j.lifecycle.Lifecycle#refresh}; empty
     * when never asked or nothing was reported.
     */
    List<LifecycleEvent> reportedLifecycle();
}
