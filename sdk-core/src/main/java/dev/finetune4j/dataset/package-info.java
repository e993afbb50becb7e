/**
 * Training examples, datasets and their versions, JSONL import and validation.
 */
package dev.finetune4j.dataset;
