/**
 * The finetune4j router as Spring AI's {@code ChatModel} (call and stream), its options and an
 * advisor for {@code ChatClient}: an assistant's live model version answers, with its canary,
 * pins, fallback and usage, and the app keeps Spring AI's memory, tools, structured output and
 * RAG.
 */
package dev.finetune4j.springai;
