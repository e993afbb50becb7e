package dev.finetune4j.dataset;

/**
 * Which provider's data rules a validation applies. Rules that every chat fine-tuning format
 * shares are always applied; a rule set adds the provider's own.
 */
public enum RuleSet {
    /**
     * OpenAI chat fine-tuning: message keys {@code role, content, name, weight, tool_calls,
     * tool_call_id}; at least one assistant message; weights 0 or 1 on assistant messages.
     */
    OPENAI,
    /**
     * Mistral fine-tuning: the OpenAI rules plus at most one system message and only in first
     * place, tool call ids of exactly 9 characters answered by a later tool message, every called
     * tool defined in {@code tools}, no content beside tool calls, and an assistant message last.
     */
    MISTRAL,
    /** Hugging Face TRL conversational data: the shared rules only. */
    HUGGINGFACE;

    /**
     * The rule set of a provider id ({@code openai}, {@code mistral}, {@code huggingface}).
     *
     * @throws IllegalArgumentException for an unknown id, naming the known ones
     */
    public static RuleSet forProvider(String provider) {
        return switch (provider.toLowerCase(java.util.Locale.ROOT)) {
            case "openai" -> OPENAI;
            case "mistral" -> MISTRAL;
            case "huggingface", "hf" -> HUGGINGFACE;
            default -> throw new IllegalArgumentException(
                    "unknown provider '" + provider + "': use openai, mistral or huggingface");
        };
    }
}
