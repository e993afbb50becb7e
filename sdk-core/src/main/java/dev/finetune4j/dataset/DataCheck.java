package dev.finetune4j.dataset;

/**
 * An optional check a provider's {@link DataRules} switch on, on top of the checks every chat
 * fine-tuning format shares (the OpenAI cookbook's: an object with a non-empty {@code messages}
 * list, known keys and roles, string content, at least one assistant message, weights 0 or 1 on
 * assistant messages only, well-formed tool calls answered by earlier calls). Each check is
 * implemented once, in the core, and reports a stable {@link IssueCode}. An open set: new values
 * are added when a provider needs a new kind of rule.
 */
public enum DataCheck {
    /** At most one system message, and only as the first message ({@code system_message_position}). */
    SINGLE_LEADING_SYSTEM_MESSAGE,
    /** The last message is an assistant's ({@code last_message_not_assistant}). */
    ASSISTANT_MESSAGE_LAST,
    /** Every tool message names the call it answers in {@code tool_call_id} ({@code message_missing_key}). */
    TOOL_MESSAGE_HAS_CALL_ID,
    /** Every tool an assistant message calls is defined in the example's {@code tools} ({@code undefined_tool}). */
    CALLED_TOOLS_DEFINED,
    /** An assistant message that calls tools has no content beside them ({@code invalid_tool_call}). */
    NO_CONTENT_BESIDE_TOOL_CALLS,
    /** No message carries a {@code weight}: the provider trains on every assistant message ({@code invalid_weight}). */
    NO_WEIGHTS,
    /**
     * No message has the role of the message before it: two user or two assistant messages in a
     * row, or two tool results in a row (Together's file check, {@code repeated_role}).
     */
    NO_REPEATED_ROLE
}
