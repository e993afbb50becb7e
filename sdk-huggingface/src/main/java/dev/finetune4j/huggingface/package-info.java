/**
 * The Hugging Face provider (Hub datasets, training on Hugging Face Jobs, OpenAI-compatible serving). Arrives after the OpenAI provider.
 */
package dev.finetune4j.huggingface;
