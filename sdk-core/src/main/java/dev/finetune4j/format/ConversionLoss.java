package dev.finetune4j.format;

/**
 * Something a {@link DatasetWriter} could not carry over into the target format unchanged. Each
 * loss either skips the whole example ({@link #skipsExample()}) or only drops or changes a detail of
 * an example that is still written.
 *
 * <p>The {@link #code()} strings are stable and snake_case; new losses may be added in later
 * versions.
 */
public enum ConversionLoss {

    // ---- details dropped; the example is still written ----

    /**
     * A {@code weight} of 0 on an assistant message cannot be expressed, so that turn is trained
     * although the source said not to. (A weight of 1 is the default and dropping it loses
     * nothing, so it is not reported.)
     */
    WEIGHT_DROPPED("weight_dropped", false),
    /** A message's participant {@code name} is dropped. */
    NAME_DROPPED("name_dropped", false),
    /** The example's {@code parallel_tool_calls} setting is dropped. */
    PARALLEL_TOOL_CALLS_DROPPED("parallel_tool_calls_dropped", false),
    /** The example's tool definitions are dropped (the example itself calls no tool). */
    TOOLS_DROPPED("tools_dropped", false),
    /**
     * Assistant turns before the last one, which the source trains on, become part of a prompt
     * that is not trained on; only the final assistant message is trained.
     */
    EARLIER_ASSISTANT_TURNS_UNTRAINED("earlier_assistant_turns_untrained", false),
    /**
     * Messages after the last assistant message are dropped. They were never trained on, so only
     * context that had no effect on training is lost.
     */
    TRAILING_MESSAGES_DROPPED("trailing_messages_dropped", false),
    /**
     * Tool call ids the format does not accept (Mistral: exactly 9 letters and digits) are replaced,
     * in each call and in the tool messages answering it alike: the same id always gets the same
     * replacement, and two ids of one example never get the same one. The example is written; it
     * is reported because what is written differs from the source.
     */
    TOOL_CALL_IDS_REWRITTEN("tool_call_ids_rewritten", false),

    // ---- the example is skipped ----

    /** The format holds one exchange only, and the example has more. */
    MULTI_TURN_NOT_SUPPORTED("multi_turn_not_supported", true),
    /** An assistant message calls tools, which the format cannot express. */
    TOOL_CALLS_NOT_SUPPORTED("tool_calls_not_supported", true),
    /** The example has a tool message, which the format cannot express. */
    TOOL_MESSAGES_NOT_SUPPORTED("tool_messages_not_supported", true),
    /** The format needs a user message and the example has none where it is needed. */
    NO_USER_MESSAGE("no_user_message", true),
    /** The format needs an assistant message and the example has none. */
    NO_ASSISTANT_MESSAGE("no_assistant_message", true),
    /** The format needs user and assistant messages to alternate, starting with the user. */
    ROLES_NOT_ALTERNATING("roles_not_alternating", true),
    /** A system message is not the first message, and the format only takes a leading one. */
    SYSTEM_NOT_LEADING("system_not_leading", true),
    /** A tool call's {@code arguments} are not a JSON object, and the format needs an object. */
    TOOL_ARGUMENTS_NOT_OBJECT("tool_arguments_not_object", true),
    /**
     * A tool message does not answer any earlier tool call, and the format needs the name of the
     * function it answers.
     */
    TOOL_MESSAGE_UNMATCHED("tool_message_unmatched", true),
    /** A message has neither content nor tool calls, and the format needs text. */
    EMPTY_MESSAGE("empty_message", true);

    private final String code;
    private final boolean skipsExample;

    ConversionLoss(String code, boolean skipsExample) {
        this.code = code;
        this.skipsExample = skipsExample;
    }

    /** The stable snake_case code, e.g. {@code "weight_dropped"}. */
    public String code() {
        return code;
    }

    /**
     * Whether this loss skips the whole example ({@code true}) or only drops a detail of an
     * example that is still written ({@code false}).
     */
    public boolean skipsExample() {
        return skipsExample;
    }

    @Override
    public String toString() {
        return code;
    }
}
