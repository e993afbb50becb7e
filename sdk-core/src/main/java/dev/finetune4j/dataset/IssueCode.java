package dev.finetune4j.dataset;

/**
 * The stable codes of {@link ValidationIssue}s. The first eight are the categories of OpenAI's
 * cookbook data-preparation notebook, so users recognise them; {@link #code()} never changes.
 */
public enum IssueCode {
    /** The line is not valid JSON (including a truncated last line). */
    INVALID_JSON("invalid_json"),
    /** The line is not valid UTF-8. */
    INVALID_UTF8("invalid_utf8"),
    /**
     * The file starts with a UTF-16 or UTF-32 byte-order mark: it is not UTF-8, so none of it is
     * read. Reported once, on line 1.
     */
    UNSUPPORTED_ENCODING("unsupported_encoding"),
    /**
     * A string of the line escapes an unpaired UTF-16 surrogate ({@code "\ud800"}): valid JSON, but
     * not Unicode, so it cannot be written as UTF-8.
     */
    UNPAIRED_SURROGATE("unpaired_surrogate"),
    /** The line's JSON nests arrays and objects deeper than the reader accepts. */
    NESTING_TOO_DEEP("nesting_too_deep"),
    /** A number in the line has more characters than the reader accepts. */
    NUMBER_TOO_LONG("number_too_long"),
    /** A string or a key in the line has more characters than the reader accepts. */
    STRING_TOO_LONG("string_too_long"),
    /** The line is JSON but not an object. */
    DATA_TYPE("data_type"),
    /** The object has no {@code messages} array, or it is empty. */
    MISSING_MESSAGES_LIST("missing_messages_list"),
    /** A message lacks {@code role} (or is not an object). */
    MESSAGE_MISSING_KEY("message_missing_key"),
    /** A message has a key the format does not know. */
    MESSAGE_UNRECOGNIZED_KEY("message_unrecognized_key"),
    /** A message's role is not system, user, assistant or tool. */
    UNRECOGNIZED_ROLE("unrecognized_role"),
    /** A message's content is missing, null, empty or not a string. */
    MISSING_CONTENT("missing_content"),
    /** The example has no assistant message to learn from. */
    EXAMPLE_MISSING_ASSISTANT_MESSAGE("example_missing_assistant_message"),
    /** The line is blank. */
    EMPTY_LINE("empty_line"),
    /** The example has more tokens than the base model trains on. */
    TOO_LONG("too_long"),
    /** The same conversation was seen before (in this file or the version being extended). */
    DUPLICATE("duplicate"),
    /** The line is longer than the reader accepts (bytes); it was skipped without being read whole. */
    LINE_TOO_LONG("line_too_long"),
    /** A {@code weight} that is not 0 or 1, or on a message that is not an assistant's. */
    INVALID_WEIGHT("invalid_weight"),
    /** A malformed {@code tool_calls} entry (missing id or function name, arguments not a string). */
    INVALID_TOOL_CALL("invalid_tool_call"),
    /** A tool message whose {@code tool_call_id} answers no earlier call, or a badly formed id. */
    TOOL_CALL_ID_MISMATCH("tool_call_id_mismatch"),
    /** A malformed top-level {@code tools} list. */
    INVALID_TOOLS("invalid_tools"),
    /** A tool call names a function the {@code tools} list does not define. */
    UNDEFINED_TOOL("undefined_tool"),
    /** A system message that is not the single leading message (Mistral). */
    SYSTEM_MESSAGE_POSITION("system_message_position"),
    /** The last message is not an assistant's (Mistral). */
    LAST_MESSAGE_NOT_ASSISTANT("last_message_not_assistant"),
    /** A top-level key the format does not know; it is ignored. */
    EXAMPLE_UNRECOGNIZED_KEY("example_unrecognized_key"),
    /** Malformed {@code tags} (must be an object of strings). */
    INVALID_TAGS("invalid_tags"),
    /** The file has no lines at all. */
    EMPTY_FILE("empty_file"),
    /**
     * Warning: the line used OpenAI's legacy function calling (top-level {@code functions}, an
     * assistant's {@code function_call}, {@code role: "function"} messages), which was converted
     * to {@code tools}, {@code tool_calls} with generated ids and {@code tool} messages. The
     * message says what was converted.
     */
    LEGACY_FUNCTIONS_CONVERTED("legacy_functions_converted"),
    /**
     * Warning: the example has no system message (the OpenAI cookbook's "examples missing system
     * message"). Listed for the first lines only; counted for all.
     */
    MISSING_SYSTEM_MESSAGE("missing_system_message"),
    /**
     * Warning: the example has no user message (the OpenAI cookbook's "examples missing user
     * message"); formats such as Alpaca, Bedrock and Vertex skip such examples. Listed for the first
     * lines only; counted for all.
     */
    MISSING_USER_MESSAGE("missing_user_message"),
    /**
     * Warning: a tool call's {@code arguments} string holds a JSON string that itself holds JSON
     * ({@code "\"{\\\"a\\\":1}\""}): encoded twice, so the model learns to write an escaped string
     * instead of an object.
     */
    DOUBLE_ENCODED_ARGUMENTS("double_encoded_arguments");

    private final String code;

    IssueCode(String code) {
        this.code = code;
    }

    /** The stable snake_case code, e.g. {@code "missing_content"}. */
    public String code() {
        return code;
    }
}
