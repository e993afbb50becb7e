package dev.finetune4j.dataset;

import java.util.Objects;

/**
 * One problem found in an input line.
 *
 * @param line the 1-based line number in the input
 * @param code the stable problem code
 * @param severity whether the line was rejected ({@link Severity#ERROR}) or kept
 * @param message what is wrong, with the offending value and what would be right
 */
public record ValidationIssue(long line, IssueCode code, Severity severity, String message) {

    /** How bad an issue is. */
    public enum Severity {
        /** The line is rejected. */
        ERROR,
        /** The line is kept (or harmlessly skipped, like a duplicate or a blank line). */
        WARNING
    }

    /** Checks that no part is null. */
    public ValidationIssue {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return "line " + line + ": " + code.code() + ": " + message;
    }
}
