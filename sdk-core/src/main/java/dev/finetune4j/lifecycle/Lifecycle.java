package dev.finetune4j.lifecycle;

import dev.finetune4j.assistant.ModelVersion;
import dev.finetune4j.assistant.Selection;
import java.time.LocalDate;
import java.util.List;

/**
 * Answers which lifecycle events apply to an assistant's models and how many days are left, from the
 * {@link LifecycleTable} the {@code FineTuning} was built with, the facts its providers reported at
 * run time (recorded on each model version by {@link #refresh}) and its clock. Obtain it from {@code
 * FineTuning.lifecycle()}. Thread-safe.
 */
public interface Lifecycle {

    /** The table in use: the provider modules' events merged with the host app's overrides. */
    LifecycleTable table();

    /** Today in UTC, from the injected clock. */
    LocalDate today();

    /** How many days before a shutdown the chat router warns (see {@link LifecycleListener}). */
    int warningDays();

    /** The events that apply to a model version: the table's and what its provider reported. */
    ModelLifecycle of(ModelVersion version);

    /**
     * The events that apply to a model that is not a stored version, e.g. an assistant's base model.
     *
     * @param provider the provider id
     * @param modelId the provider's model id
     * @param baseModel the base model it was trained from (the id itself for a base model)
     */
    ModelLifecycle ofModel(String provider, String modelId, String baseModel);

    /**
     * The events that apply to what a selection serves: its active version, else its base model.
     *
     * @throws dev.finetune4j.NotFoundException when the active version does not exist
     */
    ModelLifecycle ofLive(Selection selection);

    /**
     * Asks each usable model version's provider what it reports about the model's end of life (e.g.
     * OpenAI's {@code shutdown_date}) and records the answer on the version, replacing what was
     * recorded before. Versions whose provider is not configured, or reports nothing, are left as they
     * are.
     *
     * @param assistant the assistant's name
     * @return the versions whose record changed
     * @throws dev.finetune4j.NotFoundException when there is no such assistant
     * @throws dev.finetune4j.ProviderException when a provider call fails after retries
     */
    List<ModelVersion> refresh(String assistant);

    /**
     * Refuses a new fine-tuning job when the provider takes none for this model any more (its job
     * cutoff or shutdown date is reached). Called by the job submit path before anything is uploaded.
     *
     * @param provider the provider id
     * @param modelId the model the job would train (a base, or a fine-tuned model to continue)
     * @param baseModel its base model
     * @throws dev.finetune4j.JobsEndedException naming the date and the source
     */
    void requireJobsOpen(String provider, String modelId, String baseModel);
}
