/**
 * The Hugging Face provider: training data in a private Hub dataset repository, training on
 * Hugging Face Jobs (TRL SFT with LoRA in a pinned container image), the adapter in a private
 * model repository the user owns, and chat through an OpenAI-compatible server that serves it
 * (vLLM, TGI, Inference Endpoints). Start with {@link
 * dev.finetune4j.huggingface.HuggingFaceProviderFactory}; job options are in {@link
 * dev.finetune4j.huggingface.HuggingFaceOptions}.
 */
package dev.finetune4j.huggingface;
