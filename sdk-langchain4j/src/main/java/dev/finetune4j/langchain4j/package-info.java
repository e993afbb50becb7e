/**
 * The finetune4j router as LangChain4j's {@code ChatModel} and {@code StreamingChatModel}: an
 * assistant's live model version answers, with its canary, pins, fallback and usage, inside any
 * LangChain4j code including AI Services with memory and tools.
 */
package dev.finetune4j.langchain4j;
