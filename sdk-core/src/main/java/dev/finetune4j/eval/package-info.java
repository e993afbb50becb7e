/**
 * Evaluation before activation: scorers, reports with confidence intervals, and the promotion gate.
 */
package dev.finetune4j.eval;
