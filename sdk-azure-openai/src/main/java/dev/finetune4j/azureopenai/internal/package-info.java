/**
 * Implementation of the Azure OpenAI provider: the training type's wire spelling and the wait for
 * uploaded files to be processed. Not part of the contract; may change in any release.
 */
package dev.finetune4j.azureopenai.internal;
