package dev.finetune4j.spi;

/**
 * What a provider can do, asked by the core before it acts.
 *
 * @param validationFile a validation split can be sent with the training data
 * @param cancel jobs can be cancelled
 * @param pauseResume jobs can be paused and resumed
 * @param continueFromFineTuned a job can start from a fine-tuned model (continue training)
 * @param costPreview the provider prices a job before it runs (create without starting, then start)
 * @param deleteModel fine-tuned models can be deleted through the API
 * @param weights per-message training weights are honoured
 * @param tools tool-calling examples can be trained
 * @param findByTag a job can be found again by the tag the core gave it (crash reconciliation)
 */
public record Capabilities(boolean validationFile, boolean cancel, boolean pauseResume,
        boolean continueFromFineTuned, boolean costPreview, boolean deleteModel, boolean weights, boolean tools,
        boolean findByTag) {}
