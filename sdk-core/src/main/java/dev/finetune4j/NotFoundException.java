package dev.finetune4j;

/** Something the caller named (a dataset version, a record, a blob, a model) does not exist. */
public class NotFoundException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public NotFoundException(String message) {
        super(message);
    }
}
