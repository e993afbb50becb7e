/**
 * Implementation of the Hugging Face provider: Hub repositories, preupload, NDJSON commits and
 * LFS, Jobs bodies and objects, log reading and trainer-log metrics, prices, the chat wire format.
 * Not part of the contract: free to change.
 */
package dev.finetune4j.huggingface.internal;
