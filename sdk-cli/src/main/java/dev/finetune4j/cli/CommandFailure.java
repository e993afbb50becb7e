package dev.finetune4j.cli;

/**
 * A command ends with this exit code and message (a job that did not succeed, say), printed on
 * stderr as {@code finetune4j: <message>}.
 */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String type;

    /**
     * @param exitCode one of {@link ExitCodes}
     * @param type the {@code --json} error type
     */
    CommandFailure(int exitCode, String type, String message) {
        super(message);
        this.exitCode = exitCode;
        this.type = type;
    }

    int exitCode() {
        return exitCode;
    }

    String type() {
        return type;
    }
}
