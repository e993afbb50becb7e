/**
 * Fine-tune jobs: specs, estimates, submission, tracking across restarts, events and metrics.
 */
package dev.finetune4j.job;
