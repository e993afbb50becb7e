package dev.finetune4j;

/**
 * The store could not be read or written (I/O failure, corrupt data, database error).
 * The message names the path or record concerned.
 */
public class StoreException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception. */
    public StoreException(String message) {
        super(message);
    }
}
