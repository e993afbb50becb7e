/**
 * Migrations: carrying an assistant's live model version to another provider — baseline, training
 * on the same data, deployment where needed, evaluation, a non-inferiority gate, promotion with the
 * source kept as fallback — as one durable, resumable process. Obtain the service from
 * {@code FineTuning.migrations()}.
 */
package dev.finetune4j.migration;
