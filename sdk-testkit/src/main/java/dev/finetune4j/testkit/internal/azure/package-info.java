/**
 * The Azure OpenAI emulator's own parts: the Azure Resource Manager deployments of its account and
 * its entry in the emulator SPI. Its data plane is the OpenAI emulation in {@code AzureDialect}.
 */
package dev.finetune4j.testkit.internal.azure;
