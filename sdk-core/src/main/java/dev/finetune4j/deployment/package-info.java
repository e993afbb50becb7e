/**
 * Deployments: what makes a trained model version callable where its provider needs it (a
 * Hugging Face Inference Endpoint, an Azure deployment, a dedicated endpoint), recorded like jobs,
 * with its state, serving address, price per hour and what it has cost so far. Start with {@code
 * FineTuning.deployments()}.
 */
package dev.finetune4j.deployment;
