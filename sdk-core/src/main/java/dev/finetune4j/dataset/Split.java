package dev.finetune4j.dataset;

/** The two sides of a deterministic train/validation split (see {@link SplitPolicy}). */
public enum Split {
    /** Examples the model trains on. */
    TRAIN,
    /** Held-out examples for validation metrics and evaluation. */
    VALIDATION;

    /**
     * Parses {@code train} or {@code validation} (case-insensitive).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Split fromId(String id) {
        return switch (id.toLowerCase(java.util.Locale.ROOT)) {
            case "train", "training" -> TRAIN;
            case "validation", "valid", "val" -> VALIDATION;
            default -> throw new IllegalArgumentException("unknown split '" + id + "': use train or validation");
        };
    }
}
