/**
 * finetune4j: own the whole life of your fine-tuned LLMs from a Java application. Start at
 * {@link dev.finetune4j.FineTuning}.
 */
package dev.finetune4j;
