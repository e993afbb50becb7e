/**
 * Implementation of the OpenAI provider: wire formats and uploads. Not part of the contract; may
 * change in any release.
 */
package dev.finetune4j.openai.internal;
