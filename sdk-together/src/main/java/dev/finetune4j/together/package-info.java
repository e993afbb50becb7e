/**
 * The Together AI provider: training files checked as Together's own client checks them and
 * uploaded through its redirect flow, LoRA and full fine-tunes (continued from an earlier version
 * with {@code from_checkpoint}), their events, metrics and checkpoints, weights you can download,
 * and chat completions. Found by {@link java.util.ServiceLoader} under the id {@code together};
 * configured by {@link dev.finetune4j.together.TogetherProviderFactory}.
 */
package dev.finetune4j.together;
