package dev.finetune4j.dataset;

import dev.finetune4j.internal.dataset.FewShotPicker;
import dev.finetune4j.policy.RetrainAdvice;
import dev.finetune4j.policy.TrainingPolicy;
import dev.finetune4j.tokens.TokenCounter;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A named, append-only collection of training examples of one assistant, kept as a chain of
 * immutable {@link DatasetVersion}s. Every change (append, remove) makes a new version that stores
 * only what changed; reading streams, so memory does not grow with the dataset.
 *
 * <p>Obtain one from {@code FineTuning.dataset(assistant, name)}. Thread-safe; concurrent appends
 * from several threads or processes each land in their own version.
 */
public interface Dataset {

    /** The assistant owning this dataset. */
    String assistant();

    /** The dataset's name. */
    String name();

    /** {@code assistant/name}. */
    default String ref() {
        return assistant() + "/" + name();
    }

    /**
     * Appends examples to the latest version (or creates the first one). Examples the latest
     * version already has, and repeats within {@code examples}, are skipped and reported.
     *
     * @param note what the change is, e.g. {@code "+50 Chinese examples"}; may be null
     * @throws dev.finetune4j.ValidationException if an example breaks the default (OpenAI) rules;
     *     nothing is stored then
     */
    AppendResult append(Collection<Example> examples, String note);

    /**
     * Imports a JSONL file as a new version: validated line by line, deduplicated, streamed.
     * In strict mode any error rejects the whole file and stores nothing; in lenient mode the good
     * lines are stored and the bad ones reported.
     *
     * @throws dev.finetune4j.ValidationException in strict mode when any line has an error
     */
    AppendResult importJsonl(Path file, ImportOptions options, String note);

    /** Like {@link #importJsonl(Path, ImportOptions, String)} from a stream, which is not closed. */
    AppendResult importJsonl(InputStream in, ImportOptions options, String note);

    /**
     * Removes examples by id, making a new version.
     *
     * @return the new version
     * @throws dev.finetune4j.NotFoundException if an id is not in the latest version; nothing is stored
     */
    DatasetVersion remove(Collection<String> exampleIds, String note);

    /** The latest version; absent for a dataset that has none yet. */
    Optional<DatasetVersion> latest();

    /**
     * A version by number ({@code "3"}), by id ({@code "dv-..."}) or {@code "latest"}.
     *
     * @throws dev.finetune4j.NotFoundException if there is no such version
     */
    DatasetVersion version(String numberOrId);

    /** Every version, oldest first. */
    List<DatasetVersion> history();

    /** The examples of a version in stored order. The stream reads lazily: close it. */
    Stream<Example> examples(DatasetVersion version);

    /** The examples of one side of a version's split. The stream reads lazily: close it. */
    Stream<Example> examples(DatasetVersion version, Split split);

    /**
     * Up to {@code k} examples of a version's training split that differ from each other, for a
     * prompt version's few-shot turns, whose tokens add up to at most {@code maxTokens}.
     * Deterministic: the same version, {@code k}, budget and counter always give the same examples,
     * in the order picked. Diversity is lexical (no embedding service): the first pick has the most
     * distinct words, each next one is the farthest, by the Jaccard distance of user and assistant
     * words, from its nearest earlier pick. At most 2,000 candidates are considered (those with the
     * smallest ids, a fixed sample), so memory does not grow with the dataset; examples that do not
     * fit the remaining budget are skipped.
     *
     * @param counter counts an example's tokens, e.g. {@code TokenCounter.forModel(baseModel)}
     * @throws IllegalArgumentException if {@code k} or {@code maxTokens} is below 1
     */
    default List<Example> diverseExamples(DatasetVersion version, int k, int maxTokens, TokenCounter counter) {
        if (k < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("k and maxTokens must be >= 1, were " + k + " and " + maxTokens);
        }
        Objects.requireNonNull(counter, "counter");
        try (Stream<Example> train = examples(version, Split.TRAIN)) {
            return FewShotPicker.pick(train, k, maxTokens, counter);
        }
    }

    /** The split policy this dataset is read with. */
    SplitPolicy splitPolicy();

    /**
     * How many examples of a version fall on one side of the split, counted from the id indexes
     * without reading the examples. The minimum-example rule applies to the training side.
     */
    long count(DatasetVersion version, Split split);

    /**
     * Whether the examples added since {@code trainedOn} justify training again, by the policy's
     * rule (default: at least 20 % or 20 new examples). Counts come from the versions' history:
     * examples added and removed by the versions after {@code trainedOn} up to {@code current}.
     *
     * @param trainedOn the version the live model was trained on
     * @param current the version a new training run would use
     * @param providerSupportsContinue whether the provider can continue from a fine-tuned model
     * @throws IllegalArgumentException if {@code current} is older than {@code trainedOn} or they
     *     belong to another dataset
     */
    default RetrainAdvice retrainAdvice(DatasetVersion trainedOn, DatasetVersion current, TrainingPolicy policy,
            boolean providerSupportsContinue) {
        if (!trainedOn.datasetRef().equals(ref()) || !current.datasetRef().equals(ref())) {
            throw new IllegalArgumentException("versions " + trainedOn + " and " + current
                    + " must both belong to dataset '" + ref() + "'");
        }
        if (current.number() < trainedOn.number()) {
            throw new IllegalArgumentException("version " + current.number() + " is older than the trained version "
                    + trainedOn.number());
        }
        long added = 0;
        long removed = 0;
        for (DatasetVersion v : history()) {
            if (v.number() > trainedOn.number() && v.number() <= current.number()) {
                added += v.added();
                removed += v.removed();
            }
        }
        return policy.retrainAdvice(trainedOn.examples(), current.examples(), added, removed, providerSupportsContinue);
    }
}
