/**
 * The provider SPI: what a provider module implements (found with ServiceLoader) and the values it
 * exchanges with the core. A {@link dev.finetune4j.spi.ProviderFactory} describes its provider
 * ({@link dev.finetune4j.spi.ProviderDescriptor}: settings, data rules, capabilities) and creates
 * it; a {@link dev.finetune4j.spi.Provider} offers a {@link dev.finetune4j.spi.TrainingService},
 * a {@link dev.finetune4j.spi.ChatService}, or both. What a provider needs to talk to its service
 * (HTTP, authentication, error mapping, an OpenAI-compatible chat client) is the provider kit,
 * {@link dev.finetune4j.spi.kit}.
 */
package dev.finetune4j.spi;
