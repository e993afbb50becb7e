package dev.finetune4j.spi;

/**
 * One thing a provider can do, declared in its {@link ProviderDescriptor} and asked by the core
 * before it acts. An open set: new values are added as providers gain abilities (deployments,
 * weights download, ...), so code that switches over it needs a {@code default} branch.
 */
public enum Capability {
    /** Training: {@link Provider#training()} is present. */
    TRAINING,
    /** Chat: {@link Provider#chat()} is present. */
    CHAT,
    /** A validation split can be sent with the training data. */
    VALIDATION_FILE,
    /** Jobs can be cancelled. */
    CANCEL,
    /** Jobs can be paused and resumed. */
    PAUSE_RESUME,
    /** A job can start from a fine-tuned model (continue training). */
    CONTINUE_FROM_FINE_TUNED,
    /** The provider prices a job before it runs (create without starting, then start). */
    COST_PREVIEW,
    /** Fine-tuned models can be deleted through the API. */
    DELETE_MODEL,
    /** Per-message training weights are honoured. */
    WEIGHTS,
    /** Tool-calling examples can be trained. */
    TOOLS,
    /** A job can be found again by the tag the core gave it (crash reconciliation). */
    FIND_BY_TAG,
    /** Trained models can be deployed through the API: {@link Provider#deployments()} is present. */
    DEPLOY,
    /** Deployments can be paused, resumed and scaled to zero on demand. */
    PAUSE_DEPLOYMENT,
    /**
     * The provider prices a job on request from its uploaded data before the job is created
     * ({@link TrainingService#quote}; Together's estimate-price).
     */
    PRICE_QUOTE
}
