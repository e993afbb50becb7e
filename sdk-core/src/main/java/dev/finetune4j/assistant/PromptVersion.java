package dev.finetune4j.assistant;

import dev.finetune4j.dataset.Example;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A system prompt plus optional few-shot examples, versioned per assistant independently of model
 * versions: any model version (or the base model) can run with any prompt version.
 *
 * <p>Immutable and thread-safe.
 */
public final class PromptVersion {

    private final String assistant;
    private final int number;
    private final String systemPrompt;
    private final List<Example> fewShot;
    private final String note;
    private final Instant createdAt;

    /** Creates a prompt version; the library creates these. */
    public PromptVersion(String assistant, int number, String systemPrompt, List<Example> fewShot, String note,
            Instant createdAt) {
        this.assistant = Objects.requireNonNull(assistant, "assistant");
        this.number = number;
        this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt");
        this.fewShot = List.copyOf(fewShot);
        this.note = note;
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The assistant. */
    public String assistant() {
        return assistant;
    }

    /** 1, 2, 3 ... per assistant. */
    public int number() {
        return number;
    }

    /** The system prompt text. */
    public String systemPrompt() {
        return systemPrompt;
    }

    /** Few-shot examples placed between the system prompt and the conversation. */
    public List<Example> fewShot() {
        return fewShot;
    }

    /** A note, e.g. "friendlier tone". */
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    /** When it was created. */
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptVersion p && assistant.equals(p.assistant) && number == p.number;
    }

    @Override
    public int hashCode() {
        return Objects.hash(assistant, number);
    }

    @Override
    public String toString() {
        return "PromptVersion[" + assistant + "#" + number + ", " + fewShot.size() + " few-shot]";
    }
}
