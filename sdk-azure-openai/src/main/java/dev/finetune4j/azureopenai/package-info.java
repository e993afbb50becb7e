/**
 * The Azure OpenAI (Microsoft Foundry) provider: files and supervised fine-tuning jobs through a
 * resource's {@code /openai/v1} API (with events, checkpoints, cancel, pause and resume), and chat
 * completions with a deployment's name as the model. Found by {@link java.util.ServiceLoader}
 * under the id {@code azure-openai}; configured by {@link
 * dev.finetune4j.azureopenai.AzureOpenAiProviderFactory}. See docs/azure-openai.md.
 */
package dev.finetune4j.azureopenai;
