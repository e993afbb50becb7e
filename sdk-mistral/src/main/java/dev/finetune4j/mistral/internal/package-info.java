/**
 * The Mistral provider's JSON mappings (jobs, statuses, events, checkpoints, chat). Not part of
 * the library's contract: free to change.
 */
package dev.finetune4j.mistral.internal;
