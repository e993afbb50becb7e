package dev.finetune4j.lifecycle;

/** How far a {@link LifecycleEvent}'s date can be trusted: where it was read. */
public enum SourceQuality {
    /** Read on the provider's own page, documentation or specification. */
    OFFICIAL,
    /**
     * Reported by third parties (mirrors, articles) and not verified against the provider's own text;
     * treat the date as likely, not as a contract.
     */
    SECONDARY,
    /** Reported by the provider's API at run time (e.g. a model's shutdown date), when it was read. */
    PROVIDER_API,
    /** Stated by the host application or its operator (an override file, dedicated capacity). */
    HOST;

    /** The snake_case name used in JSON, e.g. {@code provider_api}. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
