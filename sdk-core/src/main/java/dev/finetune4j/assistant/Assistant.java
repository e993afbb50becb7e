package dev.finetune4j.assistant;

import dev.finetune4j.dataset.Dataset;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.policy.RetrainAdvice;
import dev.finetune4j.policy.TrainingPolicy;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Something the host app chats with and trains (an avatar, a voice-command parser): it owns its
 * model versions, prompt versions and its live {@link Selection}, whose history is its timeline.
 *
 * <p>Obtain one from {@code FineTuning.createAssistant(...)} or {@code FineTuning.assistant(name)}.
 * Thread-safe. Every selection change is one compare-and-set write: when another caller (thread or
 * process) changed the selection first, the call throws {@link dev.finetune4j.ConflictException}
 * and changes nothing; read the selection again and decide.
 */
public interface Assistant {

    /** The assistant's name. */
    String name();

    /** The current selection (model, prompt, candidate). Reads the store. */
    Selection selection();

    /**
     * Registers a model version; it gets the next number and is not activated. Registering the
     * same provider and provider model id again returns the version registered first.
     */
    ModelVersion register(ModelVersionSpec spec);

    /** Imports an existing provider model (trained elsewhere) as a ready model version. */
    ModelVersion importModel(String provider, String providerModelId, String baseModel, String note);

    /** A model version by number. */
    Optional<ModelVersion> modelVersion(int number);

    /** Every model version, oldest first, deleted ones included (for lineage). */
    List<ModelVersion> modelVersions();

    /**
     * Changes a model version's state. Allowed: {@code TRAINING -> READY | FAILED},
     * {@code READY -> RETIRED}, {@code RETIRED -> READY}. Retiring the active version or the
     * candidate first takes it out of the selection (a timeline entry). Use {@link #delete} to delete.
     *
     * @throws IllegalStateException for any other move, naming the allowed ones
     */
    ModelVersion setState(int number, ModelState state, Change change);

    /** Creates a prompt version (not activated). */
    PromptVersion createPrompt(String systemPrompt, List<Example> fewShot, String note);

    /** A prompt version by number. */
    Optional<PromptVersion> promptVersion(int number);

    /** Every prompt version, oldest first. */
    List<PromptVersion> promptVersions();

    /**
     * Makes a ready model version the active one (clearing it as candidate if it was one).
     *
     * @throws dev.finetune4j.NotFoundException if there is no such version
     * @throws IllegalStateException if the version is not ready
     */
    Selection activate(int modelVersion, Change change);

    /**
     * Makes a ready model version the active one and sets the fallback chain, in one
     * compare-and-set write (one timeline entry): a migration's switch and its safety net land
     * together or not at all.
     *
     * @throws dev.finetune4j.NotFoundException if the version or a chain entry does not exist
     * @throws IllegalStateException if the version or a chain entry is not ready
     */
    Selection activate(int modelVersion, List<Fallback> fallbacks, Change change);

    /**
     * Sets the fallback chain: the versions the router tries, in order, when the one it called is
     * gone or failing (0 = the base model; an entry past its {@code until} day is skipped). An empty
     * list restores the default, the base model alone. One compare-and-set write.
     *
     * @throws dev.finetune4j.NotFoundException if a chain entry does not exist
     * @throws IllegalStateException if a chain entry is not ready
     */
    Selection setFallbacks(List<Fallback> fallbacks, Change change);

    /**
     * Adds a timeline entry of a migration's step ({@link TimelineEntry.Action#MIGRATE}) without
     * changing the selection; a later rollback skips it and undoes the last real change. One
     * compare-and-set write.
     *
     * @param modelVersion the version the step is about (0 when none)
     */
    Selection noteMigration(int modelVersion, Change change);

    /** Back to the base model. */
    Selection deactivate(Change change);

    /**
     * Undoes the last selection change, restoring the selection before it; call again to go further
     * back.
     *
     * @throws IllegalStateException when there is nothing to roll back to, or the selection to
     *     restore names a version that was deleted or retired since
     */
    Selection rollback(Change change);

    /** Makes a prompt version the active one. */
    Selection activatePrompt(int promptVersion, Change change);

    /** Runs without a system prompt from a prompt version. */
    Selection deactivatePrompt(Change change);

    /**
     * Sends {@code sharePercent} of traffic (sticky per subject) to a candidate model version.
     *
     * @throws IllegalArgumentException if the share is not 1–100 or the version is the active one
     */
    Selection setCandidate(int modelVersion, int sharePercent, Change change);

    /** Removes the candidate. */
    Selection clearCandidate(Change change);

    /** Makes the candidate the active version and clears the candidate. */
    Selection promoteCandidate(Change change);

    /**
     * Deletes a model version: takes it out of the selection first (active → base model, candidate
     * cleared), then marks it deleted. The record stays for lineage until the tenant is purged.
     */
    ModelVersion delete(int modelVersion, Change change);

    /**
     * Deletes a model version as {@link #delete(int, Change)} does and, when asked, also the
     * provider's copy of the model through the configured provider. The local delete happens first
     * and stands even when the provider refuses; the report says what happened there.
     */
    DeletionReport delete(int modelVersion, boolean alsoProviderModel, Change change);

    /**
     * Records a copy of a model version's weights on it (after {@link ModelVersion#weights()}'s
     * others); recording the same checksum at the same location again changes nothing. What it
     * names is checked first: a blob must be in this assistant's version store under the checksum,
     * a file must exist with the recorded size.
     *
     * @return the version as it is now
     * @throws dev.finetune4j.NotFoundException when there is no such version, or the blob is not in the store
     * @throws IllegalArgumentException when the file does not exist or has another size
     */
    ModelVersion recordWeights(int modelVersion, WeightsCopy copy);

    /** Every selection change, oldest first. The stream reads lazily: close it. */
    Stream<TimelineEntry> timeline();

    /**
     * Whether a dataset has gained enough examples since the active model version was trained on it.
     *
     * @throws IllegalStateException when no model version is active or it has no training data on record
     */
    RetrainAdvice retrainAdvice(Dataset dataset, TrainingPolicy policy);
}
