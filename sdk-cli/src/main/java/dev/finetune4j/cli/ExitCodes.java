package dev.finetune4j.cli;

/** The exit codes of every command, as DESIGN.md's CLI conventions define them. */
final class ExitCodes {

    /** The command did what was asked. */
    static final int OK = 0;
    /** The input has problems the user must fix: validation errors, too few examples, unknown version. */
    static final int INPUT = 1;
    /** Wrong usage: unknown command or option, missing or malformed argument. */
    static final int USAGE = 2;
    /** A provider or network failure after retries. */
    static final int PROVIDER = 3;
    /** A conflict: a concurrent change won. */
    static final int CONFLICT = 4;

    private ExitCodes() {}
}
