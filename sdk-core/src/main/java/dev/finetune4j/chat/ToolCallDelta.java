package dev.finetune4j.chat;

import java.util.Objects;

/**
 * A piece of a tool call, as a streamed answer delivers it: the first piece of a call usually
 * names it (id and function name), later pieces add to its arguments. Pieces of one call share an
 * {@code index}; calls are numbered 0, 1, … in the order their first piece came. Joining every
 * piece's {@code arguments} of one index, in order, gives that call's arguments JSON text.
 *
 * @param index which call of the answer this piece belongs to, from 0
 * @param id the call id, or empty when this piece does not carry it
 * @param name the function name, or empty when this piece does not carry it
 * @param arguments the text this piece adds to the call's arguments, possibly empty
 */
public record ToolCallDelta(int index, String id, String name, String arguments) {

    /** Checks the parts. */
    public ToolCallDelta {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
