package dev.finetune4j.cli;

/**
 * A problem with the user's input that the CLI itself detects (a missing file, a file without a
 * single usable example), or a precondition of the library the user must fix (nothing to roll back
 * to, a deleted version): exit code 1, message on stderr.
 */
final class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String type;

    InputException(String message) {
        this("input", message);
    }

    /**
     * @param type the stable snake_case type of the {@code --json} error document
     */
    InputException(String type, String message) {
        super(message);
        this.type = type;
    }

    /** The {@code --json} error type, e.g. {@code input} or {@code invalid_state}. */
    String type() {
        return type;
    }
}
