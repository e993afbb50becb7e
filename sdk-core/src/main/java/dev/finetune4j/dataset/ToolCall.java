package dev.finetune4j.dataset;

import java.util.Objects;

/**
 * One function call made by an assistant message ({@code tool_calls[]} with {@code type:"function"}).
 *
 * @param id the call id that a later {@link Role#TOOL} message answers
 * @param name the function name
 * @param arguments the arguments as a JSON text, exactly as the provider formats expect
 */
public record ToolCall(String id, String name, String arguments) {

    /** Checks that no part is null. */
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
