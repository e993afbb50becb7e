package dev.finetune4j;

/**
 * A training split has fewer examples than the provider (or the host app's policy) requires.
 * Thrown before anything leaves the machine.
 */
public class InsufficientExamplesException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    private final int actual;
    private final int required;
    private final String ruleSource;

    /**
     * Creates the exception.
     *
     * @param message the full message, naming the dataset, the counts and the provider
     * @param actual how many training examples there are
     * @param required the hard minimum that applies
     * @param ruleSource where the rule comes from (e.g. a provider's documentation)
     */
    public InsufficientExamplesException(String message, int actual, int required, String ruleSource) {
        super(message);
        this.actual = actual;
        this.required = required;
        this.ruleSource = ruleSource;
    }

    /** How many training examples there are. */
    public int actual() {
        return actual;
    }

    /** The hard minimum that was not met. */
    public int required() {
        return required;
    }

    /** Where the rule comes from, e.g. {@code "OpenAI fine-tuning guide: minimum 10 examples"}. */
    public String ruleSource() {
        return ruleSource;
    }
}
