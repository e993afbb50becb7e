package dev.finetune4j.capture;

/**
 * The host application's redaction hook: turns a text that may hold personal data into the text
 * that may be stored. Applied, on the capture writer's thread and before anything is written, to
 * every message content, participant name, tool-call argument string and answer of a captured
 * call, and to the correction and note of feedback.
 *
 * <p>Must be thread-safe and must not return null. When it throws, the capture is not written at
 * all (counted in {@link CaptureStats#failed()}): nothing unredacted ever reaches the store.
 */
@FunctionalInterface
public interface Redactor {

    /** Stores texts as they are. */
    Redactor NONE = text -> text;

    /** The text to store in place of {@code text}. */
    String redact(String text);
}
