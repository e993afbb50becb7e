/**
 * The provider SPI: what a provider module implements (found with ServiceLoader) and the values it
 * exchanges with the core.
 */
package dev.finetune4j.spi;
