/**
 * The OpenAI provider (files, fine-tuning jobs, models, chat). Arrives with the fine-tune jobs issue.
 */
package dev.finetune4j.openai;
