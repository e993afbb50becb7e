package dev.finetune4j.dataset;

/**
 * Assigns each example to {@link Split#TRAIN} or {@link Split#VALIDATION} by its id alone, so an
 * example stays on the same side in every later version of a dataset and validation data never
 * leaks into training as the dataset grows. Keep the fraction fixed for a dataset's life.
 *
 * @param validationFraction the share of examples held out, from 0 (none) to 0.5
 */
public record SplitPolicy(double validationFraction) {

    /** 10 % of examples held out for validation. */
    public static final SplitPolicy DEFAULT = new SplitPolicy(0.10);

    /** Every example trains; nothing is held out. */
    public static final SplitPolicy NONE = new SplitPolicy(0);

    /** Checks the fraction. */
    public SplitPolicy {
        if (!(validationFraction >= 0 && validationFraction <= 0.5)) {
            throw new IllegalArgumentException("validationFraction must be from 0 to 0.5, was " + validationFraction);
        }
    }

    /**
     * The side of an example: the first 32 bits of its id, read as a fraction of 2^32, below
     * {@code validationFraction} means validation.
     */
    public Split splitOf(String exampleId) {
        long bucket = Long.parseLong(exampleId.substring(0, 8), 16);
        return bucket < (long) (validationFraction * 4294967296.0) ? Split.VALIDATION : Split.TRAIN;
    }

    /** The side of an example. */
    public Split splitOf(Example example) {
        return splitOf(example.id());
    }
}
