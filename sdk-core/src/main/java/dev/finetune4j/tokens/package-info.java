/**
 * Token counting with the real tokenizers, and token statistics.
 */
package dev.finetune4j.tokens;
