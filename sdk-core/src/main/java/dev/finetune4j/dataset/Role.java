package dev.finetune4j.dataset;

import java.util.Locale;
import java.util.Optional;

/** The author of a {@link Message}, with its wire name in chat fine-tuning JSONL. */
public enum Role {
    /** Instructions for the model. */
    SYSTEM,
    /** What the end user said. */
    USER,
    /** What the model should answer; the turns training learns from. */
    ASSISTANT,
    /** The result of a tool call, answering an earlier assistant tool call. */
    TOOL;

    /** The name used in JSON, e.g. {@code "assistant"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @return the role, or empty for anything else (including legacy {@code "function"})
     */
    public static Optional<Role> fromWireName(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
