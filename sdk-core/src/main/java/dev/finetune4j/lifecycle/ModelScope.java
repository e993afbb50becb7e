package dev.finetune4j.lifecycle;

/** Which models a {@link LifecycleEvent} concerns: the matched base models, their fine-tunes, or both. */
public enum ModelScope {
    /** The base model and every model fine-tuned from it (a base shutdown takes its fine-tunes along). */
    ALL,
    /** Only the base model itself (e.g. a base deprecated while its fine-tunes have their own dates). */
    BASE,
    /** Only models fine-tuned from the base (e.g. a fine-tuned deployment retirement). */
    FINE_TUNED;

    /** The snake_case name used in JSON, e.g. {@code fine_tuned}. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
