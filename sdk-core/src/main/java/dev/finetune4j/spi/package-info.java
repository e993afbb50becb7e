/**
 * The provider SPI: what a provider module implements (found with ServiceLoader) and the values it
 * exchanges with the core. Chat is a {@link dev.finetune4j.spi.ChatService}; what a provider needs
 * to talk to its service (HTTP, authentication, error mapping, an OpenAI-compatible chat client)
 * is the provider kit, {@link dev.finetune4j.spi.kit}.
 */
package dev.finetune4j.spi;
