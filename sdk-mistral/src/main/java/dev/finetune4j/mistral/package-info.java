/**
 * The Mistral provider (files, fine-tuning jobs with cost preview, models, chat). Arrives after the OpenAI provider.
 */
package dev.finetune4j.mistral;
