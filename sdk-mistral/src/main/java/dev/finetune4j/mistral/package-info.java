/**
 * The Mistral provider: files, fine-tuning jobs with the {@code auto_start: false} cost preview and
 * {@code /start}, fine-tuned models (delete, archive, unarchive) and chat. Found by {@link
 * java.util.ServiceLoader} as {@code mistral} ({@link dev.finetune4j.mistral.MistralProviderFactory});
 * {@link dev.finetune4j.mistral.MistralProvider} documents every mapping decision.
 *
 * <p>Mistral has documented its fine-tuning API as deprecated since April 2026; the endpoints
 * still work and no shutdown date is announced.
 */
package dev.finetune4j.mistral;
