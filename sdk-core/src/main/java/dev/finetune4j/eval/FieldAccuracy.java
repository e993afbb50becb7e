package dev.finetune4j.eval;

/**
 * How often one field of a structured answer was right.
 *
 * @param right answers with the field right
 * @param total answers scored on the field
 */
public record FieldAccuracy(long right, long total) {

    /** The share right, 0 when nothing was scored. */
    public double accuracy() {
        return total == 0 ? 0 : (double) right / total;
    }
}
