package dev.finetune4j;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A fine-tuning job was refused before anything was uploaded: the provider takes no new jobs for the
 * model since a date a lifecycle event names (its job cutoff, or the model's shutdown). The message
 * names the provider, the model, the date and the source. Not retryable: train on another provider
 * or base model, or override the lifecycle table when the fact is wrong for you.
 */
public class JobsEndedException extends FineTuneException {

    private static final long serialVersionUID = 1L;

    private final String provider;
    private final String model;
    private final LocalDate date;
    private final String source;

    /**
     * Creates the exception.
     *
     * @param provider the provider id
     * @param model the model the job would have trained
     * @param date the date new jobs ended
     * @param source where the date comes from (a URL)
     * @param message the whole message, naming all of these
     */
    public JobsEndedException(String provider, String model, LocalDate date, String source, String message) {
        super(message);
        this.provider = Objects.requireNonNull(provider, "provider");
        this.model = Objects.requireNonNull(model, "model");
        this.date = Objects.requireNonNull(date, "date");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The provider id. */
    public String provider() {
        return provider;
    }

    /** The model the job would have trained. */
    public String model() {
        return model;
    }

    /** The date from which the provider takes no new jobs for the model. */
    public LocalDate date() {
        return date;
    }

    /** Where the date comes from. */
    public String source() {
        return source;
    }
}
