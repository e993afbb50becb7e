package dev.finetune4j.cli;

/**
 * A problem with the user's input that the CLI itself detects (a missing file, a file without a
 * single usable example): exit code 1, message on stderr.
 */
final class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }
}
