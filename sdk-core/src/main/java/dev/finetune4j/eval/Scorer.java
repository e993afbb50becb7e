package dev.finetune4j.eval;

/**
 * Scores a model's answer against the expected one. Implement it for custom checks (an LLM judge
 * supplied by the host app, a domain rule); the built-in ones are in {@link Scorers}.
 * Implementations must be thread-safe: evaluations run calls concurrently.
 */
public interface Scorer {

    /** A stable name, used in reports, e.g. {@code json-fields}. */
    String name();

    /** Scores {@code actual} against {@code expected}. */
    Score score(String expected, String actual);
}
