/** The Hugging Face emulation (Hub repositories and LFS, Jobs, an OpenAI-compatible server); not part of the contract. */
package dev.finetune4j.testkit.internal.huggingface;
