/**
 * The OpenAI provider: files and uploads, supervised fine-tuning jobs (with their events,
 * checkpoints, cancel, pause and resume), deletion of fine-tuned models, and chat completions.
 * Found by {@link java.util.ServiceLoader} under the id {@code openai}; configured by {@link
 * dev.finetune4j.openai.OpenAiProviderFactory}.
 */
package dev.finetune4j.openai;
